import type { AccountInfo, RateLimit } from './types';

/** What the health badge says about an account, most urgent first. */
export type Health = 'disabled' | 'needs_reauth' | 'not_connected' | 'simulated' | 'connected';

export function healthOf(account: AccountInfo): Health {
  if (account.status === 'disabled') return 'disabled';
  if (account.status === 'needs_reauth') return 'needs_reauth';
  if (account.sandbox) return 'simulated';
  return account.connected ? 'connected' : 'not_connected';
}

/**
 * Whether the admin can send the account through the platform's login again: any real account,
 * also a disconnected one (reconnecting stores new tokens and makes it active again).
 */
export function canReconnect(account: AccountInfo): boolean {
  return !account.sandbox;
}

export type TokenState = 'none' | 'valid' | 'expired';

export function tokenState(account: AccountInfo, now: Date = new Date()): TokenState {
  if (account.sandbox || !account.token_expires_at) return 'none';
  return new Date(account.token_expires_at).getTime() <= now.getTime() ? 'expired' : 'valid';
}

/** A rate-limit reading with every figure present (null when the network did not say). */
export interface RateLimitFigures {
  limit: number | null;
  remaining: number | null;
  resets_at: string | null;
  usage_pct: number | null;
  observed_at: string;
}

export function figures(limit: RateLimit): RateLimitFigures {
  return {
    limit: limit.limit ?? null,
    remaining: limit.remaining ?? null,
    resets_at: limit.resets_at ?? null,
    usage_pct: limit.usage_pct ?? null,
    observed_at: limit.observed_at,
  };
}

/** Calls wait until `resets_at` when nothing is left or Meta's usage has reached 100 %. */
export function rateLimited(reading: RateLimit | null, now: Date = new Date()): boolean {
  if (!reading) return false;
  const limit = figures(reading);
  const resetPassed = limit.resets_at !== null && new Date(limit.resets_at).getTime() <= now.getTime();
  if (resetPassed) return false;
  return limit.remaining === 0 || (limit.usage_pct !== null && limit.usage_pct >= 100);
}
