import type { CalendarEntry, CalendarRead } from '../src/features/calendar/types';

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

export function calendarOf(entries: CalendarEntry[], overrides: Partial<CalendarRead> = {}): CalendarRead {
  return {
    unit_id: 1,
    timezone: 'Asia/Jakarta',
    start: '2029-12-30T17:00:00Z',
    end: '2030-02-09T17:00:00Z',
    entries,
    observances: [],
    ...overrides,
  };
}
