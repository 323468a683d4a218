/**
 * Wall-clock readings in a time zone and back, through `Intl.DateTimeFormat` (no date library). A
 * reading is kept as if it were UTC epoch milliseconds, so plain arithmetic works on it.
 */

const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter of a time zone (throws a RangeError for an unknown zone). */
export function formatterFor(timeZone: string): Intl.DateTimeFormat {
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
