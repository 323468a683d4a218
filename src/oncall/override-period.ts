/**
 * When an override runs, as `/heed oncall override` takes it: a duration from now (`4h`, `2d`, `1h30m`),
 * or a range `<start>–<end>` (also written `<start>..<end>` or `<start>/<end>`, or `HH:MM-HH:MM`) whose
 * ends are local times `HH:MM`, dates `YYYY-MM-DD` or both `YYYY-MM-DDTHH:MM`, read in the schedule's
 * time zone. A range of times of day is the next such span that has not ended (`18:00–09:00` at noon is
 * tonight until tomorrow morning). Pure.
 */
import { DurationError, parseDuration } from '../sla/duration.ts';
import { toInstant, wallClock } from '../sla/wall-clock.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The longest override: a quarter. Longer cover belongs in the schedule. */
export const MAX_OVERRIDE_MS = 92 * DAY_MS;

/** A token that reads as a period (for the positional parser): a duration or a range. */
export const PERIOD_TOKEN =
  /^(\d+(\.\d+)?[wdhms][\dwdhms.]*|[\dT:-]+(–|—|\.\.|\/)[\dT:-]+|\d{1,2}:\d{2}-\d{1,2}:\d{2})$/i;

export type PeriodResult = { readonly from: number; readonly to: number } | { readonly problem: string };

const EXAMPLES = '4h, 2d, 18:00–09:00, 2026-12-24–2026-12-27 or 2026-12-24T18:00–2026-12-27T09:00';

type End =
  | { readonly kind: 'time'; readonly minute: number }
  | { readonly kind: 'moment'; readonly local: number };

function readEnd(text: string): End | undefined {
  const time = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (time) {
    const hours = Number(time[1]);
    const minutes = Number(time[2]);
    return hours < 24 && minutes < 60 ? { kind: 'time', minute: hours * 60 + minutes } : undefined;
  }
  const moment = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{1,2}):(\d{2}))?$/.exec(text);
  if (!moment) return undefined;
  const [year, month, day, hours = 0, minutes = 0] = moment.slice(1).map((part) => Number(part ?? 0));
  const local = Date.UTC(year!, month! - 1, day!, hours, minutes);
  const check = new Date(local);
  const real = check.getUTCDate() === day && check.getUTCMonth() === month! - 1 && hours < 24 && minutes < 60;
  return real ? { kind: 'moment', local } : undefined;
}

function splitRange(text: string): [string, string] | undefined {
  for (const separator of ['–', '—', '..', '/']) {
    const at = text.indexOf(separator);
    if (at > 0) return [text.slice(0, at), text.slice(at + separator.length)];
  }
  const times = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(text);
  return times ? [times[1]!, times[2]!] : undefined;
}

/** The override's span for `text` at `now` in `timezone`, or what is wrong with it. */
export function parsePeriod(text: string, now: number, timezone: string): PeriodResult {
  const trimmed = text.trim();
  const range = splitRange(trimmed);
  let from: number;
  let to: number;
  if (!range) {
    try {
      const length = parseDuration(trimmed);
      if (length <= 0) return { problem: 'an override needs to last a while, for example 4h' };
      from = now;
      to = now + length;
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      return { problem: `"${trimmed}" is not a time span; write ${EXAMPLES}` };
    }
  } else {
    const start = readEnd(range[0]);
    const end = readEnd(range[1]);
    if (!start || !end) return { problem: `"${trimmed}" is not a time span; write ${EXAMPLES}` };
    const today = Math.floor(wallClock(timezone, now) / DAY_MS) * DAY_MS;
    const startLocal = start.kind === 'moment' ? start.local : today + start.minute * MINUTE_MS;
    let endLocal =
      end.kind === 'moment' ? end.local : Math.floor(startLocal / DAY_MS) * DAY_MS + end.minute * MINUTE_MS;
    if (end.kind === 'time' && endLocal <= startLocal) endLocal += DAY_MS;
    from = toInstant(timezone, startLocal);
    to = toInstant(timezone, endLocal);
    // Times of day alone mean the next such span that has not ended yet.
    if (start.kind === 'time' && end.kind === 'time' && to <= now) {
      from = toInstant(timezone, startLocal + DAY_MS);
      to = toInstant(timezone, endLocal + DAY_MS);
    }
  }
  if (to <= from) return { problem: `"${trimmed}" ends before it starts; the end comes second` };
  if (to <= now) return { problem: `"${trimmed}" is already over; an override covers now or later` };
  if (to - from > MAX_OVERRIDE_MS) {
    return {
      problem: 'an override lasts at most 92 days; for longer cover, change the schedule in the config',
    };
  }
  return { from, to };
}
