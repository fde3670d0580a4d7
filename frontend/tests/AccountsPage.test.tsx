import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import type { Role } from '../src/api/types';
import type { AccountInfo } from '../src/features/accounts/types';
import id from '../src/i18n/id.json';
import { account, me, spend } from './accountsFixtures';
import { fakeFetch, json, renderWithProviders } from './render';

const leaveTo = vi.fn();
vi.mock('../src/features/accounts/leave', () => ({ leaveTo: (url: string) => leaveTo(url) }));

const { AccountsPage } = await import('../src/features/accounts/AccountsPage');

const ACCOUNTS: AccountInfo[] = [
  account({ id: 1, platform: 'x', handle: '@PTPSW_BPPT' }),
  account({ id: 2, platform: 'facebook', handle: 'PTPSW.BPPT', status: 'needs_reauth', last_error: 'Token dicabut.' }),
  account({ id: 3, platform: 'instagram', handle: '@ptpsw_demo', sandbox: true, external_id: 'sandbox-3' }),
];

function backend(role: Role, accounts: AccountInfo[] = ACCOUNTS) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  let items = accounts;
  const fake = fakeFetch({
    'GET /api/v1/me': () => json(me(role)),
    'GET /api/v1/accounts': () => json({ items }),
    'GET /api/v1/units/1/x-spend': () => json(spend()),
    'POST /api/v1/accounts/connect': () =>
      json({ id: 'c9', authorize_url: 'https://x.com/i/oauth2/authorize?state=s', expires_at: '2030-01-01T00:00:00Z' }, 201),
    'POST /api/v1/accounts/2/disconnect': () => {
      const changed = { ...items[1], connected: false, status: 'disabled' as const };
      items = items.map((a) => (a.id === 2 ? changed : a));
      return json(changed);
    },
    'POST /api/v1/accounts/1/disable': () => {
      const changed = { ...items[0], status: 'disabled' as const };
      items = items.map((a) => (a.id === 1 ? changed : a));
      return json(changed);
    },
    'POST /api/v1/accounts/manual': () =>
      json({ error: 'token_invalid', detail: 'The token was not accepted.', fields: { access_token: 'The platform refused this token.' } }, 422),
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

function card(id: number) {
  return screen.getAllByTestId('account-card').find((c) => c.dataset.accountId === String(id))!;
}

describe('AccountsPage', () => {
  it('lists the accounts with their health, marks sandbox accounts as simulated and shows the X spend', async () => {
    backend('admin');
    renderWithProviders(<AccountsPage />);
    await screen.findAllByTestId('account-card');
    expect(screen.getAllByTestId('account-card').map((c) => c.dataset.accountId)).toEqual(['1', '3', '2']);
    expect(within(card(3)).getByTestId('sandbox-badge')).toBeInTheDocument();
    expect(within(card(3)).getByTestId('health-badge')).toHaveTextContent('Simulasi');
    expect(within(card(2)).getByTestId('health-badge')).toHaveTextContent('Perlu otorisasi ulang');
    expect(within(card(2)).getByTestId('last-error')).toHaveTextContent('Token dicabut.');
    expect(await screen.findByTestId('spend-total')).toBeInTheDocument();
    expect(screen.getByTestId('spend-cap-editor')).toBeInTheDocument();
  });

  it('starts a connection and sends the browser to the platform', async () => {
    const fake = backend('admin');
    renderWithProviders(<AccountsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('connect-x'));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith('https://x.com/i/oauth2/authorize?state=s'));
    const post = fake.calls.find((c) => c.method === 'POST' && c.url.endsWith('/accounts/connect'))!;
    expect(await post.json()).toEqual({ unit_id: 1, platform: 'x' });
  });

  it('reconnects an account that needs re-authorisation', async () => {
    leaveTo.mockClear();
    const fake = backend('admin');
    renderWithProviders(<AccountsPage />);
    await screen.findAllByTestId('account-card');
    const button = within(card(2)).getByTestId('account-reconnect');
    expect(button).toHaveTextContent('Hubungkan ulang');
    await userEvent.setup().click(button);
    await waitFor(() => expect(leaveTo).toHaveBeenCalledOnce());
    const post = fake.calls.find((c) => c.method === 'POST' && c.url.endsWith('/accounts/connect'))!;
    expect(await post.json()).toEqual({ unit_id: 1, platform: 'facebook', account_id: 2 });
    // A sandbox account has nothing to reconnect or disconnect.
    expect(within(card(3)).queryByTestId('account-reconnect')).not.toBeInTheDocument();
    expect(within(card(3)).queryByTestId('account-disconnect')).not.toBeInTheDocument();
  });

  it('disconnects only after a confirmation', async () => {
    const fake = backend('admin');
    renderWithProviders(<AccountsPage />);
    await screen.findAllByTestId('account-card');
    const user = userEvent.setup();
    await user.click(within(card(2)).getByTestId('account-disconnect'));
    expect(fake.calls.some((c) => c.url.endsWith('/disconnect'))).toBe(false);
    await user.click(await screen.findByTestId('account-disconnect-confirm'));
    await waitFor(() => expect(within(card(2)).getByTestId('health-badge')).toHaveTextContent('Nonaktif'));
    expect(fake.calls.filter((c) => c.url.endsWith('/accounts/2/disconnect'))).toHaveLength(1);
    expect(within(card(2)).getByTestId('account-enable')).toBeInTheDocument();
    // A disconnected account can be connected again.
    expect(within(card(2)).getByTestId('account-reconnect')).toBeInTheDocument();
    expect(within(card(2)).queryByTestId('account-disconnect')).not.toBeInTheDocument();
  });

  it('disables an account', async () => {
    backend('admin');
    renderWithProviders(<AccountsPage />);
    await screen.findAllByTestId('account-card');
    await userEvent.setup().click(within(card(1)).getByTestId('account-disable'));
    await waitFor(() => expect(within(card(1)).getByTestId('health-badge')).toHaveTextContent('Nonaktif'));
  });

  it('shows the platform refusing a manual token next to the field', async () => {
    const fake = backend('admin');
    renderWithProviders(<AccountsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('manual-toggle'));
    await user.click(screen.getByTestId('manual-submit'));
    expect(screen.getByText('Wajib diisi')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Token akses Page/), 'EAAB-bad');
    await user.click(screen.getByTestId('manual-submit'));
    // The field says it in Indonesian, by the error's code, not in the server's English.
    expect(await screen.findByText(id.errors.codes.token_invalid)).toBeInTheDocument();
    expect(screen.queryByText('The platform refused this token.')).not.toBeInTheDocument();
    const post = fake.calls.find((c) => c.url.endsWith('/accounts/manual'))!;
    expect(await post.json()).toEqual({ unit_id: 1, platform: 'facebook', access_token: 'EAAB-bad' });
  });

  it('shows viewers the accounts and spend without any way to change them', async () => {
    backend('viewer');
    renderWithProviders(<AccountsPage />);
    await screen.findAllByTestId('account-card');
    expect(await screen.findByTestId('spend-total')).toBeInTheDocument();
    expect(screen.queryByTestId('connect-panel')).not.toBeInTheDocument();
    expect(screen.queryByTestId('account-reconnect')).not.toBeInTheDocument();
    expect(screen.queryByTestId('account-disable')).not.toBeInTheDocument();
    expect(screen.queryByTestId('spend-cap-editor')).not.toBeInTheDocument();
  });

  it('shows the result of the connection the platform sent the admin back from, and the new account', async () => {
    backend('admin', []);
    // The platform answers only after the page has read the (still empty) list.
    let listed = false;
    let answered = false;
    const routes = fakeFetch({
      'GET /api/v1/me': () => json(me('admin')),
      'GET /api/v1/units/1/x-spend': () => json(spend()),
      'GET /api/v1/accounts': () => {
        listed = true;
        return json({ items: answered ? [ACCOUNTS[0]] : [] });
      },
      'GET /api/v1/accounts/connect/c9': () => {
        answered = listed;
        const status = answered ? 'done' : 'pending';
        return json({ id: 'c9', unit_id: 1, platform: 'x', status, error: null, accounts: answered ? [ACCOUNTS[0]] : [], choices: [] });
      },
    });
    vi.stubGlobal('fetch', routes.fn);
    const onClosed = vi.fn();
    renderWithProviders(<AccountsPage connectId="c9" onConnectClosed={onClosed} />);
    expect(await screen.findByTestId('connect-done', {}, { timeout: 5000 })).toHaveTextContent('X: PTPSW BPPT (@PTPSW_BPPT)');
    expect(await screen.findByTestId('account-card')).toHaveTextContent('@PTPSW_BPPT');
    await userEvent.setup().click(screen.getByTestId('connect-close'));
    expect(onClosed).toHaveBeenCalledOnce();
  });
});
