/**
 * The dashboard's pure parts: number formatting, range presets in the unit's zone, the
 * best-time grid and the chart rows. No React, no network: tested on their own.
 */
import type { components } from '../../api/schema';
import type { Platform } from '../../api/types';
import { todayIn } from '../../lib/time';
import type { DashboardSearch, Interval, Preset } from './search';

export { INTERVALS, PRESETS, isDay, parseDashboardSearch } from './search';
export type { DashboardSearch, Interval, Preset } from './search';

type Schemas = components['schemas'];
export type FollowersRead = Schemas['FollowersRead'];
export type Cell = Schemas['Cell'];
export type Change = Schemas['Change'];
export type Group = Schemas['Group'];
export type PostStat = Schemas['PostStat'];
export type ResponseStats = Schemas['ResponseStats'];

// --- numbers ------------------------------------------------------------------------------------

/** Indonesian unless the interface is in English: 1.234,5 against 1,234.5. */
export function numberLocale(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'id-ID';
}

/** A count or average: "1.234", "1.234,5" (at most `digits` decimals). */
export function formatNumber(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(numberLocale(language), { maximumFractionDigits: digits }).format(value);
}

/**
 * A rate given as a fraction (0.032) as a percentage: "3,2 %" in Indonesian (a space before the
 * sign, as Indonesian style writes it), "3.2%" in English.
 */
export function formatPercent(rate: number | null | undefined, language: string, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  const number = new Intl.NumberFormat(numberLocale(language), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rate * 100);
  return language.startsWith('en') ? `${number}%` : `${number} %`;
}

/** A change with its sign: "+1.234", "−56", "0". */
export function formatSigned(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = formatNumber(Math.abs(value), language, digits);
  if (value > 0) return `+${text}`;
  if (value < 0) return `−${text}`;
  return text;
}

/** A relative change (0.1 = +10 %) with its sign. */
export function formatSignedPercent(rate: number | null | undefined, language: string): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  const text = formatPercent(Math.abs(rate), language);
  if (rate > 0) return `+${text}`;
  if (rate < 0) return `−${text}`;
  return text;
}

