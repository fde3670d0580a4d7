import type { Role } from '../src/api/types';
import type { AccountInfo, ConnectResult, XSpend } from '../src/features/accounts/types';
import { SERVER_PERMISSIONS } from './serverPermissions';

export const UNIT = { id: 1, name: 'PTPSW', slug: 'ptpsw', timezone: 'Asia/Jakarta', requires_approval: true, created_at: '' };

export function me(role: Role) {
  const membership = { role, unit: UNIT, permissions: SERVER_PERMISSIONS[role] };
  return { id: 1, email: 'a@b.id', name: 'A', locale: 'id', is_superuser: false, memberships: [membership] };
}

export function account(over: Partial<AccountInfo> = {}): AccountInfo {
  return {
    id: 1,
    unit_id: 1,
    platform: 'x',
    sandbox: false,
    external_id: '12345',
    handle: '@PTPSW_BPPT',
    display_name: 'PTPSW BPPT',
    status: 'active',
    token_expires_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    avatar_url: null,
    connected: true,
    last_error: null,
    last_error_at: null,
    rate_limit: null,
    ...over,
  } as AccountInfo;
}

export function connectResult(over: Partial<ConnectResult> = {}): ConnectResult {
  return { id: 'c1', unit_id: 1, platform: 'facebook', status: 'pending', error: null, accounts: [], choices: [], ...over };
}

export function spend(over: Partial<XSpend> = {}): XSpend {
  return {
    unit_id: 1,
    month: '2026-11',
    estimated_usd: 12.5,
    cap_usd: 50,
    reads_paused: false,
    publishing_paused: false,
    by_class: [
      { price_class: 'post_create', calls: 100, estimated_usd: 1.5 },
      { price_class: 'post_create_url', calls: 55, estimated_usd: 11 },
    ],
    ...over,
  };
}
