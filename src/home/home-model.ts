/**
 * The control centre's figures, platform-neutral and pure: what the Slack App Home and `/heed dashboard`
 * show one person, built from the open-issue summaries, the week's report rows and the open recovery
 * tasks, at `now`.
 */
import type { OpenRecovery } from '../core/issue-reads.ts';
import type { IssueSummary } from '../core/open-issues.ts';
import { type Access, isAnyStaff, isManagerOf, isStaffOf } from '../domain/access.ts';
import { isActive } from '../domain/issue.ts';
import { sameUser, type UserRef } from '../domain/refs.ts';
import type { Period, ReportRow } from '../reports/report.ts';

/** A deadline due within this long is at risk. */
export const AT_RISK_MS = 60 * 60_000;

/**
 * Where an issue stands against its running SLA deadline: past it, due within an hour, due later, or no
 * deadline running (waiting on the customer, or no policy applies).
 */
export type SlaStanding = 'breached' | 'at-risk' | 'on-time' | 'no-deadline';

/** Classifies the earliest running deadline at `now`: due at `now` or before is breached. */
export function slaStanding(dueAt: number | undefined, now: number): SlaStanding {
  if (dueAt === undefined) return 'no-deadline';
  if (dueAt <= now) return 'breached';
  return dueAt - now <= AT_RISK_MS ? 'at-risk' : 'on-time';
}

/** An open issue as the home shows it. */
export interface HomeIssue extends IssueSummary {
  readonly standing: SlaStanding;
}

/** A list cut to what the page shows, with how many there are in all. */
export interface Listed<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/** One managed team's figures: the week's report row and what is open now. */
export interface TeamFigures {
  readonly id: string;
  readonly name: string;
  readonly row: ReportRow | undefined;
  readonly open: number;
  readonly unclaimed: number;
  readonly atRisk: number;
  readonly breached: number;
}

/** How much one person owns in the managed teams. */
export interface PersonLoad {
  readonly owner: UserRef;
  readonly open: number;
  readonly atRisk: number;
  readonly breached: number;
}

export interface ManagerFigures {
  readonly teams: readonly TeamFigures[];
  /** Breached and at-risk issues of the managed teams, most overdue first. */
  readonly atRisk: Listed<HomeIssue>;
  /** Most open issues first. */
  readonly load: Listed<PersonLoad>;
  /** Newest first. */
  readonly recoveries: Listed<OpenRecovery>;
}

/** Everything one person's home shows. */
export interface HomeModel {
  /** Staff and managers see the desk; anyone else a page about Heed. */
  readonly audience: 'visitor' | 'staff' | 'manager';
  readonly person: UserRef;
  readonly now: number;
  /** The teams whose issues the home shows (staff of, or managing): a change there changes it. */
  readonly teams: readonly { readonly id: string; readonly name: string }[];
  /** The person's open issues, soonest due first. */
  readonly mine: Listed<HomeIssue>;
  /** Their teams' unclaimed issues, oldest first. */
  readonly queue: Listed<HomeIssue>;
  /** The person's own figures over `period`. */
  readonly week: ReportRow | undefined;
  readonly period: Period;
  readonly manager?: ManagerFigures | undefined;
}

/** How many items each list keeps (the Slack App Home holds 100 blocks; one per queued issue). */
export const HOME_LIMITS = { mine: 15, queue: 15, atRisk: 10, load: 15, recoveries: 10 } as const;

export interface HomeInputs {
  readonly person: UserRef;
  readonly access: Access;
  readonly teams: readonly { readonly id: string; readonly name?: string | undefined }[];
  /** Every not-yet-closed issue. */
  readonly open: readonly IssueSummary[];
  readonly now: number;
  readonly period: Period;
  /** The person's report row over `period`. */
  readonly week: ReportRow | undefined;
  /** The report rows of the period by team (managers). */
  readonly teamRows: readonly ReportRow[];
  readonly recoveries: readonly OpenRecovery[];
}

function listed<T>(items: readonly T[], limit: number): Listed<T> {
  return { items: items.slice(0, limit), total: items.length };
}

const STANDING_RANK: Record<SlaStanding, number> = {
  breached: 0,
  'at-risk': 1,
  'on-time': 2,
  'no-deadline': 3,
};

