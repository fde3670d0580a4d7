import type { Account, Platform } from '../api/types';

const ORDER: Record<Platform, number> = { x: 0, instagram: 1, facebook: 2 };

/** Accounts in a steady order: X, Instagram, Facebook, then by handle. */
export function sortAccounts(accounts: Account[]): Account[] {
  return [...accounts].sort(
    (a, b) => ORDER[a.platform] - ORDER[b.platform] || a.handle.localeCompare(b.handle) || a.id - b.id,
  );
}
