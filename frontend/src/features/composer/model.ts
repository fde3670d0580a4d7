/**
 * The composer's form model and the pure rules around it: a base text, media and hashtags that
 * every platform inherits, and per-platform overrides. Nothing here touches React or the network.
 */
import type { Account, Platform, Post, PostInput, PostPatch, VariantOptions } from '../../api/types';

export interface MediaItem {
  id: number;
  url: string;
  kind: 'image' | 'video' | string;
  width: number | null;
  height: number | null;
  alt: string;
  filename: string | null;
}

/** What one platform changes; `null` means "the same as the base". */
export interface Override {
  text: string | null;
  media: MediaItem[] | null;
  hashtags: string[] | null;
  /** Instagram: a first comment (often the hashtags). */
  firstComment: string;
  /** Facebook: a link that the post previews. */
  link: string;
  /** X: the follow-up posts of a thread, after the first. */
  thread: string[];
}

export interface ComposerValues {
  unitId: number | null;
  title: string;
  category: string;
  campaign: string;
  notes: string;
  dataSource: string;
  /** UTC ISO instant, or null. */
  plannedAt: string | null;
  accountIds: number[];
  baseText: string;
  baseMedia: MediaItem[];
  baseHashtags: string[];
  overrides: Record<Platform, Override>;
}

export const PLATFORM_ORDER: Platform[] = ['x', 'instagram', 'facebook'];

export function emptyOverride(): Override {
  return { text: null, media: null, hashtags: null, firstComment: '', link: '', thread: [] };
}

export function emptyValues(unitId: number | null): ComposerValues {
  return {
    unitId,
    title: '',
    category: '',
    campaign: '',
    notes: '',
    dataSource: '',
    plannedAt: null,
    accountIds: [],
    baseText: '',
    baseMedia: [],
    baseHashtags: [],
    overrides: { x: emptyOverride(), instagram: emptyOverride(), facebook: emptyOverride() },
  };
}

export interface Effective {
  platform: Platform;
  text: string;
  media: MediaItem[];
  hashtags: string[];
  /** Which parts come from the platform's own override. */
  own: { text: boolean; media: boolean; hashtags: boolean };
  firstComment: string;
  link: string;
  thread: string[];
}

/** What one platform publishes: its override where it has one, the base otherwise. */
export function effective(values: ComposerValues, platform: Platform): Effective {
  const o = values.overrides[platform] ?? emptyOverride();
  return {
    platform,
    text: o.text ?? values.baseText,
    media: o.media ?? values.baseMedia,
    hashtags: o.hashtags ?? values.baseHashtags,
    own: { text: o.text !== null, media: o.media !== null, hashtags: o.hashtags !== null },
    firstComment: platform === 'instagram' ? o.firstComment : '',
    link: platform === 'facebook' ? o.link : '',
    thread: platform === 'x' ? o.thread.filter((t) => t.trim() !== '') : [],
  };
}

