/**
 * Where each of the server's validation problems belongs in the composer, and which ones to
 * show: a field the user has not touched yet stays quiet until they try to save.
 */
import type { Account, Platform, PostInput, Problem } from '../../api/types';

/** Form fields problems can point at, in the order the page shows them (first error gets focus). */
export const FIELD_ORDER = [
  'title',
  'accountIds',
  'platform.x.text',
  'platform.x.media',
  'platform.x.options',
  'platform.instagram.text',
  'platform.instagram.media',
  'platform.instagram.options',
  'platform.facebook.text',
  'platform.facebook.media',
  'platform.facebook.options',
  'category',
  'campaign',
  'dataSource',
  'plannedAt',
  'notes',
] as const;

const POST_FIELDS: Record<string, string> = {
  title: 'title',
  category: 'category',
  campaign: 'campaign',
  notes: 'notes',
  data_source: 'dataSource',
  planned_at: 'plannedAt',
  variants: 'accountIds',
  unit_id: 'accountIds',
};

export type PlatformPart = 'text' | 'media' | 'options';

export const platformField = (platform: Platform, part: PlatformPart) => `platform.${platform}.${part}`;

/** Which part of a variant a problem names: its options (thread, first comment, link), its media, else its text. */
function partOf(problem: Problem): PlatformPart {
  if (/^variants\.\d+\.options(\.|$)/.test(problem.field ?? '')) return 'options';
  return /media|alt/.test(`${problem.field} ${problem.rule}`) ? 'media' : 'text';
}

/**
 * The thread post (its place in the form's list, blank posts included) a problem names, or null.
 * The server counts only the posts that were sent, which leave out the blank ones.
 */
export function threadPartOf(problem: Problem, thread: string[]): number | null {
  const m = /\.options\.thread\.(\d+)$/.exec(problem.field ?? '');
  if (!m) return null;
  let sent = -1;
  for (let i = 0; i < thread.length; i++) {
    if (thread[i].trim() !== '') sent++;
    if (sent === Number(m[1])) return i;
  }
  return null;
}

/** The composer field a problem names: a variant's text or media by its platform, else a post field. */
export function fieldOf(problem: Problem, body: Pick<PostInput, 'variants'> | null, accounts: Account[]): string {
  const m = /^variants\.(\d+)(?:\.(\w+))?/.exec(problem.field ?? '');
  const index = problem.variant_index ?? (m ? Number(m[1]) : null);
  if (index !== null && index !== undefined && index >= 0) {
    const accountId = problem.account_id ?? body?.variants[index]?.account_id;
    const platform = problem.platform ?? accounts.find((a) => a.id === accountId)?.platform ?? null;
    if (platform) return platformField(platform, partOf(problem));
  }
  const head = (problem.field ?? '').split('.')[0];
  return POST_FIELDS[head] ?? 'general';
}

export function problemsByField(
  problems: Problem[],
  body: Pick<PostInput, 'variants'> | null,
  accounts: Account[],
): Map<string, Problem[]> {
  const map = new Map<string, Problem[]>();
  for (const problem of problems) {
    const field = fieldOf(problem, body, accounts);
    map.set(field, [...(map.get(field) ?? []), problem]);
  }
  return map;
}

/**
 * Problems to show: after a save attempt all of them; before it, only for fields the user
 * has changed (nothing turns red before anything was typed).
 */
export function visibleProblems(byField: Map<string, Problem[]>, touched: (field: string) => boolean, attempted: boolean) {
  const shown = new Map<string, Problem[]>();
  for (const [field, problems] of byField) {
    if (attempted || touched(field)) shown.set(field, problems);
  }
  return shown;
}

/** The first field in page order that has a problem. */
export function firstErrorField(fields: Iterable<string>): string | null {
  const set = new Set(fields);
  return FIELD_ORDER.find((f) => set.has(f)) ?? (set.has('general') ? 'general' : null);
}
