import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { session } from '../src/api/session';
import type { Account, Role } from '../src/api/types';
import { HoldBanner } from '../src/features/holds/HoldBanner';
import { HoldsPage } from '../src/features/holds/HoldsPage';
import { PoliticalWarnings } from '../src/features/holds/PoliticalWarnings';
import type { HoldStatus } from '../src/features/holds/queries';
import i18n from '../src/i18n';
import { fakeFetch, json, renderWithProviders } from './render';
import { SERVER_PERMISSIONS } from './serverPermissions';

const UNIT = { id: 1, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', requires_approval: true, created_at: '' };
const EDITOR = { id: 7, name: 'Sari' };

const PERIOD: HoldStatus['blackouts'][number] = {
  id: 5,
  unit_id: 1,
  kind: 'election_quiet',
  label: 'Masa tenang Pilkada',
  starts_at: '2029-11-20T17:00:00Z',
  ends_at: '2029-11-23T17:00:00Z',
  active: true,
  created_by: EDITOR,
  created_at: '2029-11-01T00:00:00Z',
};

function idle(): HoldStatus {
  return { unit_id: 1, held: false, reasons: [], quiet_period: false, pause: null, agency_pause: null, blackouts: [], waiting: 0 };
}

function held(): HoldStatus {
  const pause = {
    id: 3,
    unit_id: 1,
    reason: 'Menunggu klarifikasi',
    paused_at: '2029-11-21T02:00:00Z',
    paused_by: EDITOR,
    resumed_at: null,
    resumed_by: null,
  };
  return {
    ...idle(),
    held: true,
    quiet_period: true,
    pause,
    reasons: [
      { kind: 'unit_pause', since: pause.paused_at, until: null, reason: pause.reason, blackout: null },
      { kind: 'blackout', since: PERIOD.starts_at, until: PERIOD.ends_at, reason: null, blackout: PERIOD },
    ],
    blackouts: [PERIOD],
    waiting: 2,
  };
}

function backend(role: Role, initial = idle()) {
  session.store({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 });
  let status = initial;
  const fake = fakeFetch({
    'GET /api/v1/me': () =>
      json({ id: 7, email: 'sari@b.id', name: 'Sari', locale: 'id', is_superuser: false, memberships: [{ role, unit: UNIT, permissions: SERVER_PERMISSIONS[role] }] }),
    'GET /api/v1/units/1/holds': () => json(status),
    'POST /api/v1/units/1/pause': () => {
      status = held();
      return json(status);
    },
    'POST /api/v1/units/1/resume': () => {
      status = idle();
      return json(status);
    },
    'POST /api/v1/units/1/blackouts': async (r) => {
      const body = (await r.json()) as { ends_at: string };
      if (body.ends_at < new Date().toISOString())
        return json(
          {
            error: 'validation_error',
            detail: 'x',
            fields: { ends_at: 'must be in the future' },
            rules: { ends_at: 'period_over' },
          },
          422,
        );
      status = { ...status, blackouts: [PERIOD] };
      return json(PERIOD, 201);
    },
    'DELETE /api/v1/units/1/blackouts/5': () => {
      status = { ...status, blackouts: [] };
      return new Response(null, { status: 204 });
    },
  });
  vi.stubGlobal('fetch', fake.fn);
  return fake;
}

function sent(fake: ReturnType<typeof fakeFetch>, method: string, path: string) {
  return fake.calls.filter((r) => r.method === method && new URL(r.url).pathname === path);
}

describe('HoldsPage', { timeout: 20_000 }, () => {
  it('pauses with a reason and resumes', async () => {
    const fake = backend('editor');
    renderWithProviders(<HoldsPage />);
    const user = userEvent.setup();
    expect(await screen.findByText('Publikasi berjalan')).toBeInTheDocument();
    const pause = screen.getByRole('button', { name: 'Jeda publikasi' });
    expect(pause).toBeDisabled(); // a reason first
    await user.type(screen.getByLabelText('Alasan jeda'), 'Menunggu klarifikasi');
    await user.click(pause);
    expect(await screen.findByText('Publikasi ditahan')).toBeInTheDocument();
    const [call] = sent(fake, 'POST', '/api/v1/units/1/pause');
    expect(await call.json()).toEqual({ reason: 'Menunggu klarifikasi' });
    const state = screen.getByTestId('hold-state');
    expect(state).toHaveTextContent('Unit dijeda: Menunggu klarifikasi');
    expect(state).toHaveTextContent('Masa tenang pemilu “Masa tenang Pilkada” sampai 24 Nov 2029, 00.00 WIB');
    expect(screen.getByTestId('unit-pause-paused')).toHaveTextContent('oleh Sari: Menunggu klarifikasi');
    await user.click(screen.getByRole('button', { name: 'Lanjutkan publikasi' }));
    expect(await screen.findByText('Publikasi berjalan')).toBeInTheDocument();
  });

  it('adds a period typed in WIB as UTC, checks the order first, and shows server field errors', async () => {
    const fake = backend('admin');
    renderWithProviders(<HoldsPage />);
    const user = userEvent.setup();
    const form = await screen.findByTestId('blackout-form');
    await user.type(within(form).getByLabelText(/^Nama periode/), 'Masa tenang Pilkada');
    await user.type(within(form).getByLabelText('Mulai (WIB)'), '2029-11-21T00:00');
    await user.type(within(form).getByLabelText('Selesai (WIB)'), '2029-11-20T00:00');
    await user.click(within(form).getByRole('button', { name: 'Tambah periode' }));
    expect(within(form).getByText('Waktu selesai harus setelah waktu mulai')).toBeInTheDocument();
    expect(sent(fake, 'POST', '/api/v1/units/1/blackouts')).toHaveLength(0);

    await user.clear(within(form).getByLabelText('Selesai (WIB)'));
    await user.type(within(form).getByLabelText('Selesai (WIB)'), '2029-11-24T00:00');
    await user.click(within(form).getByRole('button', { name: 'Tambah periode' }));
    await waitFor(() => expect(screen.getAllByTestId('blackout-row')).toHaveLength(1));
    const [call] = sent(fake, 'POST', '/api/v1/units/1/blackouts');
    expect(await call.json()).toEqual({
      kind: 'election_quiet',
      label: 'Masa tenang Pilkada',
      starts_at: '2029-11-20T17:00:00.000Z',
      ends_at: '2029-11-23T17:00:00.000Z',
    });
    expect(screen.getByTestId('blackout-row')).toHaveTextContent('21 Nov 2029, 00.00 WIB');

    await user.type(within(form).getByLabelText(/^Nama periode/), 'Lama');
    await user.type(within(form).getByLabelText('Mulai (WIB)'), '2020-01-01T00:00');
    await user.type(within(form).getByLabelText('Selesai (WIB)'), '2020-01-02T00:00');
    await user.click(within(form).getByRole('button', { name: 'Tambah periode' }));
    // In the reader's language, from the rule's code, not the server's English.
    expect(await within(form).findByText(/Harus di masa depan/)).toBeInTheDocument();

    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Hapus periode Masa tenang Pilkada' }));
    await waitFor(() => expect(screen.queryByTestId('blackout-row')).not.toBeInTheDocument());
    expect(sent(fake, 'DELETE', '/api/v1/units/1/blackouts/5')).toHaveLength(1);
  });

  it('shows a viewer the state without controls', async () => {
    backend('viewer', held());
    renderWithProviders(<HoldsPage />);
    expect(await screen.findByText('Publikasi ditahan')).toBeInTheDocument();
    expect(screen.getByTestId('blackout-row')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Lanjutkan publikasi/ })).not.toBeInTheDocument();
    expect(screen.queryByTestId('blackout-form')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Hapus/ })).not.toBeInTheDocument();
  });
});

