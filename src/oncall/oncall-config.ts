/**
 * `schedules:` in the config file: who is on call, by layers of people in turn, each layer optionally
 * restricted to some hours, in its own time zone (follow-the-sun). Validated here, built into the pure
 * {@link OnCallSchedule} that `who-is-on-call.ts` reads.
 */
import { z } from 'zod';
import { id, slackUserId, snowflake } from '../config/primitives.ts';
import { parseDuration } from '../sla/duration.ts';
import { formatterFor } from '../sla/wall-clock.ts';
import { parseWeeklyHours } from '../sla/weekly-hours.ts';
import type { OnCallLayer, OnCallSchedule } from './on-call-schedule.ts';

const DAY_MS = 86_400_000;
const WEEK_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const timezone = z.string().refine(
  (zone) => {
    try {
      formatterFor(zone);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a time zone Heed knows; use an IANA name such as "Europe/Prague" or "America/New_York"' },
);

const handoff = z
  .string()
  .regex(
    /^((sun|mon|tue|wed|thu|fri|sat)[a-z]*\s+)?([01]?\d|2[0-3]):[0-5]\d$/i,
    'a hand-off is a local time like "09:00", or a week day and a time like "mon 09:00"',
  );

const rotationSchema = z
  .object({
    every: z.string().transform((value, ctx) => {
      try {
        const ms = parseDuration(value);
        if (ms >= DAY_MS && ms % DAY_MS === 0) return ms / DAY_MS;
      } catch {}
      ctx.addIssue({
        code: 'custom',
        message: 'a rotation turns in whole days or weeks: "1d", "2d", "1w" or "2w"',
      });
      return z.NEVER;
    }),
    handoff: handoff.default('09:00'),
    /** The local date the first person's first turn begins; it fixes who is on call when. */
    start: z
      .string()
      .regex(DATE, 'a date like "2026-01-05"')
      .refine((value) => {
        const date = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
      }, 'not a real date')
      .optional(),
  })
  .strict();

const layerSchema = z
  .object({
    name: z.string().min(1),
    people: z
      .object({ slack: z.array(slackUserId).default([]), discord: z.array(snowflake).default([]) })
      .strict(),
    rotation: rotationSchema.optional(),
    hours: z.record(z.string(), z.string()).optional(),
    timezone: timezone.optional(),
  })
  .strict()
  .superRefine((layer, ctx) => {
    if (layer.people.slack.length + layer.people.discord.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['people'],
        message: 'name at least one person: people: { slack: [U…] } or { discord: ["…"] }',
      });
    }
    const several = layer.people.slack.length > 1 || layer.people.discord.length > 1;
    if (several && !layer.rotation) {
      ctx.addIssue({
        code: 'custom',
        path: ['rotation'],
        message: 'several people take turns, so say how: rotation: { every: 1w, handoff: "mon 09:00" }',
      });
    }
    const weekday = layer.rotation && /^[a-z]/i.test(layer.rotation.handoff);
    if (layer.rotation && weekday && layer.rotation.every % 7 !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rotation', 'handoff'],
        message:
          'a hand-off on a week day needs a rotation of whole weeks (every: 1w or 2w); for daily turns write only the time, like "09:00"',
      });
    }
    if (layer.hours) {
      try {
        parseWeeklyHours(layer.hours);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['hours'], message: (error as Error).message });
      }
    }
  });

export const scheduleConfigSchema = z
  .object({
    id,
    name: z.string().min(1).optional(),
    timezone,
    layers: z.array(layerSchema).min(1, 'a schedule needs at least one layer of people'),
  })
  .strict();

export type ScheduleConfig = z.output<typeof scheduleConfigSchema>;

/** The local day number (days since 1970-01-01) of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function buildLayer(layer: ScheduleConfig['layers'][number], scheduleZone: string): OnCallLayer {
  const base = {
    name: layer.name,
    timezone: layer.timezone ?? scheduleZone,
    people: { slack: layer.people.slack, discord: layer.people.discord },
    ...(layer.hours ? { hours: parseWeeklyHours(layer.hours) } : {}),
  };
  if (!layer.rotation) return base;
  const match = /^(?:([a-z]+)\s+)?(\d{1,2}):(\d{2})$/i.exec(layer.rotation.handoff.trim());
  const weekday = match?.[1]
    ? WEEK_DAYS.findIndex((day) => match[1]!.toLowerCase().startsWith(day))
    : undefined;
  const minute = Number(match?.[2]) * 60 + Number(match?.[3]);
  // Without a start date, turns count from the first hand-off day after 1970-01-01 (a Thursday).
  let anchor = layer.rotation.start ? dayNumber(layer.rotation.start) : 0;
  if (weekday !== undefined) {
    while ((anchor + 4) % 7 !== weekday) anchor += 1;
  }
  return { ...base, rotation: { everyDays: layer.rotation.every, minute, anchorDay: anchor } };
}

/** The pure schedule of a validated config entry. */
export function buildSchedule(config: ScheduleConfig): OnCallSchedule {
  return {
    id: config.id,
    name: config.name ?? config.id,
    timezone: config.timezone,
    layers: config.layers.map((layer) => buildLayer(layer, config.timezone)),
  };
}
