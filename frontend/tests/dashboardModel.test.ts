import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import id from '../src/i18n/id.json';
import { contrastRatio } from '../src/features/calendar/model';
import {
  HEAT_COLORS,
  type Cell,
  type FollowersRead,
  addDays,
  answeredTotal,
  bestSlots,
  bestTimeRange,
  daysIn,
  defaultInterval,
  firstResponseHours,
  followerRows,
  formatNumber,
  formatPercent,
  formatSigned,
  formatSignedPercent,
  heatmapRows,
  parseDashboardSearch,
  presetRange,
  rangeOf,
} from '../src/features/dashboard/model';
import { filterParams } from '../src/features/dashboard/queries';

function keys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('numbers the Indonesian way', () => {
  it('groups thousands with dots and decimals with a comma', () => {
    expect(formatNumber(1234.5, 'id')).toBe('1.234,5');
    expect(formatNumber(1234567, 'id', 0)).toBe('1.234.567');
    expect(formatNumber(0.25, 'id', 2)).toBe('0,25');
  });

  it('writes percentages from fractions with a space before the sign', () => {
    expect(formatPercent(0.032, 'id')).toBe('3,2 %');
    expect(formatPercent(0.1, 'id')).toBe('10,0 %');
    expect(formatPercent(1.5, 'id')).toBe('150,0 %');
  });

  it('follows the interface language when it is English', () => {
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatPercent(0.032, 'en')).toBe('3.2%');
  });

  it('signs changes and shows a dash for a missing figure', () => {
    expect(formatSigned(1500, 'id', 0)).toBe('+1.500');
    expect(formatSigned(-56, 'id', 0)).toBe('−56');
    expect(formatSigned(0, 'id', 0)).toBe('0');
    expect(formatSignedPercent(-0.125, 'id')).toBe('−12,5 %');
    expect(formatNumber(null, 'id')).toBe('–');
    expect(formatPercent(undefined, 'id')).toBe('–');
    expect(formatSigned(Number.NaN, 'id')).toBe('–');
  });
});

describe('range presets in the unit zone', () => {
  // 20:30 UTC on 31 January is already 1 February 03:30 in Jakarta (UTC+7).
  const lateUtc = new Date('2026-01-31T20:30:00Z');

  it('ends on today in the unit zone, not the browser or UTC', () => {
    expect(presetRange('7d', 'Asia/Jakarta', lateUtc)).toEqual({ start: '2026-01-26', end: '2026-02-01' });
    expect(presetRange('7d', 'UTC', lateUtc)).toEqual({ start: '2026-01-25', end: '2026-01-31' });
  });

  it('counts every preset day inclusively', () => {
    const now = new Date('2026-03-15T05:00:00Z');
    for (const [preset, days] of [
      ['7d', 7],
      ['30d', 30],
      ['90d', 90],
      ['year', 365],
    ] as const) {
      const range = presetRange(preset, 'Asia/Jakarta', now);
      expect(range.end, preset).toBe('2026-03-15');
      expect(daysIn(range), preset).toBe(days);
    }
  });

  it('starts this month on its first day in the unit zone', () => {
    expect(presetRange('month', 'Asia/Jakarta', lateUtc)).toEqual({ start: '2026-02-01', end: '2026-02-01' });
    expect(presetRange('month', 'Asia/Jayapura', new Date('2026-04-20T01:00:00Z'))).toEqual({ start: '2026-04-01', end: '2026-04-20' });
  });

  it('crosses months and leap days in calendar arithmetic', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysIn({ start: '2028-02-01', end: '2028-02-29' })).toBe(29);
  });

  it('reads the best-time grid over at least a year up to the range end', () => {
    expect(bestTimeRange({ start: '2026-03-01', end: '2026-03-15' })).toEqual({ start: '2025-03-16', end: '2026-03-15' });
    expect(bestTimeRange({ start: '2024-01-01', end: '2026-03-15' })).toEqual({ start: '2024-01-01', end: '2026-03-15' });
  });

  it('picks a readable interval for the range', () => {
    expect(defaultInterval({ start: '2026-01-01', end: '2026-03-31' })).toBe('day');
    expect(defaultInterval({ start: '2025-03-16', end: '2026-03-15' })).toBe('week');
    expect(defaultInterval({ start: '2023-01-01', end: '2026-03-15' })).toBe('month');
  });
});

describe('dashboard URL search', () => {
  it('keeps a valid custom range and the filters', () => {
    expect(parseDashboardSearch({ range: 'custom', start: '2026-01-01', end: '2026-01-31', platform: 'x', account: '3', interval: 'week' })).toEqual({
      range: 'custom',
      start: '2026-01-01',
      end: '2026-01-31',
      platform: 'x',
      account: 3,
      interval: 'week',
    });
  });

  it('drops malformed values, a reversed or impossible custom range, and days without a custom range', () => {
    expect(parseDashboardSearch({ range: 'custom', start: '2026-02-30', end: '2026-03-01' }).range).toBeUndefined();
    expect(parseDashboardSearch({ range: 'custom', start: '2026-03-02', end: '2026-03-01' }).range).toBeUndefined();
    expect(parseDashboardSearch({ range: '7d', start: '2026-01-01', end: '2026-01-31' })).toMatchObject({ range: '7d', start: undefined, end: undefined });
    expect(parseDashboardSearch({ range: 'forever', platform: 'myspace', account: '-1', interval: 'hour' })).toEqual({
      range: undefined,
      start: undefined,
      end: undefined,
      platform: undefined,
      account: undefined,
      interval: undefined,
    });
  });

  it('reads the selected days: custom days, else a preset, 30 days by default', () => {
    const now = new Date('2026-03-15T05:00:00Z');
    expect(rangeOf({ range: 'custom', start: '2026-01-01', end: '2026-01-31' }, 'Asia/Jakarta', now)).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    expect(rangeOf({}, 'Asia/Jakarta', now)).toEqual({ start: '2026-02-14', end: '2026-03-15' });
  });

  it('sends only the filters that are set', () => {
    expect(filterParams({ start: '2026-01-01', end: '2026-01-31' })).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    expect(filterParams({ start: '2026-01-01', end: '2026-01-31', platform: 'instagram', account: 2 })).toEqual({
      start: '2026-01-01',
      end: '2026-01-31',
      platform: 'instagram',
      account_id: 2,
    });
  });
});

