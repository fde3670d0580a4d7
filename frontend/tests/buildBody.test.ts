import { describe, expect, it } from 'vitest';
import type { Account } from '../src/api/types';
import { buildBody } from '../src/features/posts/PostFormPage';
import { sortAccounts } from '../src/lib/accounts';

function account(id: number, platform: Account['platform']): Account {
  return {
    id,
    unit_id: 1,
    platform,
    sandbox: true,
    external_id: `sandbox-${id}`,
    handle: '@PTPSW_BPPT',
    display_name: 'PTPSW',
    status: 'active',
    token_expires_at: null,
    avatar_url: null,
    connected: true,
    last_error: null,
    last_error_at: null,
    rate_limit: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

describe('buildBody', () => {
  const accounts = sortAccounts([account(3, 'facebook'), account(2, 'instagram'), account(1, 'x')]);

  it('sends the planned time in UTC and one variant per chosen account in X, Instagram, Facebook order', () => {
    const body = buildBody(
      {
        unitId: 1,
        title: '  Peluncuran layanan  ',
        category: 'Layanan Publik',
        campaign: '',
        notes: '',
        planned: '2026-03-12T09:30',
        selected: [3, 1],
        texts: { 1: 'teks X', 3: 'teks Facebook', 2: 'tidak dipilih' },
        media: { 3: [7] },
      },
      accounts,
      'Asia/Jakarta',
    );
    expect(body).toEqual({
      unit_id: 1,
      title: 'Peluncuran layanan',
      category: 'Layanan Publik',
      campaign: null,
      notes: null,
      planned_at: '2026-03-12T02:30:00.000Z',
      variants: [
        { account_id: 1, text: 'teks X', media_ids: [] },
        { account_id: 3, text: 'teks Facebook', media_ids: [7] },
      ],
    });
  });

  it('leaves the planned time empty when none is set', () => {
    const body = buildBody(
      { unitId: 1, title: 't', category: '', campaign: '', notes: '', planned: '', selected: [], texts: {}, media: {} },
      accounts,
      'Asia/Jakarta',
    );
    expect(body?.planned_at).toBeNull();
    expect(body?.variants).toEqual([]);
  });
});
