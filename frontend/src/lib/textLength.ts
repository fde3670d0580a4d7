import type { Platform } from '../api/types';

export const MAX_LENGTH: Record<Platform, number> = {
  x: 280,
  instagram: 2200,
  facebook: 63206,
};

const URL_PATTERN = /\bhttps?:\/\/[^\s]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|id|io|co|gov|go\.id|ac\.id)(?:\/[^\s]*)?/gi;
const URL_WEIGHT = 23;

/** Code points that X counts once; everything else counts twice. */
function isLightCodePoint(cp: number): boolean {
  return (
    (cp >= 0 && cp <= 4351) ||
    (cp >= 8192 && cp <= 8205) ||
    (cp >= 8208 && cp <= 8223) ||
    (cp >= 8242 && cp <= 8247)
  );
}

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    : null;

const EMOJI = /\p{Extended_Pictographic}/u;

function weightOf(text: string): number {
  let total = 0;
  const graphemes = segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text);
  for (const g of graphemes) {
    if (EMOJI.test(g)) {
      total += 2;
      continue;
    }
    for (const ch of g) {
      total += isLightCodePoint(ch.codePointAt(0) ?? 0) ? 1 : 2;
    }
  }
  return total;
}

/**
 * A quick local estimate of a text's length as the platform counts it, shown
 * while the server's exact count is on its way. X weighs URLs as 23, emoji and
 * CJK as 2; the others count characters.
 */
export function estimateLength(platform: Platform, text: string): number {
  const normalized = text.normalize('NFC');
  if (platform !== 'x') return Array.from(normalized).length;
  let total = 0;
  let last = 0;
  for (const match of normalized.matchAll(URL_PATTERN)) {
    total += weightOf(normalized.slice(last, match.index));
    total += URL_WEIGHT;
    last = (match.index ?? 0) + match[0].length;
  }
  total += weightOf(normalized.slice(last));
  return total;
}
