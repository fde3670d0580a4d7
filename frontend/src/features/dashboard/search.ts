import type { Platform } from '../../api/types';
import { isPlatform } from '../../platforms/ids';

/**
 * The dashboard's URL search params. Kept apart from the rest of the dashboard: the router
 * (in the first page load) parses them, the screen itself loads later.
 */
export const PRESETS = ['7d', '30d', '90d', 'month', 'year', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The dashboard's URL search params: everything needed to show the same view again. */
export interface DashboardSearch {
  range?: Preset;
  start?: string;
  end?: string;
  platform?: Platform;
  account?: number;
  interval?: Interval;
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Reads the search params, dropping anything malformed (a custom range needs both days, in order). */
export function parseDashboardSearch(raw: Record<string, unknown>): DashboardSearch {
  const range = (PRESETS as readonly unknown[]).includes(raw.range) ? (raw.range as Preset) : undefined;
  const interval = (INTERVALS as readonly unknown[]).includes(raw.interval) ? (raw.interval as Interval) : undefined;
  const platform = isPlatform(raw.platform) ? raw.platform : undefined;
  const custom = range === 'custom' && isDay(raw.start) && isDay(raw.end) && raw.start <= raw.end;
  return {
    range: range === 'custom' && !custom ? undefined : range,
    start: custom ? (raw.start as string) : undefined,
    end: custom ? (raw.end as string) : undefined,
    platform,
    account: positiveInt(raw.account),
    interval,
  };
}

