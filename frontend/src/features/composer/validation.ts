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
  'platform.instagram.text',
  'platform.instagram.media',
  'platform.facebook.text',
  'platform.facebook.media',
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

export const platformField = (platform: Platform, part: 'text' | 'media') => `platform.${platform}.${part}`;

/** The composer field a problem names: a variant's text or media by its platform, else a post field. */
export function fieldOf(problem: Problem, body: Pick<PostInput, 'variants'> | null, accounts: Account[]): string {
  const m = /^variants\.(\d+)(?:\.(\w+))?/.exec(problem.field ?? '');
  const index = problem.variant_index ?? (m ? Number(m[1]) : null);
  if (index !== null && index !== undefined && index >= 0) {
    const accountId = problem.account_id ?? body?.variants[index]?.account_id;
    const platform = problem.platform ?? accounts.find((a) => a.id === accountId)?.platform ?? null;
    const part = /media|alt/.test(`${problem.field} ${problem.rule}`) ? 'media' : 'text';
    if (platform) return platformField(platform, part);
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