/** Soonest due first (most overdue first); issues without a running deadline last, oldest first. */
export function bySoonestDue(a: HomeIssue, b: HomeIssue): number {
  if (a.dueAt !== undefined && b.dueAt !== undefined && a.dueAt !== b.dueAt) return a.dueAt - b.dueAt;
  return STANDING_RANK[a.standing] - STANDING_RANK[b.standing] || byOldest(a, b);
}

/** Oldest first (ties by number, so the order is stable). */
export function byOldest(a: IssueSummary, b: IssueSummary): number {
  return a.openedAt - b.openedAt || a.number - b.number;
}

const userKey = (user: UserRef) => `${user.platform}:${user.id}`;

/** Builds one person's home from what the core knows (pure; one pass over the open issues). */
export function buildHomeModel(inputs: HomeInputs): HomeModel {
  const { person, access, now, period } = inputs;
  const teams = inputs.teams
    .filter((team) => isStaffOf(access, team.id))
    .map((team) => ({ id: team.id, name: team.name ?? team.id }));
  const audience = !isAnyStaff(access) ? 'visitor' : access.managerOf.size > 0 ? 'manager' : 'staff';
  const staffTeams = new Set(teams.map((team) => team.id));
  const managed = audience === 'manager' ? teams.filter((team) => isManagerOf(access, team.id)) : [];
  const tally = new Map(managed.map((team) => [team.id, { open: 0, unclaimed: 0, atRisk: 0, breached: 0 }]));
  const loads = new Map<string, { owner: UserRef; open: number; atRisk: number; breached: number }>();
  const mine: HomeIssue[] = [];
  const queue: IssueSummary[] = [];
  const late: HomeIssue[] = [];
  if (audience !== 'visitor') {
    for (const summary of inputs.open) {
      if (!isActive(summary)) continue;
      const standing = slaStanding(summary.dueAt, now);
      const owner = summary.owner;
      if (owner && sameUser(owner, person)) mine.push({ ...summary, standing });
      if (!owner && staffTeams.has(summary.team)) queue.push(summary);
      const team = tally.get(summary.team);
      if (!team) continue;
      team.open += 1;
      if (standing === 'at-risk') team.atRisk += 1;
      else if (standing === 'breached') team.breached += 1;
      if (standing === 'at-risk' || standing === 'breached') late.push({ ...summary, standing });
      if (!owner) {
        team.unclaimed += 1;
        continue;
      }
      const key = userKey(owner);
      let load = loads.get(key);
      if (!load) {
        load = { owner, open: 0, atRisk: 0, breached: 0 };
        loads.set(key, load);
      }
      load.open += 1;
      if (standing === 'at-risk') load.atRisk += 1;
      else if (standing === 'breached') load.breached += 1;
    }
  }
  mine.sort(bySoonestDue);
  queue.sort(byOldest);
  const queued = queue
    .slice(0, HOME_LIMITS.queue)
    .map((summary): HomeIssue => ({ ...summary, standing: slaStanding(summary.dueAt, now) }));
  const base = {
    audience,
    person,
    now,
    teams: audience === 'visitor' ? [] : teams,
    mine: listed(mine, HOME_LIMITS.mine),
    queue: { items: queued, total: queue.length },
    week: inputs.week,
    period,
  } as const;
  if (audience !== 'manager') return base;
  const managedIds = new Set(managed.map((team) => team.id));
  const load = [...loads.values()].sort(
    (a, b) => b.open - a.open || b.breached - a.breached || userKey(a.owner).localeCompare(userKey(b.owner)),
  );
  const recoveries = inputs.recoveries
    .filter((task) => managedIds.has(task.team))
    .sort((a, b) => b.at - a.at || b.number - a.number);
  const manager: ManagerFigures = {
    teams: managed.map(
      (team): TeamFigures => ({
        id: team.id,
        name: team.name,
        row: inputs.teamRows.find((row) => row.group === team.id),
        ...tally.get(team.id)!,
      }),
    ),
    atRisk: listed(late.sort(bySoonestDue), HOME_LIMITS.atRisk),
    load: listed(load, HOME_LIMITS.load),
    recoveries: listed(recoveries, HOME_LIMITS.recoveries),
  };
  return { ...base, manager };
}
