import type { HeedConfig } from '../config/schema.ts';
import type { Period } from '../reports/report.ts';
import { toInstant, wallClock } from '../sla/wall-clock.ts';
import { WEEK_DAYS } from './digest-config.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** When digests go out: every day or one week day, at a local time in a time zone. */
export interface DigestSchedule {
  readonly every: 'daily' | 'weekly';
  /** Minutes after local midnight. */
  readonly atMinute: number;
  /** The week day of a weekly digest: 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** IANA time zone the time of day is read in. */
  readonly timezone: string;
}

/** The schedule the config asks for, or `undefined` when the digest is off. */
export function digestSchedule(config: HeedConfig): DigestSchedule | undefined {
  const digest = config.digest;
  if (!digest) return undefined;
  const [hours, minutes] = digest.at.split(':').map(Number);
  const calendar = config.sla.calendars.find((c) => c.id === digest.calendar);
  return {
    every: digest.every,
    atMinute: (hours ?? 0) * 60 + (minutes ?? 0),
    weekday: WEEK_DAYS.indexOf(digest.day ?? 'mon'),
    timezone: calendar?.timezone ?? 'UTC',
  };
}

// Local day numbers count days since 1970-01-01 (a Thursday) on the zone's wall clock.
function localDay(schedule: DigestSchedule, at: number): number {
  return Math.floor(wallClock(schedule.timezone, at) / DAY_MS);
}

function hasSlot(schedule: DigestSchedule, day: number): boolean {
  return schedule.every === 'daily' || (((day + 4) % 7) + 7) % 7 === schedule.weekday;
}

function slotOn(schedule: DigestSchedule, day: number): number {
  return toInstant(schedule.timezone, day * DAY_MS + schedule.atMinute * MINUTE_MS);
}

/** The latest digest time at or before `at`. */
export function latestSlotAtOrBefore(schedule: DigestSchedule, at: number): number {
  for (let day = localDay(schedule, at) + 1; ; day -= 1) {
    if (hasSlot(schedule, day)) {
      const slot = slotOn(schedule, day);
      if (slot <= at) return slot;
    }
  }
}

/** The first digest time strictly after `at`. */
export function firstSlotAfter(schedule: DigestSchedule, at: number): number {
  for (let day = localDay(schedule, at) - 1; ; day += 1) {
    if (hasSlot(schedule, day)) {
      const slot = slotOn(schedule, day);
      if (slot > at) return slot;
    }
  }
}

/**
 * When the next digest is due, given the digest time last sent (`undefined`: none ever) and now. Pure.
 *
 * - Nothing sent yet: the first digest time at or after `now` (nothing is owed from before).
 * - Otherwise the first digest time after `lastSent`; when that has already passed (Heed was down),
 *   the latest digest time at or before `now` instead, so a missed digest is sent once (late) and
 *   older missed ones are folded into it.
 *
 * A result at or before `now` means "send now".
 */
export function nextDigestAt(schedule: DigestSchedule, lastSent: number | undefined, now: number): number {
  if (lastSent === undefined) return firstSlotAfter(schedule, now - 1);
  const next = firstSlotAfter(schedule, lastSent);
  return next <= now ? latestSlotAtOrBefore(schedule, now) : next;
}

/** The period a digest sent for `slot` reports on: from the digest time before it up to `slot`. */
export function digestPeriod(schedule: DigestSchedule, slot: number): Period {
  return { from: latestSlotAtOrBefore(schedule, slot - 1), to: slot };
}
