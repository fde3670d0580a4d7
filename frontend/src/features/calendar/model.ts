/**
 * Pure calendar logic: entries → FullCalendar events, status colours, gap days, observance
 * days and the optimistic move. No React, no network: unit-tested on its own.
 */
import type { CalendarEntry, CalendarRead, Observance } from './types';

/** Everything a calendar entry can look like: the variant status, or `held` over it. */
export const CALENDAR_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'scheduled',
  'held',
  'publishing',
  'published',
  'failed',
  'unconfirmed',
] as const;
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number];

export interface StatusColor {
  background: string;
  text: string;
}

/**
 * One fill per status, dark enough for white text at >= 4.5:1 (tested). Hues stay apart so the
 * month reads at a glance; the legend names them.
 */
export const STATUS_COLORS: Record<CalendarStatus, StatusColor> = {
  draft: { background: '#495057', text: '#ffffff' },
  in_review: { background: '#a63c06', text: '#ffffff' },
  approved: { background: '#0b6e7f', text: '#ffffff' },
  scheduled: { background: '#1864ab', text: '#ffffff' },
  held: { background: '#5f3dc4', text: '#ffffff' },
  publishing: { background: '#364fc7', text: '#ffffff' },
  published: { background: '#2b7a3b', text: '#ffffff' },
  failed: { background: '#c92a2a', text: '#ffffff' },
  unconfirmed: { background: '#862e9c', text: '#ffffff' },
};

