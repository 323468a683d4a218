/**
 * Business-time arithmetic for SLA deadlines. Pure functions over epoch milliseconds; time zones
 * come from `Intl.DateTimeFormat`, so no date library is needed.
 *
 * Conventions:
 * - Business hours are local wall-clock intervals `[start, end)` per weekday. Each interval is
 *   turned into two real instants and the business time in it is the real time elapsed between
 *   them. A 09:00–18:00 day is 9 hours on both sides of a DST change; an interval that contains
 *   the change is an hour shorter (spring) or longer (autumn), as the clocks say.
 * - A boundary inside a skipped hour (02:30 on a spring-forward night) resolves to the instant the
 *   clocks jump; a boundary inside a repeated hour resolves to its first occurrence.
 * - Durations are literal elapsed business time: `1d` is 24 business hours (about 2.7 working
 *   days on 9-hour days), not one working day.
 */

import { formatterFor, toInstant, wallClock } from './wall-clock.ts';
import { CalendarError, HOURS_EXAMPLE, parseWeeklyHours, type WeeklyHours } from './weekly-hours.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// Longer than any real run of closed days, short enough to fail fast on a never-open calendar.
const MAX_CLOSED_DAYS = 400;

/** A calendar with opening hours in a time zone, closed all day on its holidays. */
export interface ZonedBusinessCalendar {
  readonly id: string;
  /** IANA time zone name, e.g. `Europe/Prague`. */
  readonly timezone: string;
  readonly weekly: WeeklyHours;
  /** Local dates (`YYYY-MM-DD`) that are closed for the whole day. */
  readonly holidays: ReadonlySet<string>;
}

/** A calendar that is always open: business time is plain elapsed time. */
export interface AlwaysBusinessCalendar {
  readonly id: string;
  readonly always: true;
}

/** Either a zoned calendar with opening hours or the always-open calendar. */
export type BusinessCalendar = ZonedBusinessCalendar | AlwaysBusinessCalendar;

/** Configuration accepted by {@link buildCalendar}. */
export interface CalendarDefinition {
  id: string;
  /** IANA time zone name, e.g. `Europe/Prague`. */
  timezone: string;
  /** Opening hours as accepted by {@link parseWeeklyHours}. */
  hours: Record<string, string>;
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays?: string[];
}

/** The calendar that is open around the clock. */
export const ALWAYS_CALENDAR: AlwaysBusinessCalendar = Object.freeze({ id: 'always', always: true });

/**
 * Builds a calendar from configuration, validating the time zone (via `Intl`), the hours (see
 * {@link parseWeeklyHours}) and the holiday dates (`YYYY-MM-DD`, real calendar dates).
 *
 * @throws {@link CalendarError} for an unknown time zone, invalid hours, a bad holiday date, or
 *   hours that are closed every day.
 */
export function buildCalendar(def: CalendarDefinition): ZonedBusinessCalendar {
  const where = `calendar ${JSON.stringify(def.id)}`;
  try {
    formatterFor(def.timezone);
  } catch {
    throw new CalendarError(
      `Unknown time zone ${JSON.stringify(def.timezone)} in ${where}: use an IANA name such as "Europe/Prague" or "America/New_York"`,
    );
  }

  let weekly: WeeklyHours;
  try {
    weekly = parseWeeklyHours(def.hours);
  } catch (error) {
    if (error instanceof CalendarError) throw new CalendarError(`${error.message} (in ${where})`);
    throw error;
  }
  if (weekly.every((day) => day.length === 0)) {
    throw new CalendarError(`The ${where} is closed every day: give it some hours, ${HOURS_EXAMPLE}`);
  }

  const holidays = new Set<string>();
  for (const date of def.holidays ?? []) {
    const match = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
    const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
    // Date.UTC rolls 2026-02-30 over into March, so a round trip rejects impossible dates.
    if (!match || Number.isNaN(time) || isoDate(time / DAY_MS) !== date) {
      throw new CalendarError(
        `Invalid holiday ${JSON.stringify(date)} in ${where}: use a real date as YYYY-MM-DD, e.g. "2026-12-24"`,
      );
    }
    holidays.add(date);
  }

  return { id: def.id, timezone: def.timezone, weekly, holidays };
}

