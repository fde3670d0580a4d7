import { dayIn } from '../src/features/calendar/model';
import type { CalendarDay, CalendarEntry, CalendarRead } from '../src/features/calendar/types';

let nextId = 100;

export function entry(overrides: Partial<CalendarEntry> = {}): CalendarEntry {
  nextId += 1;
  return {
    variant_id: nextId,
    post_id: nextId + 1000,
    title: `Posting ${nextId}`,
    excerpt: 'Teks singkat',
    platform: 'x',
    account_id: 1,
    account_name: '@ptpsw',
    status: 'scheduled',
    held: false,
    at: '2030-01-15T02:30:00Z',
    category: null,
    author_id: 7,
    author_name: 'Sari',
    external_url: null,
    media_count: 0,
    can_move: true,
    ...overrides,
  };
}

/** Each WIB day with entries and how many, as the server counts them when nothing is cut. */
export function daysOf(entries: CalendarEntry[], timeZone = 'Asia/Jakarta'): CalendarDay[] {
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(dayIn(e.at, timeZone), (totals.get(dayIn(e.at, timeZone)) ?? 0) + 1);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, total]) => ({ date, total }));
}

export function calendarOf(entries: CalendarEntry[], overrides: Partial<CalendarRead> = {}): CalendarRead {
  return {
    unit_id: 1,
    timezone: 'Asia/Jakarta',
    start: '2029-12-30T17:00:00Z',
    end: '2030-02-09T17:00:00Z',
    per_day: 20,
    entries,
    days: daysOf(entries),
    observances: [],
    ...overrides,
  };
}
