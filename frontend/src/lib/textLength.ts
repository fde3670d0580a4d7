import twitterText from 'twitter-text';
import type { Platform } from '../api/types';

export const MAX_LENGTH: Record<Platform, number> = {
  x: 280,
  instagram: 2200,
  facebook: 63206,
};

/**
 * The length of a text as the platform counts it, shown while the server's
 * check is on its way: X's weighted length by twitter-text (v3: URLs 23, emoji
 * and CJK 2), characters for the others.
 */
export function estimateLength(platform: Platform, text: string): number {
  const normalized = text.normalize('NFC');
  if (platform !== 'x') return Array.from(normalized).length;
  return twitterText.parseTweet(normalized).weightedLength;
}
