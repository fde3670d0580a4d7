/**
 * Good hours to publish on a day: the unit's best weekday × hour cells from analytics, or its
 * configured default slots when the history is too thin to say. Pure: no React, no network.
 */
import { todayIn, zonedLocalToUtcIso } from '../../lib/time';

/** One cell of `GET /analytics/units/{id}/best-times` (the fields this needs). */
export interface BestTimeCell {
  weekday: number; // 0 = Monday … 6 = Sunday, in the unit's zone
  hour: number;
  posts: number;
  avg_interactions: number | null;
  reliable: boolean;
}

export interface GoodHour {
  /** "HH:MM" in the unit's zone. */
  slot: string;
  /** Posts behind the suggestion; null for a configured default slot. */
  posts: number | null;
}

/** Where the suggestions came from: the unit's own history, or its defaults (and why). */
export type GoodHoursSource = 'analytics' | 'thin' | 'unavailable';

export interface GoodHours {
  /** The day ("YYYY-MM-DD", the unit's zone) the hours are for. */
  day: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  source: GoodHoursSource;
  hours: GoodHour[];
}

export const MAX_GOOD_HOURS = 3;

const pad = (n: number) => String(n).padStart(2, '0');

function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/**
 * The suggestions for `day` (today in the zone when null). Cells count when they are reliable
 * (enough posts, as the server judges) and have interactions to rank by; best first, ties to
 * the larger sample. On today an hour already over is left out: it could not be scheduled.
 * `cells` null means analytics could not be read (no access, an error, still loading).
 */
export function goodHours(
  cells: readonly BestTimeCell[] | null,
  day: string | null,
  defaultSlots: readonly string[],
  timeZone: string,
  now: Date = new Date(),
): GoodHours {
  const today = todayIn(timeZone, now);
  const target = day ?? today;
  const weekday = weekdayOf(target);
  const notOver = (slot: string) => {
    if (target !== today) return target > today;
    const at = zonedLocalToUtcIso(`${target}T${slot}`, timeZone);
    return at !== null && Date.parse(at) > now.getTime();
  };
  const best = (cells ?? [])
    .filter((c) => c.weekday === weekday && c.reliable && c.avg_interactions !== null)
    .sort((a, b) => (b.avg_interactions ?? 0) - (a.avg_interactions ?? 0) || b.posts - a.posts)
    .map((c) => ({ slot: `${pad(c.hour)}:00`, posts: c.posts }))
    .filter((h) => notOver(h.slot))
    .slice(0, MAX_GOOD_HOURS);
  if (best.length > 0) {
    // Shown in the day's order, as a person reads a timetable.
    best.sort((a, b) => a.slot.localeCompare(b.slot));
    return { day: target, weekday, source: 'analytics', hours: best };
  }
  const hours = defaultSlots.filter(notOver).map((slot) => ({ slot, posts: null }));
  // No day chosen and today is over: tomorrow is the first day anything can go out.
  if (day === null && hours.length === 0) return goodHours(cells, addDay(today), defaultSlots, timeZone, now);
  return { day: target, weekday, source: cells === null ? 'unavailable' : 'thin', hours };
}

function addDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The UTC instant of a suggested hour on its day. */
export function goodHourAt(hours: Pick<GoodHours, 'day'>, slot: string, timeZone: string): string | null {
  return zonedLocalToUtcIso(`${hours.day}T${slot}`, timeZone);
}

/** "19.00": the Indonesian way of writing a time. */
export function slotLabel(slot: string): string {
  return slot.replace(':', '.');
}
