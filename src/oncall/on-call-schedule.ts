/**
 * Who is on call at an instant: a pure function of (schedule, overrides, instant, platform). Layers
 * are read in order and the first that covers the instant (its hours, if restricted) and names someone
 * on the platform decides; an override beats every layer while it lasts. Hand-offs and hours are local
 * wall-clock times in the layer's time zone, so they keep their local time across DST changes.
 */
import type { Platform } from '../domain/refs.ts';
import { toInstant, wallClock } from '../sla/wall-clock.ts';
import type { WeeklyHours } from '../sla/weekly-hours.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far ahead `nextChange` looks before it says nothing changes. */
export const LOOK_AHEAD_MS = 60 * DAY_MS;

export interface Rotation {
  /** Each person's turn lasts this many days. */
  readonly everyDays: number;
  /** Local minute of the day the turn changes at. */
  readonly minute: number;
  /** A local day number (days since 1970-01-01) on which the first person's turn began. */
  readonly anchorDay: number;
}

export interface OnCallLayer {
  readonly name: string;
  readonly timezone: string;
  /** Per platform, the people who take turns (one without a rotation). */
  readonly people: { readonly slack: readonly string[]; readonly discord: readonly string[] };
  readonly rotation?: Rotation;
  /** When set, the layer only covers these local hours. */
  readonly hours?: WeeklyHours;
}

export interface OnCallSchedule {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly layers: readonly OnCallLayer[];
}

/** Someone covering a schedule on one platform from `from` until `to` (half-open). */
export interface OnCallOverride {
  readonly id: number;
  readonly schedule: string;
  readonly platform: Platform;
  readonly user: string;
  readonly from: number;
  readonly to: number;
  /** When it was set: the latest set wins where overrides overlap. */
  readonly createdAt: number;
}

/** Who is on call, and why: a layer's turn or an override. */
export interface OnCallShift {
  readonly user: string;
  readonly layer: string;
  readonly override?: number;
}

const mod = (value: number, by: number) => ((value % by) + by) % by;

function covers(layer: OnCallLayer, local: number): boolean {
  if (!layer.hours) return true;
  const day = Math.floor(local / DAY_MS);
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  // 1970-01-01 was a Thursday (4).
  return (layer.hours[mod(day + 4, 7)] ?? []).some(([start, end]) => minute >= start && minute < end);
}

/** The index of the turn in effect at a local wall-clock reading. */
function turnAt(rotation: Rotation, local: number): number {
  const day = Math.floor(local / DAY_MS);
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  const since = (minute >= rotation.minute ? day : day - 1) - rotation.anchorDay;
  return Math.floor(since / rotation.everyDays);
}

function layerShift(layer: OnCallLayer, platform: Platform, at: number): OnCallShift | undefined {
  const people = layer.people[platform];
  if (people.length === 0) return undefined;
  const local = wallClock(layer.timezone, at);
  if (!covers(layer, local)) return undefined;
  const turn = layer.rotation ? turnAt(layer.rotation, local) : 0;
  const user = people[mod(turn, people.length)];
  return user === undefined ? undefined : { user, layer: layer.name };
}

function overrideAt(
  schedule: OnCallSchedule,
  overrides: readonly OnCallOverride[],
  platform: Platform,
  at: number,
): OnCallOverride | undefined {
  let latest: OnCallOverride | undefined;
  for (const override of overrides) {
    if (override.schedule !== schedule.id || override.platform !== platform) continue;
    if (at < override.from || at >= override.to) continue;
    if (
      !latest ||
      override.createdAt > latest.createdAt ||
      (override.createdAt === latest.createdAt && override.id > latest.id)
    )
      latest = override;
  }
  return latest;
}

/** Who is on call for the schedule on the platform at `at`; undefined when nobody covers that instant. */
export function onCallAt(
  schedule: OnCallSchedule,
  overrides: readonly OnCallOverride[],
  platform: Platform,
  at: number,
): OnCallShift | undefined {
  const override = overrideAt(schedule, overrides, platform, at);
  if (override) return { user: override.user, layer: 'override', override: override.id };
  for (const layer of schedule.layers) {
    const shift = layerShift(layer, platform, at);
    if (shift) return shift;
  }
  return undefined;
}

/** The first instant after `after` when a layer may change hands: a hand-off or an hours boundary. */
function nextLayerBoundary(layer: OnCallLayer, after: number): number | undefined {
  const local = wallClock(layer.timezone, after);
  const today = Math.floor(local / DAY_MS);
  let best: number | undefined;
  const consider = (localCandidate: number) => {
    const instant = toInstant(layer.timezone, localCandidate);
    if (instant > after && (best === undefined || instant < best)) best = instant;
  };
  const { rotation } = layer;
  if (rotation && (layer.people.slack.length > 1 || layer.people.discord.length > 1)) {
    for (let day = today; day <= today + rotation.everyDays + 1; day += 1) {
      if (mod(day - rotation.anchorDay, rotation.everyDays) === 0)
        consider(day * DAY_MS + rotation.minute * MINUTE_MS);
    }
  }
  if (layer.hours) {
    for (let day = today; day <= today + 8; day += 1) {
      for (const [start, end] of layer.hours[mod(day + 4, 7)] ?? []) {
        consider(day * DAY_MS + start * MINUTE_MS);
        consider(day * DAY_MS + end * MINUTE_MS);
      }
    }
  }
  return best;
}

const sameShift = (a: OnCallShift | undefined, b: OnCallShift | undefined) =>
  a?.user === b?.user && a?.layer === b?.layer && a?.override === b?.override;

/** The next time the on-call person (or the reason they are on call) changes, and who takes over. */
export interface OnCallChange {
  readonly at: number;
  readonly next: OnCallShift | undefined;
}

/**
 * When the shift in effect at `from` next changes on the platform (a hand-off, an hours boundary, an
 * override starting or ending), within {@link LOOK_AHEAD_MS}; undefined when nothing changes by then.
 * A hand-off to the same person (a rotation of one, touching hours) is not a change.
 */
export function nextChange(
  schedule: OnCallSchedule,
  overrides: readonly OnCallOverride[],
  platform: Platform,
  from: number,
  options: { readonly personOnly?: boolean } = {},
): OnCallChange | undefined {
  const current = onCallAt(schedule, overrides, platform, from);
  const relevant = overrides.filter((o) => o.schedule === schedule.id && o.platform === platform);
  let at = from;
  while (at < from + LOOK_AHEAD_MS) {
    let candidate: number | undefined;
    const consider = (value: number | undefined) => {
      if (value !== undefined && value > at && (candidate === undefined || value < candidate))
        candidate = value;
    };
    for (const layer of schedule.layers) consider(nextLayerBoundary(layer, at));
    for (const override of relevant) {
      consider(override.from);
      consider(override.to);
    }
    if (candidate === undefined) return undefined;
    at = candidate;
    const next = onCallAt(schedule, overrides, platform, at);
    const changed = options.personOnly ? next?.user !== current?.user : !sameShift(next, current);
    if (changed) return { at, next };
  }
  return undefined;
}

/** Every change of the on-call person in `(from, until]`, in order (for hand-off messages). */
export function changesBetween(
  schedule: OnCallSchedule,
  overrides: readonly OnCallOverride[],
  platform: Platform,
  from: number,
  until: number,
): OnCallChange[] {
  const changes: OnCallChange[] = [];
  let at = from;
  for (;;) {
    const change = nextChange(schedule, overrides, platform, at, { personOnly: true });
    if (!change || change.at > until) return changes;
    changes.push(change);
    at = change.at;
  }
}
