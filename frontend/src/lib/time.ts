/** Time-zone helpers built on Intl only: the API speaks UTC, people read the unit's zone. */

const ZONE_ABBREVIATIONS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const known = ZONE_ABBREVIATIONS[timeZone];
  if (known) return known;
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'id-ID';
}

/** "12 Mar 2026 09.30 WIB" style, in the given zone. */
export function formatDateTime(iso: string | null | undefined, timeZone: string, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  return `${text} ${zoneLabel(timeZone, date)}`;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockIn(date: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of the zone from UTC at the given instant, in milliseconds. */
function zoneOffsetMs(date: Date, timeZone: string): number {
  const w = wallClockIn(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Reads a wall-clock value such as "2026-03-12T09:30" (the value of a
 * datetime-local input) as a time in `timeZone` and returns the UTC instant
 * in ISO-8601 ("2026-03-12T02:30:00.000Z" for Asia/Jakarta).
 */
export function zonedLocalToUtcIso(local: string, timeZone: string): string | null {
  const m = LOCAL_PATTERN.exec(local.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  let guess = naive - zoneOffsetMs(new Date(naive), timeZone);
  // A second pass settles instants close to a daylight-saving change.
  guess = naive - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The inverse: a UTC instant as the "YYYY-MM-DDTHH:mm" wall clock in `timeZone`. */
export function utcIsoToZonedLocal(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const w = wallClockIn(date, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Start (inclusive) of a calendar day in the zone, as UTC ISO. */
export function dayStartUtc(day: string, timeZone: string): string | null {
  return zonedLocalToUtcIso(`${day}T00:00:00`, timeZone);
}

/** End of a calendar day in the zone (23:59:59), as UTC ISO. */
export function dayEndUtc(day: string, timeZone: string): string | null {
  return zonedLocalToUtcIso(`${day}T23:59:59`, timeZone);
}

/** Today's date ("YYYY-MM-DD") in the zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const w = wallClockIn(now, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** First and last day of the month that contains `now`, in the zone. */
export function monthRangeIn(timeZone: string, now: Date = new Date()): [string, string] {
  const w = wallClockIn(now, timeZone);
  const last = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return [`${w.year}-${pad(w.month)}-01`, `${w.year}-${pad(w.month)}-${pad(last)}`];
}
