/**
 * Unsaved edits kept in the browser per post, so a reload, a Back or a failed request never
 * loses them; and the writing-check findings the user dismissed, per post.
 */
import type { ComposerValues } from './model';

export interface StoredDraft {
  values: ComposerValues;
  /** When the edit was kept (ms since epoch). */
  savedAt: number;
  /** The post's `updated_at` the edit started from, to tell a draft older than the server's copy. */
  base: string | null;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const draftKey = (postId: number | null) => `gaung.composer.draft.${postId ?? 'new'}`;
export const dismissedKey = (postId: number | null) => `gaung.composer.dismissed.${postId ?? 'new'}`;

function store(): Store | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function saveDraft(postId: number | null, draft: StoredDraft, s: Store | null = store()): void {
  try {
    s?.setItem(draftKey(postId), JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the form still works, only the safety net is gone.
  }
}

export function loadDraft(postId: number | null, s: Store | null = store()): StoredDraft | null {
  const raw = s?.getItem(draftKey(postId));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as StoredDraft;
    if (!parsed || typeof parsed !== 'object' || !parsed.values || typeof parsed.savedAt !== 'number') return null;
    return parsed;
  } catch {
    return null;
  }
}

export function clearDraft(postId: number | null, s: Store | null = store()): void {
  s?.removeItem(draftKey(postId));
}

/** A stable id for a finding, so dismissing survives edits elsewhere in the text. */
export const findingId = (platform: string, rule: string, excerpt: string) => `${platform}:${rule}:${excerpt.toLowerCase()}`;

export function loadDismissed(postId: number | null, s: Store | null = store()): string[] {
  try {
    const parsed = JSON.parse(s?.getItem(dismissedKey(postId)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function saveDismissed(postId: number | null, ids: string[], s: Store | null = store()): void {
  try {
    s?.setItem(dismissedKey(postId), JSON.stringify(ids));
  } catch {
    // see saveDraft
  }
}

/** Whether two form states differ (what the leave-guard and the draft store act on). */
export function differs(a: ComposerValues, b: ComposerValues): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