function localDay(timeZone: string, at: number): number {
  return Math.floor(wallClock(timeZone, at) / DAY_MS);
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function openIntervals(calendar: ZonedBusinessCalendar, dayNumber: number): Array<readonly [number, number]> {
  // 1970-01-01 was a Thursday.
  const hours = calendar.weekly[(((dayNumber + 4) % 7) + 7) % 7] ?? [];
  if (hours.length === 0) return [];
  if (calendar.holidays.size > 0 && calendar.holidays.has(isoDate(dayNumber))) return [];
  const midnight = dayNumber * DAY_MS;
  const intervals: Array<readonly [number, number]> = [];
  for (const [startMinute, endMinute] of hours) {
    const open = toInstant(calendar.timezone, midnight + startMinute * MINUTE_MS);
    const close = toInstant(calendar.timezone, midnight + endMinute * MINUTE_MS);
    // An interval lying wholly inside a skipped hour has no business time.
    if (close > open) intervals.push([open, close]);
  }
  return intervals;
}

function* intervalsAfter(calendar: ZonedBusinessCalendar, at: number): Generator<readonly [number, number]> {
  // A day of margin: around a clock change near midnight an instant and the intervals around it can
  // belong to adjacent local dates.
  let dayNumber = localDay(calendar.timezone, at) - 1;
  let closedDays = 0;
  for (;;) {
    let found = false;
    for (const interval of openIntervals(calendar, dayNumber)) {
      if (interval[1] > at) {
        found = true;
        yield interval;
      }
    }
    closedDays = found ? 0 : closedDays + 1;
    if (closedDays > MAX_CLOSED_DAYS) {
      throw new CalendarError(
        `Calendar ${JSON.stringify(calendar.id)} has no business hours in the ${MAX_CLOSED_DAYS} days after ` +
          `${new Date(at).toISOString()}: check its hours and holidays`,
      );
    }
    dayNumber += 1;
  }
}

function isAlways(calendar: BusinessCalendar): calendar is AlwaysBusinessCalendar {
  return 'always' in calendar && calendar.always;
}

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite epoch millisecond value, got ${value}`);
}

/**
 * The instant at which `durationMs` of business time has elapsed after `startMs`.
 *
 * If `startMs` is outside business hours the clock starts at the next opening. A duration that
 * runs out exactly at closing time returns the closing instant. A duration of 0 returns `startMs`
 * when it is inside business hours and the next opening otherwise. For the always-open calendar
 * this is `startMs + durationMs`. Steps interval by interval, never minute by minute.
 *
 * @throws RangeError for a non-finite start or a negative or non-finite duration.
 * @throws {@link CalendarError} when the calendar has no open hours for more than 400 days.
 */
export function addBusinessTime(calendar: BusinessCalendar, startMs: number, durationMs: number): number {
  checkInstant('startMs', startMs);
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite, non-negative number, got ${durationMs}`);
  }
  if (isAlways(calendar)) return startMs + durationMs;

  let cursor = startMs;
  let remaining = durationMs;
  for (const [open, close] of intervalsAfter(calendar, startMs)) {
    const from = Math.max(open, cursor);
    const available = close - from;
    if (remaining <= available) return from + remaining;
    remaining -= available;
    cursor = close;
  }
  throw new Error('unreachable: intervalsAfter never ends');
}

/**
 * Business milliseconds in `[fromMs, toMs)`; 0 when `toMs <= fromMs`. The inverse of
 * {@link addBusinessTime}: `businessTimeBetween(c, s, addBusinessTime(c, s, d)) === d`.
 *
 * @throws RangeError for a non-finite instant.
 */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  checkInstant('fromMs', fromMs);
  checkInstant('toMs', toMs);
  if (toMs <= fromMs) return 0;
  if (isAlways(calendar)) return toMs - fromMs;

  let total = 0;
  const lastDay = localDay(calendar.timezone, toMs) + 1;
  for (let dayNumber = localDay(calendar.timezone, fromMs) - 1; dayNumber <= lastDay; dayNumber += 1) {
    for (const [open, close] of openIntervals(calendar, dayNumber)) {
      const overlap = Math.min(close, toMs) - Math.max(open, fromMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** Whether `atMs` falls inside business hours (intervals are half-open: closing time is outside). */
export function isBusinessTime(calendar: BusinessCalendar, atMs: number): boolean {
  checkInstant('atMs', atMs);
  if (isAlways(calendar)) return true;
  const today = localDay(calendar.timezone, atMs);
  for (let dayNumber = today - 1; dayNumber <= today + 1; dayNumber += 1) {
    for (const [open, close] of openIntervals(calendar, dayNumber)) {
      if (open <= atMs && atMs < close) return true;
    }
  }
  return false;
}

/**
 * `atMs` itself when it is inside business hours, otherwise the next opening instant.
 *
 * @throws {@link CalendarError} when the calendar has no open hours for more than 400 days.
 */
export function nextBusinessStart(calendar: BusinessCalendar, atMs: number): number {
  checkInstant('atMs', atMs);
  if (isAlways(calendar)) return atMs;
  for (const [open] of intervalsAfter(calendar, atMs)) return Math.max(open, atMs);
  throw new Error('unreachable: intervalsAfter never ends');
}
