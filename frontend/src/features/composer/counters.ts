/**
 * Live counts the composer shows as the user types: length as the platform counts it, where the
 * text goes over (so the overflow can be highlighted), what makes it long (links count 23 on X,
 * emoji 2), hashtags and mentions, and the media rules that can be checked before the server.
 */
import twitterText, { type ParseTweetOptions } from 'twitter-text';
import type { Platform } from '../../api/types';
import { countingBatches } from '../../lib/textLength';
import { network } from '../../platforms';
import type { MediaItem } from './model';

export const X_URL_LENGTH = 23;
export const LIMITS = {
  instagram: { hashtags: 30, mentions: 20, carousel: 10, minRatio: 0.8, maxRatio: 1.91, tolerance: 0.005 },
  x: { images: 4 },
} as const;

const URL_PATTERN = /\bhttps?:\/\/[^\s]+|\b(?:www\.)[^\s]+/giu;
const EMOJI_PATTERN = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
const HASHTAG_PATTERN = /(^|[^\p{L}\p{N}_&])[#＃]([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;
const MENTION_PATTERN = /(^|[^\p{L}\p{N}_])@([A-Za-z0-9_.]{1,30})/gu;

export function hashtagsIn(text: string): string[] {
  return Array.from(text.matchAll(HASHTAG_PATTERN), (m) => `#${m[2]}`);
}

export function mentionsIn(text: string): string[] {
  return Array.from(text.matchAll(MENTION_PATTERN), (m) => `@${m[2]}`);
}

export interface Count {
  platform: Platform;
  length: number;
  max: number;
  over: number;
  /** UTF-16 index where the text stops fitting (only when over). */
  overflowAt: number | null;
  links: number;
  emoji: number;
  hashtags: number;
  mentions: number;
  maxHashtags: number | null;
  maxMentions: number | null;
}

// The library's own v3 settings (the ones parseTweet uses by default), not in its type definitions.
const DEFAULTS = (twitterText as unknown as { configs: { defaults: ParseTweetOptions } }).configs.defaults;

/** UTF-16 index of the first character that no longer fits in X's 280 (the text is NFC). */
function xOverflowAt(text: string, max: number): number | null {
  let used = 0;
  let offset = 0;
  for (const batch of countingBatches(text)) {
    const parsed = twitterText.parseTweet(batch);
    if (used + parsed.weightedLength > max) {
      const config: ParseTweetOptions = { ...DEFAULTS, maxWeightedTweetLength: Math.max(0, max - used) };
      const inBatch = twitterText.parseTweet(batch, config);
      // validRangeEnd is the last character that fits; -1 style ends mean "none fits".
      const end = inBatch.validRangeEnd >= inBatch.validRangeStart ? inBatch.validRangeEnd + 1 : 0;
      return offset + Math.min(end, batch.length);
    }
    used += parsed.weightedLength;
    offset += batch.length;
  }
  return null;
}

/** UTF-16 index after `max` code points. */
function codePointOverflowAt(text: string, max: number): number | null {
  let points = 0;
  for (let i = 0; i < text.length; ) {
    if (points === max) return i;
    const code = text.codePointAt(i) ?? 0;
    i += code > 0xffff ? 2 : 1;
    points += 1;
  }
  return null;
}

// The form counts the same text in several places per keystroke (tab, panel, base counters), and
// twitter-text takes tens of milliseconds on a long text: the last answer per platform is kept.
const lastCount = new Map<Platform, { raw: string; count: Count }>();

export function countText(platform: Platform, raw: string): Count {
  const last = lastCount.get(platform);
  if (last && last.raw === raw) return last.count;
  const count = computeCount(platform, raw);
  lastCount.set(platform, { raw, count });
  return count;
}

function computeCount(platform: Platform, raw: string): Count {
  const text = raw.normalize('NFC');
  const n = network(platform);
  const length = n.count(text);
  const max = n.maxLength;
  const over = Math.max(0, length - max);
  const overflowAt = over > 0 ? (platform === 'x' ? xOverflowAt(text, max) : codePointOverflowAt(text, max)) : null;
  return {
    platform,
    length,
    max,
    over,
    overflowAt,
    links: (text.match(URL_PATTERN) ?? []).length,
    emoji: (text.match(EMOJI_PATTERN) ?? []).length,
    hashtags: hashtagsIn(text).length,
    mentions: mentionsIn(text).length,
    maxHashtags: platform === 'instagram' ? LIMITS.instagram.hashtags : null,
    maxMentions: platform === 'instagram' ? LIMITS.instagram.mentions : null,
  };
}

/** i18n key and values of the hint that says what to cut; null when the text fits. */
export function overflowHint(count: Count): { key: string; values: Record<string, number> } | null {
  if (count.over <= 0) return null;
  if (count.platform === 'x' && (count.links > 0 || count.emoji > 0)) {
    return {
      key: 'composer.counter.cutX',
      values: { over: count.over, links: count.links, emoji: count.emoji, url: X_URL_LENGTH },
    };
  }
  return { key: 'composer.counter.cut', values: { over: count.over } };
}

export type MediaIssue =
  | { rule: 'ratio'; id: number; ratio: number }
  | { rule: 'alt'; id: number }
  | { rule: 'tooMany'; count: number; max: number }
  | { rule: 'required' };

/** Instagram takes images from 4:5 to 1.91:1 (with a little rounding slack). */
export function ratioOutOfRange(width: number | null, height: number | null): number | null {
  if (!width || !height) return null;
  const ratio = width / height;
  const { minRatio, maxRatio, tolerance } = LIMITS.instagram;
  return ratio < minRatio - tolerance || ratio > maxRatio + tolerance ? ratio : null;
}

/** Media problems the composer can tell without the server. */
export function mediaIssues(platform: Platform, media: MediaItem[], requireAlt: boolean): MediaIssue[] {
  const issues: MediaIssue[] = [];
  if (platform === 'instagram') {
    if (media.length === 0) issues.push({ rule: 'required' });
    if (media.length > LIMITS.instagram.carousel) {
      issues.push({ rule: 'tooMany', count: media.length, max: LIMITS.instagram.carousel });
    }
    for (const m of media) {
      const ratio = m.kind === 'image' ? ratioOutOfRange(m.width, m.height) : null;
      if (ratio !== null) issues.push({ rule: 'ratio', id: m.id, ratio });
    }
  }
  if (platform === 'x' && media.length > LIMITS.x.images) {
    issues.push({ rule: 'tooMany', count: media.length, max: LIMITS.x.images });
  }
  if (requireAlt) for (const m of media) if (m.kind === 'image' && !m.alt.trim()) issues.push({ rule: 'alt', id: m.id });
  return issues;
}
