import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';
import {
  CALENDAR_STATUSES,
  OBSERVANCE_COLORS,
  STATUS_COLORS,
  addDays,
  contrastRatio,
  dayIn,
  dayLabel,
  displayStatus,
  entriesToEvents,
  gapDays,
  moreEvents,
  moveEntry,
  moveProblem,
  newPostHref,
  observanceName,
  observancesByDate,
  observancesToEvents,
  weekOf,
  weekdayName,
} from '../src/features/calendar/model';
import { PER_DAY, calendarParams } from '../src/features/calendar/queries';
import { calendarFilters, parseCalendarSearch } from '../src/features/calendar/search';
import type { Observance } from '../src/features/calendar/types';
import { calendarOf, entry } from './calendarFixtures';

describe('entriesToEvents', () => {
  it('maps each variant to one event at its instant, keyed by the variant', () => {
    const a = entry({ variant_id: 1, post_id: 9, title: 'HUT RI', at: '2030-08-17T01:00:00Z' });
    const [event] = entriesToEvents([a]);
    expect(event.id).toBe('v1');
    expect(event.title).toBe('HUT RI');
    expect(event.start).toBe('2030-08-17T01:00:00Z');
    expect(event.allDay).toBe(false);
    expect(event.extendedProps.entry).toBe(a);
  });

  it('colours by status, and a held variant as held whatever its status', () => {
    const [scheduled, held, failed] = entriesToEvents([
      entry({ status: 'scheduled' }),
      entry({ status: 'scheduled', held: true }),
      entry({ status: 'failed' }),
    ]);
    expect(scheduled.color).toBe(STATUS_COLORS.scheduled.background);
    expect(scheduled.contrastColor).toBe(STATUS_COLORS.scheduled.text);
    expect(held.extendedProps.status).toBe('held');
    expect(held.color).toBe(STATUS_COLORS.held.background);
    expect(failed.className).toContain('gaung-entry--failed');
    expect(failed.className).toContain('gaung-entry--x');
  });

  it('lets only movable entries be dragged, and never resized', () => {
    const [movable, fixed] = entriesToEvents([entry({ can_move: true }), entry({ status: 'published', can_move: false })]);
    expect(movable.startEditable).toBe(true);
    expect(fixed.startEditable).toBe(false);
    expect(movable.durationEditable).toBe(false);
  });

  it('falls back to the excerpt when a post has no title', () => {
    expect(entriesToEvents([entry({ title: '', excerpt: 'Selamat pagi' })])[0].title).toBe('Selamat pagi');
  });
});

