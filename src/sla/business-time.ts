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

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const MINUTES_PER_DAY = 1_440;
// Longer than any real run of closed days, short enough to fail fast on a never-open calendar.
const MAX_CLOSED_DAYS = 400;

/** A half-open interval `[startMinute, endMinute)` of local wall-clock minutes, 0..1440. */
export type MinuteInterval = readonly [startMinute: number, endMinute: number];

/** Open intervals of one weekday, sorted, non-overlapping and non-empty. */
export type DayHours = readonly MinuteInterval[];

/** Opening hours for each weekday, indexed 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export type WeeklyHours = readonly [DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours];

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

/** Thrown for invalid business-hours, time-zone or holiday configuration, and for never-open calendars. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

/** The calendar that is open around the clock. */
export const ALWAYS_CALENDAR: AlwaysBusinessCalendar = Object.freeze({ id: 'always', always: true });

const DAY_NAMES: Readonly<Record<string, number>> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};
const SHORT_DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HOURS_EXAMPLE = `e.g. { "mon-fri": "09:00-18:00", "sat": "10:00-14:00", "sun": "closed" }`;
const RANGE_EXAMPLE = `e.g. "09:00-18:00", "09:00-12:00, 13:00-17:00" or "closed"`;

function parseDays(key: string): number[] {
  const days: number[] = [];
  const dayOf = (name: string): number => {
    const day = DAY_NAMES[name.trim().toLowerCase()];
    if (day === undefined) {
      throw new CalendarError(
        `Unknown day ${JSON.stringify(name.trim())} in business-hours key ${JSON.stringify(key)}: ` +
          `use sun, mon, tue, wed, thu, fri, sat, ranges like "mon-fri" or lists like "mon,wed" (${HOURS_EXAMPLE})`,
      );
    }
    return day;
  };
  for (const item of key.split(',')) {
    const ends = item.split('-');
    if (ends.length > 2)
      throw new CalendarError(`Invalid day range ${JSON.stringify(item)}: ${HOURS_EXAMPLE}`);
    const first = dayOf(ends[0] ?? '');
    const last = dayOf(ends[1] ?? ends[0] ?? '');
    // Ranges wrap around the week: "fri-mon" is Friday, Saturday, Sunday and Monday.
    for (let day = first; ; day = (day + 1) % 7) {
      days.push(day);
      if (day === last) break;
    }
  }
  return days;
}

function parseClock(text: string, key: string, value: string, isEnd: boolean): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const minute = hours * 60 + minutes;
  const valid =
    match !== null && minutes < 60 && (minute < MINUTES_PER_DAY || (isEnd && minute === MINUTES_PER_DAY));
  if (!valid) {
    throw new CalendarError(
      `Invalid time ${JSON.stringify(text.trim())} in business hours ${JSON.stringify(key)}: ${JSON.stringify(value)}: ` +
        `use 24-hour HH:MM from 00:00 to 23:59 (24:00 allowed as an end), ${RANGE_EXAMPLE}`,
    );
  }
  return minute;
}

function parseRanges(key: string, value: string): MinuteInterval[] {
  if (value.trim().toLowerCase() === 'closed') return [];
  const ranges: Array<[number, number]> = [];
  for (const part of value.split(',')) {
    const ends = part.split('-');
    if (ends.length !== 2 || part.trim() === '') {
      throw new CalendarError(
        `Invalid business hours ${JSON.stringify(key)}: ${JSON.stringify(value)}: ` +
          `${JSON.stringify(part.trim())} is not a time range; ${RANGE_EXAMPLE}`,
      );
    }
    const start = parseClock(ends[0] ?? '', key, value, false);
    const end = parseClock(ends[1] ?? '', key, value, true);
    if (end < start) {
      throw new CalendarError(
        `Overnight range ${JSON.stringify(part.trim())} in business hours ${JSON.stringify(key)}: ` +
          `ranges cannot cross midnight; split it across days, e.g. { "fri": "22:00-24:00", "sat": "00:00-06:00" }`,
      );
    }
    if (end === start) {
      throw new CalendarError(
        `Empty range ${JSON.stringify(part.trim())} in business hours ${JSON.stringify(key)}: ` +
          `the end must be after the start, ${RANGE_EXAMPLE}`,
      );
    }
    ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = merged.at(-1);
    if (previous && range[0] < previous[1]) {
      throw new CalendarError(
        `Overlapping ranges in business hours ${JSON.stringify(key)}: ${JSON.stringify(value)}; ${RANGE_EXAMPLE}`,
      );
    }
    if (previous && range[0] === previous[1]) previous[1] = range[1];
    else merged.push(range);
  }
  return merged;
}

