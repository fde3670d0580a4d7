import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import { ConnectResultPanel } from '../src/features/accounts/ConnectResult';
import { groupChoices } from '../src/features/accounts/PagePicker';
import type { ConnectChoice, ConnectResult } from '../src/features/accounts/types';
import id from '../src/i18n/id.json';
import { account, connectResult } from './accountsFixtures';
import { fakeFetch, json, renderWithProviders } from './render';

const PAGE: ConnectChoice = {
  external_id: '1001',
  platform: 'facebook',
  name: 'PTPSW BPPT',
  handle: 'PTPSW.BPPT',
  picture_url: 'https://example.test/page.jpg',
  linked_to: null,
  connected_account_id: null,
};
const IG: ConnectChoice = {
  external_id: '1789',
  platform: 'instagram',
  name: 'PTPSW',
  handle: '@ptpsw_bppt',
  picture_url: null,
  linked_to: '1001',
  connected_account_id: null,
};
const OTHER_PAGE: ConnectChoice = { ...PAGE, external_id: '2002', name: 'Balai Lain', handle: 'BalaiLain', connected_account_id: 7 };

function backend(results: ConnectResult[], onChoose?: (ids: string[]) => ConnectResult) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  let n = 0;
  const fake = fakeFetch({
    'GET /api/v1/accounts/connect/c1': () => json(results[Math.min(n++, results.length - 1)]),
    'GET /api/v1/accounts/connect/gone': () =>
      json({ error: 'connection_not_found', detail: 'No such connection.' }, 404),
    'POST /api/v1/accounts/connect/c1/choose': async (r) => {
      const body = (await r.json()) as { external_ids: string[] };
      return json(onChoose!(body.external_ids));
    },
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

describe('connect result', () => {
  it('asks again while the connection is pending, then shows the connected accounts', async () => {
    const fake = backend([
      connectResult({ platform: 'x' }),
      connectResult({ platform: 'x', status: 'done', accounts: [account({ display_name: 'PTPSW BPPT', handle: '@PTPSW_BPPT' })] }),
    ]);
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    expect(await screen.findByTestId('connect-pending')).toHaveTextContent('Menunggu jawaban dari X');
    const done = await screen.findByTestId('connect-done', {}, { timeout: 5000 });
    expect(done).toHaveTextContent('Akun terhubung');
    expect(done).toHaveTextContent('X: PTPSW BPPT (@PTPSW_BPPT)');
    expect(fake.calls.filter((c) => c.method === 'GET').length).toBe(2);
  });

  it('explains a failure by its code in Indonesian', async () => {
    backend([connectResult({ status: 'failed', error: { code: 'denied', message: 'The user denied access.' } })]);
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    const failed = await screen.findByTestId('connect-failed');
    expect(failed).toHaveTextContent('Facebook Page tidak dapat dihubungkan');
    expect(failed).toHaveTextContent('Akses tidak diizinkan di Facebook; tidak ada akun yang dihubungkan.');
    expect(failed).not.toHaveTextContent('The user denied access.');
  });

  it('falls back to the server text for a code it does not know', async () => {
    backend([connectResult({ status: 'failed', error: { code: 'odd_thing' as 'rejected', message: 'Something odd.' } })]);
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    expect(await screen.findByTestId('connect-failed')).toHaveTextContent('Something odd.');
  });

  it('says so when the connection is unknown or gone, and closes', async () => {
    backend([]);
    const onClose = vi.fn();
    renderWithProviders(<ConnectResultPanel connectId="gone" onClose={onClose} />);
    expect(await screen.findByTestId('connect-failed')).toHaveTextContent(id.errors.codes.connection_not_found);
    await userEvent.setup().click(screen.getByTestId('connect-close'));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('lets the admin pick Pages and the linked Instagram account, and sends exactly those', async () => {
    const chosen: string[][] = [];
    backend([connectResult({ status: 'choose', choices: [PAGE, IG, OTHER_PAGE] })], (ids) => {
      chosen.push(ids);
      return connectResult({
        status: 'done',
        accounts: [
          account({ id: 5, platform: 'facebook', handle: 'PTPSW.BPPT', display_name: 'PTPSW BPPT' }),
          account({ id: 6, platform: 'instagram', handle: '@ptpsw_bppt', display_name: 'PTPSW' }),
        ],
      });
    });
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    const picker = await screen.findByTestId('page-picker');
    // The Instagram account sits under its Page, with the Page's picture.
    const pageRow = within(picker).getByTestId('choice-1001');
    expect(pageRow.querySelector('img')).toHaveAttribute('src', PAGE.picture_url);
    expect(within(picker).getByTestId('choice-1789')).toHaveTextContent('@ptpsw_bppt · Instagram tertaut ke Page ini');
    expect(within(picker).getByTestId('choice-2002')).toHaveTextContent('Sudah terhubung');
    const submit = screen.getByTestId('picker-submit');
    expect(submit).toBeDisabled();
    const user = userEvent.setup();
    await user.click(screen.getByTestId('choose-1789'));
    await user.click(screen.getByTestId('choose-1001'));
    expect(submit).toHaveTextContent('Hubungkan 2 akun');
    await user.click(submit);
    const done = await screen.findByTestId('connect-done');
    expect(chosen).toEqual([['1001', '1789']]);
    expect(done).toHaveTextContent('Facebook Page: PTPSW BPPT (PTPSW.BPPT)');
    expect(done).toHaveTextContent('Instagram: PTPSW (@ptpsw_bppt)');
  });

  it('says when the login manages no Page', async () => {
    backend([connectResult({ status: 'choose', choices: [] })]);
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    expect(await screen.findByTestId('picker-empty')).toHaveTextContent('tidak mengelola Page apa pun');
  });

  it('groups Instagram accounts under their Page and keeps unlinked ones', () => {
    const loose = { ...IG, external_id: '1790', linked_to: '9999' };
    expect(groupChoices([IG, PAGE, loose, OTHER_PAGE])).toEqual([
      { page: PAGE, linked: [IG] },
      { page: OTHER_PAGE, linked: [] },
      { page: null, linked: [loose] },
    ]);
  });
});

describe('connect result polling', () => {
  it('stops asking once the result is final', async () => {
    const fake = backend([connectResult({ status: 'failed', error: { code: 'denied', message: '' } })]);
    renderWithProviders(<ConnectResultPanel connectId="c1" onClose={() => undefined} />);
    await screen.findByTestId('connect-failed');
    await new Promise((r) => setTimeout(r, 1700));
    await waitFor(() => expect(fake.calls.length).toBe(1));
  });
});