/** The status an entry is drawn with: a held variant shows as held whatever its status. */
export function displayStatus(entry: Pick<CalendarEntry, 'status' | 'held'>): CalendarStatus {
  if (entry.held) return 'held';
  return (CALENDAR_STATUSES as readonly string[]).includes(entry.status) ? (entry.status as CalendarStatus) : 'draft';
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a "#rrggbb" colour. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => channel(parseInt(h, 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Statuses the server refuses to move (mirrors the reschedule contract; `can_move` decides). */
export const FIXED_STATUSES: readonly string[] = ['published', 'publishing', 'unconfirmed'];

/** What FullCalendar needs of an event, plus the entry it came from. */
export interface CalendarEvent {
  id: string;
  title: string;
  start: string;
  allDay: false;
  startEditable: boolean;
  durationEditable: false;
  color: string;
  contrastColor: string;
  className: string;
  extendedProps: { entry: CalendarEntry; status: CalendarStatus };
}

export const eventId = (variantId: number) => `v${variantId}`;

/** One event per variant, coloured by status; only what the server allows can be dragged. */
export function entriesToEvents(entries: readonly CalendarEntry[]): CalendarEvent[] {
  return entries.map((entry) => {
    const status = displayStatus(entry);
    const color = STATUS_COLORS[status];
    return {
      id: eventId(entry.variant_id),
      title: entry.title || entry.excerpt,
      start: entry.at,
      allDay: false,
      startEditable: entry.can_move,
      durationEditable: false,
      color: color.background,
      contrastColor: color.text,
      className: `gaung-entry gaung-entry--${status} gaung-entry--${entry.platform}`,
      extendedProps: { entry, status },
    };
  });
}

/** Light tints behind an observance day; its label is dark on them (>= 4.5:1, tested). */
export const OBSERVANCE_COLORS: Record<Observance['kind'], StatusColor> = {
  holiday: { background: '#ffe3e3', text: '#8a1c1c' },
  cuti_bersama: { background: '#fff0e0', text: '#7a3a00' },
  commemoration: { background: '#f3e5f8', text: '#6a1b7a' },
};

export interface ObservanceEvent {
  id: string;
  start: string;
  allDay: true;
  display: 'background';
  color: string;
  className: string;
  title: string;
  extendedProps: { observance: Observance };
}

/** Observances as whole-day background events (a tint plus the day's badge). */
export function observancesToEvents(observances: readonly Observance[], locale: string): ObservanceEvent[] {
  return observances.map((o) => ({
    id: `obs-${o.date}-${o.name}`,
    start: o.date,
    allDay: true,
    display: 'background',
    color: OBSERVANCE_COLORS[o.kind].background,
    className: `gaung-observance gaung-observance--${o.kind}`,
    title: observanceName(o, locale),
    extendedProps: { observance: o },
  }));
}

export function observanceName(o: Pick<Observance, 'name' | 'name_en'>, locale: string): string {
  return locale === 'en' && o.name_en ? o.name_en : o.name;
}

/** Observances grouped by their date. */
export function observancesByDate(observances: readonly Observance[]): Map<string, Observance[]> {
  const byDate = new Map<string, Observance[]>();
  for (const o of observances) {
    const list = byDate.get(o.date) ?? [];
    list.push(o);
    byDate.set(o.date, list);
  }
  return byDate;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day ("YYYY-MM-DD") an instant falls on in the zone. */
export function dayIn(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A "YYYY-MM-DD" day moved by n days (pure calendar arithmetic, no zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + n));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** 0 = Monday … 6 = Sunday, the Indonesian week. */
export function weekdayIndex(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** Monday .. Sunday of the week that holds `day`. */
export function weekOf(day: string): string[] {
  const monday = addDays(day, -weekdayIndex(day));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * The days of the current week, from today on, that have nothing planned: the gaps worth a
 * hint. Past days are left out (nothing can be planned there any more). Entries that failed
 * still count as something on that day: the hint is about empty days, not about failures.
 */
export function gapDays(entries: readonly CalendarEntry[], timeZone: string, today: string): string[] {
  const busy = new Set(entries.map((e) => dayIn(e.at, timeZone)));
  return weekOf(today).filter((day) => day >= today && !busy.has(day));
}

/** What the calendar needs to say a day has more than it shows. */
export interface MoreEvent {
  id: string;
  start: string;
  allDay: true;
  editable: false;
  title: string;
  className: string;
  extendedProps: { more: { date: string; total: number; hidden: number } };
}

/**
 * One all-day event for each day the server cut short (`per_day`), with the day's whole count:
 * it sits at the top of the day in every view and opens the whole day.
 */
export function moreEvents(data: Pick<CalendarRead, 'days' | 'entries' | 'timezone'>): MoreEvent[] {
  const shown = new Map<string, number>();
  for (const e of data.entries) {
    const day = dayIn(e.at, data.timezone);
    shown.set(day, (shown.get(day) ?? 0) + 1);
  }
  return data.days.flatMap((d) => {
    const hidden = d.total - (shown.get(d.date) ?? 0);
    return hidden > 0
      ? [
          {
            id: `more-${d.date}`,
            start: d.date,
            allDay: true as const,
            editable: false as const,
            title: String(d.total),
            className: 'gaung-more',
            extendedProps: { more: { date: d.date, total: d.total, hidden } },
          },
        ]
      : [];
  });
}

/** The weekday's name in the UI language ("Kamis", "Thursday"). */
export function weekdayName(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/**
 * A day in the UI language: `long` for a sentence ("Kamis, 3 Desember"), `short` for a list
 * ("Kam, 3 Des").
 */
export function dayLabel(day: string, locale: string, style: 'long' | 'short' = 'long'): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', {
    weekday: style,
    day: 'numeric',
    month: style,
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The calendar after moving one variant to `at` (the optimistic update): the entry takes the new
 * time and the list stays ordered by time, as the server returns it.
 */
export function moveEntry(data: CalendarRead, variantId: number, at: string): CalendarRead {
  const moved = data.entries.find((e) => e.variant_id === variantId);
  if (!moved) return data;
  const entries = data.entries.map((e) => (e.variant_id === variantId ? { ...e, at } : e));
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.variant_id - b.variant_id);
  // The day counts follow the entry, so a day cut short still says how many it hides.
  const from = dayIn(moved.at, data.timezone);
  const to = dayIn(at, data.timezone);
  const totals = new Map(data.days.map((d) => [d.date, d.total]));
  totals.set(from, (totals.get(from) ?? 1) - 1);
  totals.set(to, (totals.get(to) ?? 0) + 1);
  const days = [...totals]
    .filter(([, total]) => total > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, total]) => ({ date, total }));
  return { ...data, entries, days };
}

/** The composer's new-post route, prefilled from a template for a day. */
export function newPostHref(templateId: number, day: string): string {
  return `/posts/new?${new URLSearchParams({ template: String(templateId), date: day }).toString()}`;
}

/** Why a new time chosen for a move cannot be sent: none, the same time, or one already over. */
export type MoveProblem = 'required' | 'same' | 'past';

export function moveProblem(current: string, at: string | null, now: Date = new Date()): MoveProblem | null {
  if (at === null) return 'required';
  const when = Date.parse(at);
  if (when === Date.parse(current)) return 'same';
  // The server refuses a time that is over; saying so here spares a move and its rollback.
  if (when <= now.getTime()) return 'past';
  return null;
}
