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
      const body = (await request.json()) as { email: string; password: string; session?: string };
      if (body.email === DEMO.email && body.password === DEMO.password && body.session === 'cookie') {
        return json({ access_token: 'a1', token_type: 'bearer', expires_in: 900 });
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
    expect(localStorage.length).toBe(0); // the token stays in memory
    const login = backend.calls.find((r) => r.url.endsWith('/api/v1/auth/login'));
    // The browser asks for the refresh token as an HttpOnly cookie.
    expect(await login?.json()).toEqual({ ...DEMO, session: 'cookie' });
  });

  it('hides the demo box when the server has no demo login', async () => {
    const backend = stubBackend(null);
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    await waitFor(() => expect(backend.calls.some((r) => r.url.endsWith('/meta'))).toBe(true));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText('Login demo')).not.toBeInTheDocument();
  });

  it('keeps spaces in the password as typed', async () => {
    const backend = stubBackend(null);
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Email/), ` ${DEMO.email} `);
    await user.type(screen.getByLabelText(/Kata sandi/), '  spaced pass  ');
    await user.click(screen.getByRole('button', { name: 'Masuk' }));
    await screen.findByRole('alert');
    const login = backend.calls.find((r) => r.url.endsWith('/api/v1/auth/login'));
    expect(await login?.json()).toMatchObject({ email: DEMO.email, password: '  spaced pass  ' });
  });

  it('says when there were too many attempts', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/v1/meta': () => json({ version: '0.1.0', embedded: false, demo_login: null }),
        'POST /api/v1/auth/login': () =>
          json({ error: 'too_many_attempts', detail: 'Too many failed logins; try again in 30 seconds.', fields: {} }, 429),
      }).fn,
    );
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Email/), DEMO.email);
    await user.type(screen.getByLabelText(/Kata sandi/), 'whatever-it-is');
    await user.click(screen.getByRole('button', { name: 'Masuk' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Terlalu banyak percobaan');
    expect(session.isLoggedIn()).toBe(false);
  });

  it('asks for both fields before calling the server', async () => {
    const backend = stubBackend(null);
    renderWithProviders(<LoginPage onLoggedIn={() => undefined} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Masuk' }));
    expect(screen.getAllByText('Wajib diisi')).toHaveLength(2);
    expect(backend.calls.some((r) => r.url.endsWith('/auth/login'))).toBe(false);
  });
});