function cell(weekday: number, hour: number, posts: number, avg: number | null, reliable: boolean): Cell {
  return { weekday, hour, posts, avg_interactions: avg, avg_engagement_rate: null, reliable };
}

describe('best-time heatmap', () => {
  const cells = [cell(0, 9, 6, 40, true), cell(0, 10, 5, 10, true), cell(2, 19, 2, 500, false), cell(6, 23, 8, 21, true)];

  it('lays the cells out as seven weekdays (Monday first) of 24 hours', () => {
    const rows = heatmapRows(cells);
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.length === 24)).toBe(true);
    expect(rows[0][9]).toMatchObject({ weekday: 0, hour: 9, posts: 6, reliable: true });
    expect(rows[6][23]).toMatchObject({ weekday: 6, hour: 23, posts: 8 });
    expect(rows[3][3]).toMatchObject({ posts: 0, level: 0, avgInteractions: null });
  });

  it('shades against the best reliable cell, so a lucky unreliable cell neither wins nor pales the rest', () => {
    const rows = heatmapRows(cells);
    expect(rows[0][9].level).toBe(4);
    expect(rows[0][10].level).toBe(1);
    expect(rows[6][23].level).toBe(3);
    expect(rows[2][19]).toMatchObject({ level: 1, reliable: false, posts: 2 });
  });

  it('ignores cells outside the grid', () => {
    const rows = heatmapRows([cell(7, 0, 9, 1, true), cell(0, 24, 9, 1, true)]);
    expect(rows.flat().every((c) => c.posts === 0)).toBe(true);
  });

  it('names only reliable slots as the best times', () => {
    expect(bestSlots(cells).map((c) => [c.weekday, c.hour])).toEqual([
      [0, 9],
      [6, 23],
      [0, 10],
    ]);
    expect(bestSlots([cell(2, 19, 2, 500, false)])).toEqual([]);
  });

  it('keeps the sample size readable on every shade (4.5:1)', () => {
    for (const [level, { background, text }] of Object.entries(HEAT_COLORS)) {
      expect(contrastRatio(background, text), `level ${level}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('chart rows and inbox figures', () => {
  it('puts each account in its own column per period, leaving out periods it has no reading for', () => {
    const range = { unit_id: 1, timezone: 'Asia/Jakarta', start: '2026-01-01', end: '2026-01-02', account_id: null, platform: null };
    const point = (period: string, followers: number) => ({ period, followers, net_gain: null, growth_rate: null });
    const data: FollowersRead = {
      range,
      interval: 'day',
      accounts: [
        { account_id: 1, platform: 'x', handle: '@a', start_followers: null, end_followers: 11, net_gain: null, growth_rate: null, points: [point('2026-01-02', 11), point('2026-01-01', 10)] },
        { account_id: 2, platform: 'instagram', handle: 'b', start_followers: null, end_followers: 5, net_gain: null, growth_rate: null, points: [point('2026-01-02', 5)] },
      ],
    };
    const { rows, series } = followerRows(data);
    expect(series.map((s) => s.name)).toEqual(['a1', 'a2']);
    expect(rows).toEqual([
      { period: '2026-01-01', a1: 10 },
      { period: '2026-01-02', a1: 11, a2: 5 },
    ]);
  });

  it('adds the answered questions over topics and gives one median only when it is exact', () => {
    const figure = (answered: number, median: number | null) => ({ id: 1, name: 't', answered, median_first_response_hours: median, open: 0, overdue: 0 });
    expect(answeredTotal({ start: null, end: null, by_topic: [figure(3, 1.5), figure(4, 6)], by_expert: [] })).toBe(7);
    expect(firstResponseHours({ start: null, end: null, by_topic: [figure(3, 1.5), figure(0, null)], by_expert: [] })).toEqual({ median: 1.5 });
    expect(firstResponseHours({ start: null, end: null, by_topic: [figure(3, 1.5), figure(4, 6)], by_expert: [] })).toEqual({ low: 1.5, high: 6 });
    expect(firstResponseHours({ start: null, end: null, by_topic: [], by_expert: [] })).toBeNull();
  });
});

describe('dashboard strings', () => {
  it('has every string in Indonesian and English', () => {
    expect(keys(id.dashboard).sort()).toEqual(keys(en.dashboard).sort());
    expect(id.dashboard.nav).toBe('Dasbor');
  });
});
