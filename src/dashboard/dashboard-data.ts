/**
 * What each dashboard page shows, read for one viewer: the live queue from the open-issue summaries in
 * memory (the page's rows then read whole), an issue with its timeline from the ledger, the people's
 * figures from the ledger's indexed report rows, SLA attainment per day as one grouped SQL query, and
 * customers from their profiles. Every reader keeps to the viewer's teams.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { Core } from '../core/core.ts';
import type { IssueSummary } from '../core/open-issues.ts';
import { profileWithoutNotes } from '../customers/customer-rows.ts';
import type { CustomerProfile } from '../customers/profile.ts';
import { type Issue, type IssueStatus, isActive, type Priority, priorityRank } from '../domain/issue.ts';
import { listsMayNameRoles, PLATFORMS } from '../domain/refs.ts';
import { type SlaStanding, slaStanding } from '../home/home-model.ts';
import { ownerKey } from '../reports/issue-facts.ts';
import { loadReport } from '../reports/load-report-data.ts';
import type { ReportRow } from '../reports/report.ts';
import { earliestDue } from '../sla/sla-state.ts';
import { toInstant, wallClock } from '../sla/wall-clock.ts';
import { buildTranscript, type TranscriptEntry } from '../transcripts/transcript.ts';
import { sees, type Viewer } from './viewer.ts';

const DAY_MS = 86_400_000;
/** Rows per page of the queue and of the customers. */
export const PAGE_SIZE = 50;
/** The period of the people's figures. */
export const PEOPLE_PERIOD_DAYS = 30;
/** Days in the attainment chart. */
export const ATTAINMENT_DAYS = 30;

