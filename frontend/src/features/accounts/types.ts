import type { Account, Platform } from '../../api/types';

/*
 * Shapes of the connect and X-spend API (contracts of this round), written by hand until the
 * generated schema carries them.
 */

export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  resets_at: string | null;
  usage_pct: number | null;
  observed_at: string;
}

/** An account as the accounts screen reads it: the list item plus its health. */
export type AccountInfo = Account & {
  avatar_url: string | null;
  connected: boolean;
  token_expires_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  rate_limit: RateLimit | null;
};

export type ConnectPlatform = Platform;
export type ManualPlatform = 'facebook' | 'instagram';

export interface ConnectStart {
  id: string;
  authorize_url: string;
  expires_at: string;
}

export type ConnectStatus = 'pending' | 'choose' | 'done' | 'failed';

export interface ConnectChoice {
  external_id: string;
  platform: Platform;
  name: string;
  handle: string;
  picture_url: string | null;
  /** Instagram: the external id of the Facebook Page it is linked to. */
  linked_to: string | null;
  connected_account_id: number | null;
}

export interface ConnectResult {
  id: string;
  unit_id: number;
  platform: Platform;
  status: ConnectStatus;
  error: { code: string; message: string } | null;
  accounts: AccountInfo[];
  choices: ConnectChoice[];
}

export interface XSpendClass {
  price_class: string;
  calls: number;
  estimated_usd: number;
}

export interface XSpend {
  unit_id: number;
  month: string;
  estimated_usd: number;
  cap_usd: number | null;
  reads_paused: boolean;
  publishing_paused: boolean;
  by_class: XSpendClass[];
}
