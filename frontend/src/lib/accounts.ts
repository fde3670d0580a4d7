import type { Account } from '../api/types';
import { PLATFORMS } from '../platforms';

/** Accounts in a steady order: by network (as `platforms` lists them), then by handle. */
export function sortAccounts(accounts: Account[]): Account[] {
  return [...accounts].sort(
    (a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform) || a.handle.localeCompare(b.handle) || a.id - b.id,
  );
}
