import { z } from 'zod';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

// Largest first: the order units must appear in, which catches typos such as `30m1h` or `1h 2h`.
const UNITS = [
  ['w', WEEK_MS],
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
] as const;

const EXAMPLES = '"90s", "30m", "4h", "2d", "1w", "1h30m" or "1d 4h"';
const SEGMENT = /(\d+(?:\.\d+)?)([a-z]+)/y;

/** Thrown by {@link parseDuration} (and reported by {@link durationSchema}) for text that is not a duration. */
export class DurationError extends Error {
  override readonly name = 'DurationError';

  /**
   * @param input - The text that failed to parse.
   * @param problem - What is wrong with it; the message adds the accepted examples.
   */
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Invalid duration ${JSON.stringify(input)}: ${problem}. Use forms like ${EXAMPLES}.`);
  }
}

/**
 * Parses a duration such as `90s`, `30m`, `4h`, `2d`, `1w`, `1h30m` or `1d 4h` into milliseconds.
 *
 * Units are `w` (7 days), `d` (24 hours), `h`, `m` and `s`, case-insensitive, each used at most
 * once and largest first; segments may be separated by spaces. Decimals are accepted (`1.5h` is
 * 90 minutes) and the result is rounded to a whole millisecond. Zero (`0m`) is allowed. The units
 * are literal amounts of time: `1d` is 24 hours, which in business time is 24 business hours, not
 * one working day.
 *
 * @throws {@link DurationError} for empty, negative, unit-less or otherwise malformed text.
 */
export function parseDuration(text: string): number {
  const source = text.trim().toLowerCase();
  if (source === '') throw new DurationError(text, 'it is empty');
  if (source.startsWith('-')) throw new DurationError(text, 'durations cannot be negative');
  if (/^\d+(?:\.\d+)?$/.test(source)) throw new DurationError(text, 'it has no unit');

  let total = 0;
  let lastUnitIndex = -1;
  let position = 0;
  while (position < source.length) {
    SEGMENT.lastIndex = position;
    const match = SEGMENT.exec(source);
    if (!match) throw new DurationError(text, `cannot read ${JSON.stringify(source.slice(position))}`);
    const [, amount = '', unit = ''] = match;
    const unitIndex = UNITS.findIndex(([name]) => name === unit);
    const entry = UNITS[unitIndex];
    if (!entry) throw new DurationError(text, `unknown unit ${JSON.stringify(unit)} (use w, d, h, m or s)`);
    if (unitIndex <= lastUnitIndex) {
      throw new DurationError(text, 'each unit may appear once, largest first');
    }
    lastUnitIndex = unitIndex;
    total += Number(amount) * entry[1];
    position = SEGMENT.lastIndex;
    while (/\s/.test(source.charAt(position))) position += 1;
  }

  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw new DurationError(text, 'it is too large');
  return ms;
}

/**
 * Zod schema for a duration string, producing milliseconds. Invalid text yields one issue whose
 * message is the {@link DurationError} message.
 */
export const durationSchema = z
  .string({ error: `Expected a duration string such as ${EXAMPLES}` })
  .transform((text, ctx): number => {
    try {
      return parseDuration(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, input: text });
      return z.NEVER;
    }
  });

/**
 * Formats milliseconds as short human text: `45s`, `15m 30s`, `1h 30m`, `2d 4h`, `0m` for zero.
 *
 * Shows the two largest units (days/hours, hours/minutes or minutes/seconds), omitting a zero
 * second unit. Smaller units are truncated, never rounded up, so a remaining time is not
 * overstated; anything under a second is `0m`. Negative values get a leading `-`.
 *
 * @throws RangeError for a non-finite value.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`Cannot format a duration of ${ms} ms`);
  if (ms < 0) {
    const positive = formatDuration(-ms);
    return positive === '0m' ? positive : `-${positive}`;
  }

  const seconds = Math.floor(ms / SECOND_MS);
  if (seconds === 0) return '0m';
  const pair = (major: number, majorUnit: string, minor: number, minorUnit: string): string =>
    minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit} ${minor}${minorUnit}`;

  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return pair(minutes, 'm', seconds % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return pair(hours, 'h', minutes % 60, 'm');
  return pair(Math.floor(hours / 24), 'd', hours % 24, 'h');
}
