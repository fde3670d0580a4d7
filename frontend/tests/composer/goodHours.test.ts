import { describe, expect, it } from 'vitest';
import { type BestTimeCell, goodHourAt, goodHours, slotLabel } from '../../src/features/composer/goodHours';

const TZ = 'Asia/Jakarta';
const DEFAULTS = ['09:00', '12:00', '19:00'];
// Monday 30 November 2026, 08:00 WIB.
const NOW = new Date('2026-11-30T01:00:00Z');
const THURSDAY = '2026-12-03'; // weekday 3

function cell(weekday: number, hour: number, posts: number, avg: number | null, reliable = posts >= 5): BestTimeCell {
  return { weekday, hour, posts, avg_interactions: avg, reliable };
}

describe('good hours for a day', () => {
  it('suggests the best reliable hours of that weekday with their sample size, in the day order', () => {
    const cells = [
      cell(3, 19, 14, 120),
      cell(3, 7, 6, 80),
      cell(3, 12, 9, 95),
      cell(3, 10, 8, 40), // fourth best: left out
      cell(3, 21, 2, 500), // too few posts to trust
      cell(4, 19, 30, 900), // another weekday
      cell(3, 15, 12, null), // no interactions to rank by
    ];
    const found = goodHours(cells, THURSDAY, DEFAULTS, TZ, NOW);
    expect(found).toEqual({
      day: THURSDAY,
      weekday: 3,
      source: 'analytics',
      hours: [
        { slot: '07:00', posts: 6 },
        { slot: '12:00', posts: 9 },
        { slot: '19:00', posts: 14 },
      ],
    });
  });

  it('falls back to the unit defaults and says why', () => {
    const thin = goodHours([cell(3, 19, 2, 300)], THURSDAY, DEFAULTS, TZ, NOW);
    expect(thin.source).toBe('thin');
    expect(thin.hours).toEqual(DEFAULTS.map((slot) => ({ slot, posts: null })));
    expect(goodHours([], THURSDAY, DEFAULTS, TZ, NOW).source).toBe('thin');
    expect(goodHours(null, THURSDAY, DEFAULTS, TZ, NOW).source).toBe('unavailable');
  });

  it('without a chosen day suggests today, leaving out hours already over', () => {
    const at1030 = new Date('2026-11-30T03:30:00Z'); // 10.30 WIB
    const found = goodHours([cell(0, 9, 7, 50), cell(0, 16, 7, 40)], null, DEFAULTS, TZ, at1030);
    expect(found).toMatchObject({ day: '2026-11-30', weekday: 0, source: 'analytics', hours: [{ slot: '16:00', posts: 7 }] });
    expect(goodHours(null, null, DEFAULTS, TZ, at1030).hours.map((h) => h.slot)).toEqual(['12:00', '19:00']);
  });

  it('moves to tomorrow when nothing is left today', () => {
    const late = new Date('2026-11-30T13:00:00Z'); // 20.00 WIB
    const found = goodHours([cell(1, 8, 7, 50)], null, DEFAULTS, TZ, late);
    expect(found).toMatchObject({ day: '2026-12-01', weekday: 1, source: 'analytics', hours: [{ slot: '08:00', posts: 7 }] });
  });

  it('puts a chosen hour on its day in UTC and writes it the Indonesian way', () => {
    expect(goodHourAt({ day: THURSDAY }, '19:00', TZ)).toBe('2026-12-03T12:00:00.000Z');
    expect(slotLabel('19:00')).toBe('19.00');
  });
});