describe('status colours', () => {
  it('has a colour and a name in both languages for every status, held included', () => {
    expect(CALENDAR_STATUSES).toHaveLength(9);
    for (const status of CALENDAR_STATUSES) {
      expect(STATUS_COLORS[status]).toBeDefined();
      expect((id.calendar.status as Record<string, string>)[status], status).toBeTruthy();
      expect((en.calendar.status as Record<string, string>)[status], status).toBeTruthy();
    }
  });

  it('keeps every entry text at a contrast of at least 4.5:1', () => {
    for (const status of CALENDAR_STATUSES) {
      const { background, text } = STATUS_COLORS[status];
      expect(contrastRatio(background, text), status).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps observance labels readable on their day tint', () => {
    for (const [kind, { background, text }] of Object.entries(OBSERVANCE_COLORS)) {
      expect(contrastRatio(background, text), kind).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('computes the WCAG ratio', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // Mantine's default blue on white, one of the failures the issue names.
    expect(contrastRatio('#228be6', '#ffffff')).toBeLessThan(4.5);
  });

  it('reads an unknown status as a draft', () => {
    expect(displayStatus({ status: 'weird' as never, held: false })).toBe('draft');
  });
});

describe('days and gaps', () => {
  it('puts an instant on its day in the unit zone', () => {
    // 18:30 UTC is already the next morning in Jakarta (UTC+7) but not in UTC.
    expect(dayIn('2030-01-15T18:30:00Z', 'Asia/Jakarta')).toBe('2030-01-16');
    expect(dayIn('2030-01-15T18:30:00Z', 'UTC')).toBe('2030-01-15');
    expect(dayIn('2030-01-15T15:30:00Z', 'Asia/Jayapura')).toBe('2030-01-16');
  });

  it('does calendar arithmetic across months and years', () => {
    expect(addDays('2030-01-31', 1)).toBe('2030-02-01');
    expect(addDays('2030-01-01', -1)).toBe('2029-12-31');
    expect(weekOf('2030-01-17')).toEqual([
      '2030-01-14',
      '2030-01-15',
      '2030-01-16',
      '2030-01-17',
      '2030-01-18',
      '2030-01-19',
      '2030-01-20',
    ]);
    // A Sunday belongs to the week that started the Monday before.
    expect(weekOf('2030-01-20')[0]).toBe('2030-01-14');
  });

  it('lists the empty days of the current week from today on', () => {
    const entries = [
      entry({ at: '2030-01-15T02:00:00Z' }), // Tue 09:00 WIB
      entry({ at: '2030-01-16T18:00:00Z' }), // Thu 01:00 WIB (Wed in UTC)
      entry({ at: '2030-01-19T03:00:00Z', status: 'failed' }),
    ];
    // Today is Tuesday the 15th: Monday has passed and is not a gap worth a hint.
    expect(gapDays(entries, 'Asia/Jakarta', '2030-01-15')).toEqual(['2030-01-16', '2030-01-18', '2030-01-20']);
  });

  it('has no gaps in a full week', () => {
    const week = weekOf('2030-01-14').map((day) => entry({ at: `${day}T03:00:00Z` }));
    expect(gapDays(week, 'Asia/Jakarta', '2030-01-14')).toEqual([]);
  });

  it('names the weekday in the UI language', () => {
    expect(weekdayName('2030-01-17', 'id')).toBe('Kamis');
    expect(weekdayName('2030-01-17', 'en')).toBe('Thursday');
    expect(id.calendar.gaps.day.replace('{{day}}', weekdayName('2030-01-17', 'id'))).toBe(
      'Belum ada posting untuk Kamis',
    );
  });
});

describe('observances', () => {
  const obs: Observance[] = [
    { date: '2030-08-17', name: 'Hari Kemerdekaan', name_en: 'Independence Day', kind: 'holiday', template_kind: 'greeting' },
    {
      date: '2030-08-10',
      name: 'Hari Kebangkitan Teknologi Nasional',
      name_en: 'National Technology Awakening Day',
      kind: 'commemoration',
      template_kind: null,
    },
    { date: '2030-08-17', name: 'Hari lain', name_en: '', kind: 'commemoration', template_kind: null },
  ];

  it('become whole-day background events named in the UI language', () => {
    const [independence] = observancesToEvents(obs, 'en');
    expect(independence).toMatchObject({ start: '2030-08-17', allDay: true, display: 'background' });
    expect(independence.color).toBe(OBSERVANCE_COLORS.holiday.background);
    expect(independence.title).toBe('Independence Day');
    expect(observancesToEvents(obs, 'id')[0].title).toBe('Hari Kemerdekaan');
    expect(observanceName(obs[2], 'en')).toBe('Hari lain');
    expect(observancesToEvents(obs, 'id')[1].className).toContain('gaung-observance--commemoration');
  });

  it('are grouped by day', () => {
    const byDate = observancesByDate(obs);
    expect(byDate.get('2030-08-17')).toHaveLength(2);
    expect(byDate.get('2030-08-10')?.[0].kind).toBe('commemoration');
  });

  it('start a post from a template on the composer route', () => {
    expect(newPostHref(3, '2030-08-17')).toBe('/posts/new?template=3&date=2030-08-17');
  });
});

describe('moveEntry (the optimistic update)', () => {
  it('moves the one variant and keeps the list ordered by time', () => {
    const a = entry({ variant_id: 1, at: '2030-01-10T02:00:00Z' });
    const b = entry({ variant_id: 2, at: '2030-01-12T02:00:00Z' });
    const before = calendarOf([a, b]);
    const after = moveEntry(before, 1, '2030-01-14T02:00:00Z');
    expect(after.entries.map((e) => e.variant_id)).toEqual([2, 1]);
    expect(after.entries[1].at).toBe('2030-01-14T02:00:00Z');
    // The cached value is not changed in place: a rollback restores it.
    expect(before.entries[0].at).toBe('2030-01-10T02:00:00Z');
  });

  it('moves the count with the entry, so a day cut short still says what it hides', () => {
    const a = entry({ variant_id: 1, at: '2030-01-10T02:00:00Z' });
    const b = entry({ variant_id: 2, at: '2030-01-12T02:00:00Z' });
    // 10 January had 30 entries of which the server sent one.
    const before = calendarOf([a, b], { days: [{ date: '2030-01-10', total: 30 }, { date: '2030-01-12', total: 1 }] });
    const after = moveEntry(before, 2, '2030-01-11T02:00:00Z');
    expect(after.days).toEqual([
      { date: '2030-01-10', total: 30 },
      { date: '2030-01-11', total: 1 },
    ]);
    expect(moreEvents(after).map((e) => e.extendedProps.more)).toEqual([{ date: '2030-01-10', total: 30, hidden: 29 }]);
    const left = moveEntry(before, 1, '2030-01-12T03:00:00Z');
    expect(left.days).toEqual([
      { date: '2030-01-10', total: 29 },
      { date: '2030-01-12', total: 2 },
    ]);
    expect(moreEvents(left).map((e) => e.extendedProps.more)).toEqual([{ date: '2030-01-10', total: 29, hidden: 29 }]);
  });
});

describe('moreEvents (days cut short)', () => {
  it('adds one all-day event for each day with more entries than were sent, in the unit zone', () => {
    // 23:30 WIB on the 14th is 16:30 UTC: it belongs to the 14th, not the 15th.
    const late = entry({ variant_id: 1, at: '2030-01-14T16:30:00Z' });
    const next = entry({ variant_id: 2, at: '2030-01-14T17:00:00Z' });
    const data = calendarOf([late, next], {
      days: [
        { date: '2030-01-14', total: 1 },
        { date: '2030-01-15', total: 128 },
      ],
    });
    const [more, ...rest] = moreEvents(data);
    expect(rest).toEqual([]);
    expect(more).toMatchObject({ id: 'more-2030-01-15', start: '2030-01-15', allDay: true, editable: false });
    expect(more.extendedProps.more).toEqual({ date: '2030-01-15', total: 128, hidden: 127 });
    expect(moreEvents(calendarOf([late, next]))).toEqual([]);
  });

  it('names the day in the UI language', () => {
    expect(dayLabel('2030-01-17', 'id')).toBe('Kamis, 17 Januari');
    expect(dayLabel('2030-01-17', 'en')).toBe('Thursday 17 January');
    expect(dayLabel('2030-01-17', 'id', 'short')).toBe('Kam, 17 Jan');
  });
});

describe('search params and the query', () => {
  it('keeps the known filters and drops malformed ones', () => {
    expect(
      parseCalendarSearch({
        view: 'week',
        date: '2030-01-15',
        platform: 'instagram',
        account: 4,
        statuses: ['scheduled', 'held', 'nope', 'held'],
        category: 'Informasi',
        author: '7',
      }),
    ).toEqual({
      view: 'week',
      date: '2030-01-15',
      platform: 'instagram',
      account: 4,
      statuses: ['scheduled', 'held'],
      category: 'Informasi',
      author: 7,
    });
    expect(parseCalendarSearch({ view: 'year', date: '15/01/2030', platform: 'tiktok', account: -1, statuses: 'x' })).toEqual({
      view: undefined,
      date: undefined,
      platform: undefined,
      account: undefined,
      statuses: undefined,
      category: undefined,
      author: undefined,
    });
  });

  it('sends the filters under the API names, status repeated', () => {
    const search = parseCalendarSearch({ platform: 'x', account: 4, statuses: ['draft', 'held'], author: 7 });
    expect(calendarFilters(search)).toMatchObject({ platform: 'x', account_id: 4, status: ['draft', 'held'], author_id: 7 });
    expect(calendarParams(1, '2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z', search)).toEqual({
      unit_id: 1,
      start: '2030-01-01T00:00:00Z',
      end: '2030-02-01T00:00:00Z',
      per_day: PER_DAY,
      platform: 'x',
      account_id: 4,
      status: ['draft', 'held'],
      author_id: 7,
    });
  });

  it('asks for every entry only in the day view', () => {
    const day = parseCalendarSearch({ view: 'day', date: '2030-01-15' });
    expect(day.view).toBe('day');
    expect(calendarParams(1, '2030-01-14T17:00:00Z', '2030-01-15T17:00:00Z', day)).toEqual({
      unit_id: 1,
      start: '2030-01-14T17:00:00Z',
      end: '2030-01-15T17:00:00Z',
    });
    for (const view of ['month', 'week', 'list', undefined] as const) {
      expect(calendarParams(1, 'a', 'b', { view }).per_day).toBe(PER_DAY);
    }
  });
});

describe('moveProblem (the "Pindahkan" dialog)', () => {
  const now = new Date('2030-01-10T00:00:00Z');
  it('lets a time still to come through and names what is wrong otherwise', () => {
    const at = '2030-01-15T02:30:00Z';
    expect(moveProblem(at, '2030-01-16T02:30:00.000Z', now)).toBeNull();
    expect(moveProblem(at, null, now)).toBe('required');
    expect(moveProblem(at, '2030-01-15T02:30:00.000Z', now)).toBe('same');
    expect(moveProblem(at, '2030-01-09T23:59:00.000Z', now)).toBe('past');
  });
});
