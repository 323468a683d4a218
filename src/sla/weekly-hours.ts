/**
 * Opening hours as the config writes them (`{ "mon-fri": "09:00-18:00", "sun": "closed" }`), parsed into
 * sorted local wall-clock intervals per weekday, with messages that name the bad key or value.
 */

const MINUTES_PER_DAY = 1_440;

/** A half-open interval `[startMinute, endMinute)` of local wall-clock minutes, 0..1440. */
export type MinuteInterval = readonly [startMinute: number, endMinute: number];

/** Open intervals of one weekday, sorted, non-overlapping and non-empty. */
export type DayHours = readonly MinuteInterval[];

/** Opening hours for each weekday, indexed 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export type WeeklyHours = readonly [DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours];

/** Thrown for invalid business-hours, time-zone or holiday configuration, and for never-open calendars. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

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
/** Shown with every hours problem. */
export const HOURS_EXAMPLE = `e.g. { "mon-fri": "09:00-18:00", "sat": "10:00-14:00", "sun": "closed" }`;
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