/** A short day ("3 Mar" / "3 Mar 2026") of a "YYYY-MM-DD" date, read as a calendar date. */
export function formatDay(day: string, language: string, withYear = false): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(numberLocale(language), {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

// --- range --------------------------------------------------------------------------------------

export interface DayRange {
  start: string;
  end: string;
}

/** `day` moved by `days` (calendar arithmetic, no zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Days from `start` to `end`, both counted. */
export function daysIn(range: DayRange): number {
  const ms = Date.parse(`${range.end}T00:00:00Z`) - Date.parse(`${range.start}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/**
 * The days a preset covers, ending today in the unit's zone (not the browser's): at 23:30 UTC
 * it is already tomorrow in Jakarta, and the API counts the unit's days.
 */
export function presetRange(preset: Exclude<Preset, 'custom'>, timeZone: string, now: Date = new Date()): DayRange {
  const today = todayIn(timeZone, now);
  switch (preset) {
    case '7d':
      return { start: addDays(today, -6), end: today };
    case '30d':
      return { start: addDays(today, -29), end: today };
    case '90d':
      return { start: addDays(today, -89), end: today };
    case 'month':
      return { start: `${today.slice(0, 8)}01`, end: today };
    case 'year':
      return { start: addDays(today, -364), end: today };
  }
}

/**
 * The days the best-time grid reads: at least a year up to the range's end, as the API does by
 * default, since a month gives most cells too few posts to trust.
 */
export function bestTimeRange(range: DayRange): DayRange {
  const yearBefore = addDays(range.end, -364);
  return { start: range.start < yearBefore ? range.start : yearBefore, end: range.end };
}

/** The interval a range reads best in: daily up to three months, then weekly, then monthly. */
export function defaultInterval(range: DayRange): Interval {
  const days = daysIn(range);
  if (days <= 92) return 'day';
  if (days <= 400) return 'week';
  return 'month';
}

/** The days the search selects: a preset (30 days by default) or the custom days. */
export function rangeOf(search: DashboardSearch, timeZone: string, now: Date = new Date()): DayRange {
  if (search.range === 'custom' && search.start && search.end) return { start: search.start, end: search.end };
  const preset = search.range && search.range !== 'custom' ? search.range : '30d';
  return presetRange(preset, timeZone, now);
}

// --- best-time grid -----------------------------------------------------------------------------

export interface HeatCell {
  weekday: number;
  hour: number;
  posts: number;
  avgInteractions: number | null;
  avgEngagementRate: number | null;
  reliable: boolean;
  /** 0 (no posts) … 4 (the best slot), relative to the best reliable slot. */
  level: 0 | 1 | 2 | 3 | 4;
}

/**
 * The API's 168 cells as 7 rows (Monday first) of 24 hours. Shades compare average
 * interactions with the best *reliable* slot, so one lucky post cannot make every other
 * cell look pale; an unreliable cell gets at most the lowest shade beyond empty.
 */
export function heatmapRows(cells: readonly Cell[]): HeatCell[][] {
  const rows: HeatCell[][] = Array.from({ length: 7 }, (_, weekday) =>
    Array.from({ length: 24 }, (_, hour) => ({
      weekday,
      hour,
      posts: 0,
      avgInteractions: null,
      avgEngagementRate: null,
      reliable: false,
      level: 0 as const,
    })),
  );
  const best = Math.max(0, ...cells.filter((c) => c.reliable).map((c) => c.avg_interactions ?? 0));
  for (const c of cells) {
    if (c.weekday < 0 || c.weekday > 6 || c.hour < 0 || c.hour > 23) continue;
    let level: HeatCell['level'] = 0;
    if (c.posts > 0) {
      if (!c.reliable || best <= 0) level = 1;
      else level = Math.min(4, Math.max(1, Math.ceil(((c.avg_interactions ?? 0) / best) * 4))) as HeatCell['level'];
    }
    rows[c.weekday][c.hour] = {
      weekday: c.weekday,
      hour: c.hour,
      posts: c.posts,
      avgInteractions: c.avg_interactions ?? null,
      avgEngagementRate: c.avg_engagement_rate ?? null,
      reliable: c.reliable,
      level,
    };
  }
  return rows;
}

/** The best reliable slots, most average interactions first. */
export function bestSlots(cells: readonly Cell[], count = 3): Cell[] {
  return cells
    .filter((c) => c.reliable && c.avg_interactions !== null)
    .sort((a, b) => (b.avg_interactions ?? 0) - (a.avg_interactions ?? 0) || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, count);
}

// --- charts -------------------------------------------------------------------------------------

export interface Series {
  /** The data key in each row: the account's id. */
  name: string;
  label: string;
  platform: Platform;
}

/**
 * Follower points of every account as chart rows, one per period, each with a column per
 * account; a period an account has no reading for is left out of that line (not drawn as 0).
 */
export function followerRows(data: FollowersRead): { rows: Record<string, string | number>[]; series: Series[] } {
  const byPeriod = new Map<string, Record<string, string | number>>();
  const series: Series[] = [];
  for (const account of data.accounts) {
    const name = `a${account.account_id}`;
    series.push({ name, label: account.handle, platform: account.platform });
    for (const point of account.points) {
      const row = byPeriod.get(point.period) ?? { period: point.period };
      row[name] = point.followers;
      byPeriod.set(point.period, row);
    }
  }
  const rows = [...byPeriod.values()].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  return { rows, series };
}

/** Sum of a figure over groups (topics or experts) of the inbox's response stats. */
export function answeredTotal(stats: ResponseStats): number {
  return stats.by_topic.reduce((sum, f) => sum + f.answered, 0);
}

/**
 * The median first response when the answers fall in one topic; across several topics the
 * API gives one median each, which cannot be merged exactly, so the fastest and slowest are
 * returned instead.
 */
export function firstResponseHours(stats: ResponseStats): { median: number } | { low: number; high: number } | null {
  const medians = stats.by_topic
    .filter((f) => f.answered > 0 && f.median_first_response_hours !== null)
    .map((f) => f.median_first_response_hours as number);
  if (medians.length === 0) return null;
  if (medians.length === 1) return { median: medians[0] };
  return { low: Math.min(...medians), high: Math.max(...medians) };
}

/** A period comparison change as "up", "down" or "flat" (engagement and counts: up is good). */
export function trend(change: number | null | undefined): 'up' | 'down' | 'flat' {
  if (change === null || change === undefined || change === 0) return 'flat';
  return change > 0 ? 'up' : 'down';
}

/**
 * Heatmap shades (Mantine's teal scale) with the text drawn on each: every pair keeps a
 * contrast of at least 4.5:1 (a test checks), so the sample size stays readable in every cell.
 */
export const HEAT_COLORS: Record<HeatCell['level'], { background: string; text: string }> = {
  0: { background: '#f8f9fa', text: '#495057' },
  1: { background: '#e6fcf5', text: '#087f5b' },
  2: { background: '#96f2d7', text: '#085041' },
  3: { background: '#20c997', text: '#000000' },
  4: { background: '#087f5b', text: '#ffffff' },
};
