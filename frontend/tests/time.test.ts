import { describe, expect, it } from 'vitest';
import {
  dayEndUtc,
  dayStartUtc,
  formatDateTime,
  monthRangeIn,
  utcIsoToZonedLocal,
  zoneLabel,
  zonedLocalToUtcIso,
} from '../src/lib/time';

describe('time zones', () => {
  it('shows a UTC instant as WIB wall-clock time for Asia/Jakarta', () => {
    const text = formatDateTime('2026-03-12T02:30:00Z', 'Asia/Jakarta', 'id');
    expect(text).toMatch(/12 Mar 2026/);
    expect(text).toMatch(/09[.:]30/);
    expect(text.endsWith('WIB')).toBe(true);
  });

  it('rolls over to the next day in the unit zone', () => {
    expect(formatDateTime('2026-03-12T20:00:00Z', 'Asia/Jakarta', 'en')).toMatch(/13 Mar 2026.*03:00 WIB/);
  });

  it('names the Indonesian zones and falls back to Intl for others', () => {
    expect(zoneLabel('Asia/Jakarta')).toBe('WIB');
    expect(zoneLabel('Asia/Makassar')).toBe('WITA');
    expect(zoneLabel('Asia/Jayapura')).toBe('WIT');
    expect(zoneLabel('UTC')).toBe('UTC');
  });

  it('reads a datetime-local value in the unit zone and sends UTC', () => {
    expect(zonedLocalToUtcIso('2026-03-12T09:30', 'Asia/Jakarta')).toBe('2026-03-12T02:30:00.000Z');
    expect(zonedLocalToUtcIso('2026-01-01T06:00', 'Asia/Jakarta')).toBe('2025-12-31T23:00:00.000Z');
    expect(zonedLocalToUtcIso('2026-03-12T09:30', 'Asia/Makassar')).toBe('2026-03-12T01:30:00.000Z');
    expect(zonedLocalToUtcIso('not a date', 'Asia/Jakarta')).toBeNull();
  });

  it('handles zones with daylight saving time', () => {
    expect(zonedLocalToUtcIso('2026-07-01T12:00', 'Europe/Amsterdam')).toBe('2026-07-01T10:00:00.000Z');
    expect(zonedLocalToUtcIso('2026-01-15T12:00', 'Europe/Amsterdam')).toBe('2026-01-15T11:00:00.000Z');
  });

  it('round-trips between UTC and the zone wall clock', () => {
    const iso = '2030-01-15T02:30:00.000Z';
    const local = utcIsoToZonedLocal(iso, 'Asia/Jakarta');
    expect(local).toBe('2030-01-15T09:30');
    expect(zonedLocalToUtcIso(local, 'Asia/Jakarta')).toBe(iso);
  });

  it('turns a day filter into the UTC bounds of that day in the zone', () => {
    expect(dayStartUtc('2026-03-12', 'Asia/Jakarta')).toBe('2026-03-11T17:00:00.000Z');
    expect(dayEndUtc('2026-03-12', 'Asia/Jakarta')).toBe('2026-03-12T16:59:59.000Z');
  });

  it('finds the month around an instant in the zone', () => {
    // 31 Mar 2026 20:00 UTC is already 1 April in Jakarta.
    expect(monthRangeIn('Asia/Jakarta', new Date('2026-03-31T20:00:00Z'))).toEqual(['2026-04-01', '2026-04-30']);
  });
});
