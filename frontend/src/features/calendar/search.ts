import type { Platform } from '../../api/types';
import { isPlatform } from '../../platforms/ids';
import { CALENDAR_STATUSES, type CalendarStatus } from './model';

/** `day` is one day's list, with every entry: where a busy day of the others opens. */
export const CALENDAR_VIEWS = ['month', 'week', 'list', 'day'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

/** The calendar's URL search params: the filters, plus the view and the date shown. */
export interface CalendarSearch {
  view?: CalendarView;
  date?: string;
  platform?: Platform;
  account?: number;
  /** Not `status`: the posts list's `status` is one value and search types are shared. */
  statuses?: CalendarStatus[];
  category?: string;
  author?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function statuses(value: unknown): CalendarStatus[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const known = list.filter((s): s is CalendarStatus => (CALENDAR_STATUSES as readonly unknown[]).includes(s));
  return known.length ? Array.from(new Set(known)) : undefined;
}

/** Reads the calendar's search params, dropping anything malformed. */
export function parseCalendarSearch(raw: Record<string, unknown>): CalendarSearch {
  const view = str(raw.view);
  const date = str(raw.date);
  const platform = str(raw.platform);
  return {
    view: (CALENDAR_VIEWS as readonly string[]).includes(view ?? '') ? (view as CalendarView) : undefined,
    date: date && DAY.test(date) ? date : undefined,
    platform: isPlatform(platform) ? platform : undefined,
    account: positiveInt(raw.account),
    statuses: statuses(raw.statuses),
    category: str(raw.category),
    author: positiveInt(raw.author),
  };
}

/** The query of GET /calendar for these filters (without unit and range). */
export function calendarFilters(search: CalendarSearch) {
  return {
    platform: search.platform,
    account_id: search.account,
    status: search.statuses,
    category: search.category,
    author_id: search.author,
  };
}
