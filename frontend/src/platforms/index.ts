import type { Platform } from '../api/types';
import { facebook } from './facebook';
import { instagram } from './instagram';
import type { Network } from './types';
import { x } from './x';

export type { Network } from './types';

/** Every network, in the order lists show them. Adding one means its module and a line here. */
export const NETWORKS: readonly Network[] = [x, instagram, facebook];

const BY_PLATFORM = Object.fromEntries(NETWORKS.map((n) => [n.platform, n])) as Record<Platform, Network>;

export const PLATFORMS: Platform[] = NETWORKS.map((n) => n.platform);

export function network(platform: Platform): Network {
  return BY_PLATFORM[platform];
}

export { isPlatform } from './ids';

const lastCount = new Map<Platform, { text: string; length: number }>();

/**
 * The length of a text as the platform counts it, shown while the server's check is on its
 * way. X's count equals twitter-text's parseTweet except on a URL longer than PIECE_MAX
 * characters (see lib/textLength); the server's count then corrects it.
 */
export function estimateLength(platform: Platform, text: string): number {
  // The form renders on every keystroke; the text of the other variants has not changed.
  const last = lastCount.get(platform);
  if (last && last.text === text) return last.length;
  const length = network(platform).count(text.normalize('NFC'));
  lastCount.set(platform, { text, length });
  return length;
}
