import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { LoginPage } from '../src/features/auth/LoginPage';
import { fakeFetch, json, renderWithProviders } from './render';

const DEMO = { email: 'admin@ptpsw.example.go.id', password: 'gaung-demo-2026' };

function stubBackend(demo: typeof DEMO | null) {
  const backend = fakeFetch({
    'GET /api/v1/meta': () => json({ version: '0.1.0', embedded: demo !== null, demo_login: demo }),
    'POST /api/v1/auth/login': async (request) => {
      const body = (await request.json()) as { email: string; password: string };
      if (body.email === DEMO.email && body.password === DEMO.password) {
        return json({ access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 });
      }
      return json({ error: 'invalid_credentials', detail: 'Email or password is wrong.', fields: {} }, 401);
    },
  });
  vi.stubGlobal('fetch', backend.fn);
  return backend;
}

describe('LoginPage', () => {
  it('shows a clear error for wrong credentials and stays logged out', async () => {
    stubBackend(null);
    const onLoggedIn = vi.fn();
    renderWithProviders(<LoginPage onLoggedIn={onLoggedIn} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Email/), DEMO.email);
    await user.type(screen.getByLabelText(/Kata sandi/), 'salah-total');
    await user.click(screen.getByRole('button', { name: 'Masuk' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Email atau kata sandi salah.');
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect(session.isLoggedIn()).toBe(false);
  });

  it('offers the demo login when the server has one, fills it in and signs in', async () => {
    const backend = stubBackend(DEMO);
    const onLoggedIn = vi.fn();
    renderWithProviders(<LoginPage onLoggedIn={onLoggedIn} />);
    const user = userEvent.setup();
    expect(await screen.findByText(DEMO.email)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Isi dengan login demo' }));
    expect(screen.getByLabelText(/Email/)).toHaveValue(DEMO.email);
    expect(screen.getByLabelText(/Kata sandi/)).toHaveValue(DEMO.password);
    await user.click(screen.getByRole('button', { name: 'Masuk' }));
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledOnce());
    expect(session.access()).toBe('a1');
    expect(session.refresh()).toBe('r1');
    const login = backend.calls.find((r) => r.url.endsWith('/api/v1/auth/login'));
    expect(await login?.json()).toEqual(DEMO);
  });

  it('hides the demo box when the server has no demo login', async () => {
    const backend = stubBackend(null);
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    await waitFor(() => expect(backend.calls.some((r) => r.url.endsWith('/meta'))).toBe(true));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText('Login demo')).not.toBeInTheDocument();
  });

  it('asks for both fields before calling the server', async () => {
    const backend = stubBackend(null);
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Masuk' }));
    expect(screen.getAllByText('Wajib diisi')).toHaveLength(2);
    expect(backend.calls.some((r) => r.url.endsWith('/auth/login'))).toBe(false);
  });
});
