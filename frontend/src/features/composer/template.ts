/** Starting a post from a unit template on a day (the calendar's "start a post" links). */
import { todayIn, zonedLocalToUtcIso } from '../../lib/time';
import { type ComposerValues, normalizeHashtag } from './model';
import type { Template } from './queries';

/** The UTC instant of the suggested slot `HH:MM`: on `day` when given, else the next one after `now`. */
export function nextSlot(slot: string, day: string | null, timeZone: string, now: Date = new Date()): string | null {
  const base = day ?? todayIn(timeZone, now);
  const at = zonedLocalToUtcIso(`${base}T${slot}`, timeZone);
  if (!at) return null;
  if (day || new Date(at) > now) return at;
  // Today's slot has passed: the same time tomorrow.
  const [y, m, d] = base.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return zonedLocalToUtcIso(`${next}T${slot}`, timeZone);
}

/** The form's starting values from a template and a day (the day gets the unit's first slot). */
export function fromTemplate(base: ComposerValues, template: Template | undefined, date: string | undefined, slot: string | undefined, timeZone: string): ComposerValues {
  const values = structuredClone(base);
  if (template) {
    values.title = template.title;
    values.baseText = template.base_text;
    values.category = template.category ?? '';
    values.baseHashtags = template.hashtags.map(normalizeHashtag).filter((x): x is string => x !== null);
    for (const p of ['x', 'instagram', 'facebook'] as const) {
      const text = template.texts[p];
      if (text !== undefined && text !== null && text !== template.base_text) values.overrides[p].text = text;
    }
  }
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) values.plannedAt = nextSlot(slot ?? '09:00', date, timeZone);
  return values;
}