/**
 * Parses opening hours from configuration such as
 * `{ 'mon-fri': '09:00-18:00', sat: '10:00-14:00', sun: 'closed' }`.
 *
 * Keys are day names (`mon` or `monday`, case-insensitive), ranges that may wrap around the week
 * (`fri-mon`) and comma lists (`mon,wed`). Values are `closed` or comma-separated `HH:MM-HH:MM`
 * ranges (`24:00` allowed as an end); touching ranges are merged. Days not mentioned are closed.
 * A day may be mentioned by only one key.
 *
 * @throws {@link CalendarError} naming the bad key or value: unknown day, bad time, empty,
 *   overlapping or overnight range (those must be split across days), or a day given twice.
 */
export function parseWeeklyHours(spec: Record<string, string>): WeeklyHours {
  const week: MinuteInterval[][] = [[], [], [], [], [], [], []];
  const definedBy = new Map<number, string>();
  for (const [key, value] of Object.entries(spec)) {
    if (typeof value !== 'string') {
      throw new CalendarError(`Business hours ${JSON.stringify(key)} must be a string, ${RANGE_EXAMPLE}`);
    }
    const ranges = parseRanges(key, value);
    for (const day of parseDays(key)) {
      const previousKey = definedBy.get(day);
      if (previousKey !== undefined) {
        throw new CalendarError(
          `Day "${SHORT_DAY_NAMES[day]}" is given by both ${JSON.stringify(previousKey)} and ${JSON.stringify(key)} ` +
            `in business hours; list each day once, ${HOURS_EXAMPLE}`,
        );
      }
      definedBy.set(day, key);
      week[day] = ranges.map(([start, end]) => [start, end] as const);
    }
  }
  const [sun = [], mon = [], tue = [], wed = [], thu = [], fri = [], sat = []] = week;
  return [sun, mon, tue, wed, thu, fri, sat];
}

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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The wall-clock reading of `at` in `timeZone`, kept as if it were UTC epoch milliseconds, so plain
 * arithmetic works (`Math.floor(local / 86_400_000)` is the local day number).
 */
export function wallClock(timeZone: string, at: number): number {
  // Offsets change only on whole minutes, so one reading per zone and minute serves every instant in it
  // (reading the wall clock through Intl is the SLA engine's most expensive step).
  const minute = Math.floor(at / 60_000) * 60_000;
  const key = `${timeZone}|${minute}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = readWallClock(timeZone, minute) - minute;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  return at + offset;
}

const offsets = new Map<string, number>();
const OFFSETS_KEPT = 100_000;

/** Empties the offset cache (tests that count wall-clock readings start cold). */
export function forgetWallClockOffsets(): void {
  offsets.clear();
}

function readWallClock(timeZone: string, at: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const subSecond = ((at % 1_000) + 1_000) % 1_000;
  return date.getTime() + subSecond;
}

function offsetAt(timeZone: string, at: number): number {
  return wallClock(timeZone, at) - at;
}

/**
 * The instant of a wall-clock reading (as {@link wallClock} gives it) in `timeZone`. In a repeated
 * hour the earlier instant wins; in a skipped hour the instant of the jump is used.
 */
// Two-pass offset method: take the offsets in effect well before and after `local` (no zone is more
// than 14 h from UTC), try both and keep the one that round-trips.
export function toInstant(timeZone: string, local: number): number {
  const offsetBefore = offsetAt(timeZone, local - 15 * HOUR_MS);
  const offsetAfter = offsetAt(timeZone, local + 15 * HOUR_MS);
  const before = local - offsetBefore;
  if (offsetBefore === offsetAfter) return before;

  const after = local - offsetAfter;
  const beforeFits = offsetAt(timeZone, before) === offsetBefore;
  const afterFits = offsetAt(timeZone, after) === offsetAfter;
  if (beforeFits && afterFits) return Math.min(before, after);
  if (beforeFits) return before;
  if (afterFits) return after;

  // Skipped wall-clock time: binary-search the transition between the two candidates.
  let low = Math.min(before, after);
  let high = Math.max(before, after);
  const lowOffset = offsetAt(timeZone, low);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle) === lowOffset) low = middle;
    else high = middle;
  }
  return high;
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