describe('HoldBanner', { timeout: 20_000 }, () => {
  it('says why the unit is held, how many posts wait, and about political content', async () => {
    backend('viewer', held());
    renderWithProviders(<HoldBanner unitId={1} timeZone="Asia/Jakarta" />);
    const banner = await screen.findByTestId('hold-banner');
    expect(banner).toHaveTextContent('Publikasi unit ini sedang ditahan');
    expect(banner).toHaveTextContent('Unit dijeda: Menunggu klarifikasi');
    expect(banner).toHaveTextContent('2 posting terjadwal menunggu.');
    expect(banner).toHaveTextContent('memperingatkan konten politik');
    await i18n.changeLanguage('en');
    await waitFor(() => expect(banner).toHaveTextContent('2 scheduled posts are waiting.'));
  });

  it('is absent while nothing holds the unit', async () => {
    const fake = backend('viewer');
    renderWithProviders(<HoldBanner unitId={1} timeZone="Asia/Jakarta" />);
    await waitFor(() => expect(sent(fake, 'GET', '/api/v1/units/1/holds')).toHaveLength(1));
    expect(screen.queryByTestId('hold-banner')).not.toBeInTheDocument();
  });
});

describe('PoliticalWarnings', () => {
  const account = {
    id: 1,
    unit_id: 1,
    platform: 'x',
    sandbox: true,
    external_id: 's-1',
    handle: '@PTPSW_BPPT',
    display_name: 'PTPSW',
    status: 'active',
    token_expires_at: null,
    created_at: '',
    updated_at: '',
  } as unknown as Account;

  it('lists the political terms of each variant during a quiet period', () => {
    renderWithProviders(
      <PoliticalWarnings
        accounts={[account]}
        warnings={[
          {
            field: 'variants.0.text',
            variant_index: 0,
            account_id: 1,
            platform: 'x',
            rule: 'political_content',
            message: 'Election quiet period…',
            params: { terms: ['coblos', 'nomor urut'], period: 'Masa tenang Pilkada', ends_at: PERIOD.ends_at },
          },
        ]}
      />,
    );
    const box = screen.getByTestId('political-warnings');
    expect(box).toHaveTextContent('Masa tenang pemilu (Masa tenang Pilkada): periksa konten politik');
    expect(box).toHaveTextContent('X @PTPSW_BPPT: “coblos”, “nomor urut”');
    expect(box).toHaveTextContent('Posting tetap dapat disimpan.');
  });

  it('shows nothing without warnings', () => {
    renderWithProviders(<PoliticalWarnings accounts={[account]} warnings={[]} />);
    expect(screen.queryByTestId('political-warnings')).not.toBeInTheDocument();
  });
});