/** A hashtag as typed ("#Gaung", "gaung ", "#") to its canonical "#Gaung", or null. */
export function normalizeHashtag(raw: string): string | null {
  const tag = raw.trim().replace(/^#+/, '').replace(/\s+/g, '');
  return tag ? `#${tag}` : null;
}

function hasTag(text: string, tag: string): boolean {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/**
 * The text a platform receives: the text, then the hashtags it does not already hold, then
 * (Facebook) the link unless the text already has it.
 */
export function composeText(e: Pick<Effective, 'text' | 'hashtags' | 'link'>): string {
  let text = e.text.replace(/\s+$/, '');
  const tags = e.hashtags.filter((tag) => !hasTag(text, tag));
  if (tags.length) text = text ? `${text}\n\n${tags.join(' ')}` : tags.join(' ');
  const link = e.link.trim();
  if (link && !text.includes(link)) text = text ? `${text}\n\n${link}` : link;
  return text;
}

/** Selected accounts in the list's order, grouped by platform in PLATFORM_ORDER. */
export function selectedPlatforms(values: ComposerValues, accounts: Account[]): Platform[] {
  const chosen = new Set(accounts.filter((a) => values.accountIds.includes(a.id)).map((a) => a.platform));
  return PLATFORM_ORDER.filter((p) => chosen.has(p));
}

/** The variants to send: one per selected account, in the accounts' order. */
export function buildVariants(values: ComposerValues, accounts: Account[]): PostInput['variants'] {
  return accounts
    .filter((a) => values.accountIds.includes(a.id))
    .map((a) => {
      const e = effective(values, a.platform);
      // The link travels as the Facebook option (the feed post's link), not inside the text.
      return {
        account_id: a.id,
        text: composeText({ ...e, link: '' }),
        media_ids: e.media.map((m) => m.id),
        options: variantOptions(e),
      };
    });
}

/** A variant's options as the server takes them: each network's own, the rest left empty. */
export function variantOptions(e: Pick<Effective, 'firstComment' | 'link' | 'thread'>): VariantOptions {
  return {
    first_comment: e.firstComment.trim() || null,
    thread: e.thread.map((part) => part.trim()).filter((part) => part !== ''),
    link: e.link.trim() || null,
  };
}

const blank = (s: string) => s.trim() || null;

/**
 * `withDataSource`: the server knows the field (a server before it refuses unknown fields, so an
 * empty one is left out there).
 */
export function buildCreate(values: ComposerValues, accounts: Account[], withDataSource = true): PostInput | null {
  if (values.unitId === null) return null;
  return {
    unit_id: values.unitId,
    title: values.title.trim(),
    category: blank(values.category),
    campaign: blank(values.campaign),
    notes: blank(values.notes),
    planned_at: values.plannedAt,
    variants: buildVariants(values, accounts),
    ...((withDataSource || blank(values.dataSource)) ? { data_source: blank(values.dataSource) } : {}),
  } as PostInput;
}

export function buildPatch(values: ComposerValues, accounts: Account[], withDataSource = true): PostPatch {
  const body = buildCreate(values, accounts, withDataSource);
  if (!body) return {};
  const { unit_id: _unit, ...patch } = body;
  void _unit;
  return patch as PostPatch;
}

function mediaOf(v: Post['variants'][number]): MediaItem[] {
  const byId = new Map((v.media ?? []).map((m) => [m.id, m]));
  return (v.media_ids ?? []).map((id) => {
    const m = byId.get(id);
    return {
      id,
      url: m?.url ?? '',
      kind: m?.kind ?? 'image',
      width: m?.width ?? null,
      height: m?.height ?? null,
      alt: m?.alt_text ?? '',
      filename: m?.original_filename ?? null,
    };
  });
}

function mostCommon(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let best = items[0] ?? '';
  for (const [item, n] of counts) if (n > (counts.get(best) ?? 0)) best = item;
  return best;
}

/**
 * A saved post read back into the form: the text most platforms share becomes the base, the
 * platforms that differ override it (a post saved with one text reads back with no override).
 */
export function valuesFromPost(post: Post & { data_source?: string | null }): ComposerValues {
  const values = emptyValues(post.unit_id);
  values.title = post.title;
  values.category = post.category ?? '';
  values.campaign = post.campaign ?? '';
  values.notes = post.notes ?? '';
  values.dataSource = post.data_source ?? '';
  values.plannedAt = post.planned_at;
  values.accountIds = post.variants.map((v) => v.account_id);
  const first = new Map<Platform, Post['variants'][number]>();
  for (const v of post.variants) if (!first.has(v.platform)) first.set(v.platform, v);
  const variants = Array.from(first.values());
  values.baseText = mostCommon(variants.map((v) => v.text));
  const mediaKey = (v: Post['variants'][number]) => (v.media_ids ?? []).join(',');
  const commonMedia = mostCommon(variants.map(mediaKey));
  const baseMediaFrom = variants.find((v) => mediaKey(v) === commonMedia);
  values.baseMedia = baseMediaFrom ? mediaOf(baseMediaFrom) : [];
  for (const v of variants) {
    const o = values.overrides[v.platform];
    if (v.text !== values.baseText) o.text = v.text;
    if (mediaKey(v) !== commonMedia) o.media = mediaOf(v);
    const options = v.options;
    if (options) {
      o.firstComment = options.first_comment ?? '';
      o.link = options.link ?? '';
      o.thread = [...(options.thread ?? [])];
    }
  }
  return values;
}

/** Every media item the form refers to (base and overrides), each once. */
export function allMedia(values: ComposerValues): MediaItem[] {
  const seen = new Map<number, MediaItem>();
  for (const m of values.baseMedia) seen.set(m.id, m);
  for (const p of PLATFORM_ORDER) for (const m of values.overrides[p]?.media ?? []) if (!seen.has(m.id)) seen.set(m.id, m);
  return Array.from(seen.values());
}

/** Moves the item at `from` to `to` (carousel order). */
export function move<T>(items: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return items;
  const next = items.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}
