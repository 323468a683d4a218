/**
 * The on-call picture of the whole config at one moment's knowledge of overrides: each team's schedule
 * (a `schedules:` entry, or the old fixed `onCall: { slack, discord }` read as a one-layer schedule),
 * and who is on call for a team or schedule at an instant. Pure: built from the config and a list of
 * overrides, asked with an instant.
 */
import type { HeedConfig } from '../config/schema.ts';
import type { Platform, UserRef } from '../domain/refs.ts';
import {
  nextChange,
  type OnCallOverride,
  type OnCallSchedule,
  type OnCallShift,
  onCallAt,
} from './on-call-schedule.ts';
import { buildSchedule } from './oncall-config.ts';

/** The schedule id standing for a team's fixed on-call person (`onCall: { slack, discord }`). */
export const fixedScheduleId = (teamId: string) => `team:${teamId}`;

/** Every schedule the config defines, plus one per team with a fixed on-call person. */
export function schedulesOf(config: HeedConfig): Map<string, OnCallSchedule> {
  const schedules = new Map<string, OnCallSchedule>();
  for (const schedule of config.schedules) schedules.set(schedule.id, buildSchedule(schedule));
  for (const team of config.teams) {
    const onCall = team.onCall;
    if (!onCall || onCall.schedule !== undefined) continue;
    schedules.set(fixedScheduleId(team.id), {
      id: fixedScheduleId(team.id),
      name: team.name ?? team.id,
      timezone: 'UTC',
      layers: [
        {
          name: 'on-call',
          timezone: 'UTC',
          people: {
            slack: onCall.slack ? [onCall.slack] : [],
            discord: onCall.discord ? [onCall.discord] : [],
          },
        },
      ],
    });
  }
  return schedules;
}

/** Who is on call and when that changes, for one schedule on one platform. */
export interface OnCallNow {
  readonly schedule: OnCallSchedule;
  readonly platform: Platform;
  readonly now: OnCallShift | undefined;
  /** The next change and who takes over (undefined: nobody) — absent when nothing changes in the look-ahead. */
  readonly next?: { readonly at: number; readonly shift: OnCallShift | undefined };
}

export class OnCallRoster {
  private readonly schedules: Map<string, OnCallSchedule>;

  constructor(
    private readonly config: HeedConfig,
    readonly overrides: readonly OnCallOverride[],
    schedules?: Map<string, OnCallSchedule>,
  ) {
    this.schedules = schedules ?? schedulesOf(config);
  }

  /** The same schedules with another list of overrides (schedules are built once per config). */
  withOverrides(overrides: readonly OnCallOverride[]): OnCallRoster {
    return new OnCallRoster(this.config, overrides, this.schedules);
  }

  schedule(id: string): OnCallSchedule | undefined {
    return this.schedules.get(id);
  }

  /** The schedule that says who is on call for the team, if it has one. */
  scheduleOfTeam(teamId: string): OnCallSchedule | undefined {
    const onCall = this.config.teams.find((t) => t.id === teamId)?.onCall;
    if (!onCall) return undefined;
    return this.schedules.get(onCall.schedule ?? fixedScheduleId(teamId));
  }

  /** Who is on call on the schedule at `at` on the platform. */
  onSchedule(scheduleId: string, platform: Platform, at: number): UserRef | undefined {
    const schedule = this.schedules.get(scheduleId);
    const shift = schedule && onCallAt(schedule, this.overrides, platform, at);
    return shift ? { platform, id: shift.user } : undefined;
  }

  /** Who is on call for the team at `at` on the platform. */
  current(teamId: string, platform: Platform, at: number): UserRef | undefined {
    const schedule = this.scheduleOfTeam(teamId);
    return schedule ? this.onSchedule(schedule.id, platform, at) : undefined;
  }

  /**
   * Who is next on call for the team after the person on call at `at`: the first other person a later
   * hand-off brings (gaps nobody covers, and the same person coming back, are skipped).
   */
  next(teamId: string, platform: Platform, at: number): { at: number; user: UserRef } | undefined {
    const schedule = this.scheduleOfTeam(teamId);
    if (!schedule) return undefined;
    const current = onCallAt(schedule, this.overrides, platform, at)?.user;
    let from = at;
    for (let hops = 0; hops < 200; hops += 1) {
      const change = nextChange(schedule, this.overrides, platform, from, { personOnly: true });
      if (!change) return undefined;
      if (change.next && change.next.user !== current)
        return { at: change.at, user: { platform, id: change.next.user } };
      from = change.at;
    }
    return undefined;
  }

  /** Now and next, for `/heed oncall`. */
  describe(scheduleId: string, platform: Platform, at: number): OnCallNow | undefined {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) return undefined;
    const now = onCallAt(schedule, this.overrides, platform, at);
    const change = nextChange(schedule, this.overrides, platform, at, { personOnly: true });
    return { schedule, platform, now, ...(change ? { next: { at: change.at, shift: change.next } } : {}) };
  }

  /** Everyone a team's schedule names on the platform (they count as the team's staff). */
  people(teamId: string, platform: Platform): string[] {
    const schedule = this.scheduleOfTeam(teamId);
    return schedule ? [...new Set(schedule.layers.flatMap((layer) => layer.people[platform]))] : [];
  }

  /** The teams whose on-call comes from the schedule. */
  teamsOf(scheduleId: string): string[] {
    return this.config.teams
      .filter((team) => team.onCall && (team.onCall.schedule ?? fixedScheduleId(team.id)) === scheduleId)
      .map((team) => team.id);
  }
}
