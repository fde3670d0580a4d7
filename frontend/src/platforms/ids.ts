import type { Platform } from '../api/types';

/**
 * The platforms' ids alone, for code that only checks a value (the router's search parsing):
 * importing the networks themselves would put their counting code in the first page load.
 */
export const PLATFORM_IDS: readonly Platform[] = ['x', 'instagram', 'facebook'];

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORM_IDS as readonly string[]).includes(value);
}