/** The queue's filters, as read (and validated) from the query string. */
export const queueFiltersSchema = z.object({
  // An empty select ("All my teams") is no filter.
  team: z
    .string()
    .max(64)
    .optional()
    .catch(undefined)
    .transform((team) => team || undefined),
  priority: z.enum(['urgent', 'high', 'normal', 'low']).optional().catch(undefined),
  owner: z.enum(['any', 'me', 'unclaimed']).default('any').catch('any'),
  standing: z.enum(['breached', 'at-risk', 'on-time', 'no-deadline']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type QueueFilters = z.output<typeof queueFiltersSchema>;

export interface QueueRow {
  readonly number: number;
  readonly subject: string;
  readonly team: string;
  readonly priority: Priority;
  readonly status: IssueStatus;
  readonly owner: string | undefined;
  readonly customer: string;
  readonly standing: SlaStanding;
  readonly dueAt: number | undefined;
  readonly openedAt: number;
}

export interface QueuePage {
  readonly rows: readonly QueueRow[];
  /** Matching the filters. */
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  /** Of every active issue the viewer sees, by standing (the headline counts). */
  readonly standings: Readonly<Record<SlaStanding, number>>;
  readonly unclaimed: number;
}

/** The team's name as configured. */
export function teamName(core: Core, team: string): string {
  return core.config.teams.find((t) => t.id === team)?.name ?? team;
}

function customerName(customer: Issue['customer']): string {
  return customer.name ?? `${customer.platform}:${customer.id}`;
}

function personName(names: ReadonlyMap<string, string>, user: { platform: string; id: string }): string {
  const key = `${user.platform}:${user.id}`;
  return names.get(key) ?? key;
}

const STANDING_RANK: Record<SlaStanding, number> = {
  breached: 0,
  'at-risk': 1,
  'on-time': 2,
  'no-deadline': 3,
};

/** Soonest due first, then by priority, then oldest. */
function byUrgency(a: IssueSummary & { standing: SlaStanding }, b: IssueSummary & { standing: SlaStanding }) {
  if (a.dueAt !== undefined && b.dueAt !== undefined && a.dueAt !== b.dueAt) return a.dueAt - b.dueAt;
  return (
    STANDING_RANK[a.standing] - STANDING_RANK[b.standing] ||
    priorityRank(a.priority) - priorityRank(b.priority) ||
    a.openedAt - b.openedAt ||
    a.number - b.number
  );
}

/** The live queue: active issues of the viewer's teams, filtered, soonest due first, one page. */
export async function loadQueue(core: Core, viewer: Viewer, filters: QueueFilters): Promise<QueuePage> {
  const now = core.clock.now();
  const standings: Record<SlaStanding, number> = {
    breached: 0,
    'at-risk': 0,
    'on-time': 0,
    'no-deadline': 0,
  };
  let unclaimed = 0;
  const matching: (IssueSummary & { standing: SlaStanding })[] = [];
  for (const summary of core.issues.listOpen()) {
    if (!isActive(summary) || !sees(viewer, summary.team)) continue;
    const standing = slaStanding(summary.dueAt, now);
    standings[standing] += 1;
    if (!summary.owner) unclaimed += 1;
    if (filters.team !== undefined && summary.team !== filters.team) continue;
    if (filters.priority !== undefined && summary.priority !== filters.priority) continue;
    if (filters.standing !== undefined && standing !== filters.standing) continue;
    if (filters.owner === 'unclaimed' && summary.owner) continue;
    if (
      filters.owner === 'me' &&
      (summary.owner?.platform !== viewer.person.platform || summary.owner.id !== viewer.person.id)
    ) {
      continue;
    }
    matching.push({ ...summary, standing });
  }
  matching.sort(byUrgency);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const [issues, names] = await Promise.all([core.issues.getMany(shown.map((s) => s.id)), core.people.all()]);
  const subjects = new Map(issues.map((issue) => [issue.id, issue.subject]));
  const rows = shown.map(
    (summary): QueueRow => ({
      number: summary.number,
      subject: subjects.get(summary.id) ?? '',
      team: summary.team,
      priority: summary.priority,
      status: summary.status,
      owner: summary.owner ? personName(names, summary.owner) : undefined,
      customer: customerName(summary.customer),
      standing: summary.standing,
      dueAt: summary.dueAt,
      openedAt: summary.openedAt,
    }),
  );
  return { rows, total: matching.length, page, pages, standings, unclaimed };
}

/** A customer's profile as the dashboard shows it. */
export interface CustomerView {
  readonly profile: CustomerProfile;
  /** Their issues the viewer may see, newest first. */
  readonly issues: readonly {
    readonly number: number;
    readonly subject: string;
    readonly status: IssueStatus;
    readonly team: string;
    readonly platform: string;
    readonly openedAt: number;
  }[];
  /** Issues not listed: on teams the viewer does not see, or older than the newest listed. */
  readonly hidden: number;
}

export interface IssueView {
  readonly issue: Issue;
  readonly owner: string | undefined;
  readonly standing: SlaStanding;
  readonly timeline: readonly TranscriptEntry[];
  readonly customer: CustomerView | undefined;
}

/** How many of a customer's issues their profile page lists (newest first); the rest are counted. */
export const CUSTOMER_ISSUES_SHOWN = 50;

async function customerView(core: Core, viewer: Viewer, profile: CustomerProfile): Promise<CustomerView> {
  // The profile lists issues oldest first; only the newest are read whole.
  const newest = profile.issues.slice(-CUSTOMER_ISSUES_SHOWN);
  const issues = await core.issues.getMany(newest.map((i) => i.id));
  const visible = issues
    .filter((issue) => sees(viewer, issue.team))
    .sort((a, b) => b.openedAt - a.openedAt || b.number - a.number);
  return {
    profile,
    issues: visible.map((issue) => ({
      number: issue.number,
      subject: issue.subject,
      status: issue.status,
      team: issue.team,
      platform: issue.customer.platform,
      openedAt: issue.openedAt,
    })),
    hidden: profile.issues.length - visible.length + profile.olderIssues,
  };
}

/** An issue with its timeline and its customer, when the viewer sees its team. */
export async function loadIssue(core: Core, viewer: Viewer, number: number): Promise<IssueView | undefined> {
  const issue = await core.issues.getByNumber(number);
  if (!issue || !sees(viewer, issue.team)) return undefined;
  const names = await core.people.all();
  const profile = await core.customers.find({ platform: issue.customer.platform, id: issue.customer.id });
  return {
    issue,
    owner: issue.owner ? personName(names, issue.owner) : undefined,
    standing: isActive(issue) ? slaStanding(earliestDue(issue.sla), core.clock.now()) : 'no-deadline',
    timeline: buildTranscript(issue, core.config, names).entries,
    customer: profile ? await customerView(core, viewer, profile) : undefined,
  };
}

export interface PersonRow {
  readonly key: string;
  readonly name: string;
  /** Named in the config but never seen by Heed (no command, claim or message yet): no name known. */
  readonly unseen: boolean;
  readonly open: number;
  readonly atRisk: number;
  readonly breachedNow: number;
  readonly report: ReportRow | undefined;
}

/** Each person's load now and their figures over the last {@link PEOPLE_PERIOD_DAYS} days. */
export async function loadPeople(core: Core, viewer: Viewer): Promise<readonly PersonRow[]> {
  const now = core.clock.now();
  const period = { from: now - PEOPLE_PERIOD_DAYS * DAY_MS, to: now + 1 };
  const [report, names] = await Promise.all([loadReport(core.issues, period, 'owner'), core.people.all()]);
  // The people of the viewer's teams: configured staff and managers, and whoever owns their issues.
  // Entries of lists that name people only (Slack's) are listed from the start: someone with nothing yet
  // is capacity to see. An entry that may be a role (Discord's) is listed once Heed has seen someone
  // with that id.
  const keys = new Set<string>();
  for (const team of core.config.teams) {
    if (!sees(viewer, team.id)) continue;
    for (const list of [team.staff, team.managers]) {
      for (const platform of PLATFORMS) {
        for (const id of list[platform]) {
          const key = `${platform}:${id}`;
          if (!listsMayNameRoles(platform) || names.has(key)) keys.add(key);
        }
      }
    }
  }
  const load = new Map<string, { open: number; atRisk: number; breached: number }>();
  for (const summary of core.issues.listOpen()) {
    if (!summary.owner || !isActive(summary) || !sees(viewer, summary.team)) continue;
    const key = ownerKey(summary.owner);
    keys.add(key);
    const entry = load.get(key) ?? { open: 0, atRisk: 0, breached: 0 };
    entry.open += 1;
    const standing = slaStanding(summary.dueAt, now);
    if (standing === 'at-risk') entry.atRisk += 1;
    if (standing === 'breached') entry.breached += 1;
    load.set(key, entry);
  }
  if (viewer.manager) for (const row of report.rows) if (row.group.includes(':')) keys.add(row.group);
  const rows = [...keys].map((key): PersonRow => {
    const [platform = '', ...rest] = key.split(':');
    const entry = load.get(key);
    return {
      key,
      name: personName(names, { platform, id: rest.join(':') }),
      unseen: !names.has(key),
      open: entry?.open ?? 0,
      atRisk: entry?.atRisk ?? 0,
      breachedNow: entry?.breached ?? 0,
      report: report.rows.find((row) => row.group === key),
    };
  });
  return rows.sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
}

/** One team's deadlines settled on one local day. */
export interface AttainmentDay {
  /** Local midnight, as an instant. */
  readonly day: number;
  readonly met: number;
  readonly breached: number;
  /** `met / (met + breached)` in percent, rounded to 0.1; null when nothing settled. */
  readonly pct: number | null;
}

export interface AttainmentSeries {
  readonly team: string;
  readonly name: string;
  readonly days: readonly AttainmentDay[];
}

/** The zone days are counted in: the first SLA calendar's, else UTC. */
export function dashboardTimezone(core: Core): string {
  return core.config.sla.calendars[0]?.timezone ?? 'UTC';
}

const bucketRowSchema = z.object({
  team: z.string(),
  bucket: z.coerce.number().int(),
  met: z.coerce.number().int().nonnegative(),
  breached: z.coerce.number().int().nonnegative(),
});

/** A quarter of an hour: every time zone's midnight falls on one. */
const BUCKET_MS = 15 * 60_000;

/**
 * SLA attainment per team and local day over the last `days` days (today included): the deadlines the
 * ledger settled, summed in SQL per quarter hour over its time index, then put into local days.
 */
export async function loadAttainment(
  core: Core,
  viewer: Viewer,
  days = ATTAINMENT_DAYS,
): Promise<readonly AttainmentSeries[]> {
  const zone = dashboardTimezone(core);
  const now = core.clock.now();
  const today = Math.floor(wallClock(zone, now) / DAY_MS);
  const starts = Array.from({ length: days + 1 }, (_, i) => toInstant(zone, (today - days + 1 + i) * DAY_MS));
  const from = starts[0]!;
  const teams = viewer.teams.map((team) => team.id);
  if (teams.length === 0) return [];
  // Literals, not parameters: SQLite binds a JS number as a real, and the division must be an integer's.
  const bucket = sql`(ledger.at - ${sql.lit(from)}) / ${sql.lit(BUCKET_MS)}`;
  const { rows } = await sql<Record<string, unknown>>`
    select ledger.team as team, ${bucket} as bucket,
      sum(ledger.deadlines_met) as met, sum(ledger.deadlines_breached) as breached
    from ledger
    where ledger.at >= ${from} and ledger.at < ${now + 1} and ledger.credit is not null
      and ledger.team in (${sql.join(teams)})
    group by ledger.team, ${bucket}`.execute(core.customers.database.db);
  const sums = new Map<string, { met: number; breached: number }[]>(
    teams.map((team) => [team, starts.slice(0, -1).map(() => ({ met: 0, breached: 0 }))]),
  );
  for (const raw of rows) {
    const row = bucketRowSchema.parse(raw);
    const at = from + row.bucket * BUCKET_MS;
    let index = starts.findIndex((start) => start > at) - 1;
    if (index < 0) index = days - 1;
    const day = sums.get(row.team)?.[index];
    if (!day) continue;
    day.met += row.met;
    day.breached += row.breached;
  }
  return viewer.teams.map((team) => ({
    team: team.id,
    name: team.name,
    days: (sums.get(team.id) ?? []).map((sum, i) => ({
      day: starts[i]!,
      met: sum.met,
      breached: sum.breached,
      pct: sum.met + sum.breached === 0 ? null : Math.round((sum.met / (sum.met + sum.breached)) * 1000) / 10,
    })),
  }));
}

export const customersQuerySchema = z.object({
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

export interface CustomerRow {
  readonly id: string;
  readonly name: string;
  readonly organisation: string | undefined;
  readonly tier: string | undefined;
  readonly value: number | undefined;
  readonly platforms: readonly string[];
  readonly issues: number;
  readonly lastContactAt: number | undefined;
}

/**
 * Customers, most recently in touch first, optionally by a name or organisation search. Profiles are
 * one view of a person across teams and platforms, so every staff member sees the directory; the
 * issues listed on a profile are only those of the viewer's teams.
 */
export async function loadCustomers(
  core: Core,
  query: z.output<typeof customersQuerySchema>,
): Promise<{ rows: readonly CustomerRow[]; page: number; more: boolean }> {
  const db = core.customers.database.db;
  let select = db
    .selectFrom('customers')
    .select(['id', 'body'])
    .orderBy('last_contact_at', 'desc')
    .orderBy('id');
  const q = query.q?.trim().toLowerCase();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    select = select.where((eb) =>
      eb.or([
        sql<boolean>`lower(coalesce(name, '')) like ${like} escape '\\'`,
        sql<boolean>`lower(coalesce(organisation, '')) like ${like} escape '\\'`,
      ]),
    );
  }
  const offset = (query.page - 1) * PAGE_SIZE;
  const found = await select
    .limit(PAGE_SIZE + 1)
    .offset(offset)
    .execute();
  const rows = found.slice(0, PAGE_SIZE).flatMap((row): CustomerRow[] => {
    const profile = profileWithoutNotes(row.body);
    if (!profile) return [];
    return [
      {
        id: profile.id,
        name: profile.name ?? profile.identities[0]?.name ?? profile.id,
        organisation: profile.organisation,
        tier: profile.tier,
        value: profile.value,
        platforms: [...new Set(profile.identities.map((identity) => identity.platform))],
        issues: profile.issues.length + profile.olderIssues,
        lastContactAt: profile.lastContactAt,
      },
    ];
  });
  return { rows, page: query.page, more: found.length > PAGE_SIZE };
}

/** One customer, with the issues of the viewer's teams. */
export async function loadCustomer(
  core: Core,
  viewer: Viewer,
  id: string,
): Promise<CustomerView | undefined> {
  const profile = await core.customers.repository.get(id);
  return profile ? customerView(core, viewer, profile) : undefined;
}
