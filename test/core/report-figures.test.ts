import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IssueRepository } from '../../src/core/issue-repository.ts';
import { issueRow } from '../../src/core/issue-rows.ts';
import type { Issue } from '../../src/domain/issue.ts';
import type { LedgerDraft, LedgerEvent } from '../../src/domain/ledger.ts';
import { type ActorRef, HEED_ACTOR } from '../../src/domain/refs.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { computeReport } from '../../src/reports/compute-report.ts';
import { ledgerFigures } from '../../src/reports/ledger-figures.ts';
import { loadIssuesForPeriod, loadReport, loadReportRow } from '../../src/reports/load-report-data.ts';
import type { Period, Report, ReportIssue } from '../../src/reports/report.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { migrateToLatest } from '../../src/store/schema-version.ts';
import { DAY, HOUR, MINUTE } from '../reports/fixtures.ts';
import {
  NEXT_RESPONSE_CLOCK,
  randomGap,
  randomSteps,
  seeded,
  TEAMS,
  variedIssues,
} from '../reports/varied-ledgers.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';

const T = Date.parse('2026-11-02T00:00:00Z');
const ALICE: ActorRef = { platform: 'slack', id: 'U0ALICE' };
const BOB: ActorRef = { platform: 'slack', id: 'U0BOB' };

const backends = [
  {
    name: 'SQLite',
    store: async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'heed-figures-'));
      return {
        url: `sqlite://${path.join(dir, 'heed.sqlite')}`,
        drop: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    store: async () => {
      const schema = testSchema('figures');
      return { url: postgresStoreUrl(schema), drop: () => dropPostgresSchema(schema) };
    },
  },
];

/** Every event time of the issues, sorted: period bounds that fall exactly on events. */
/** A ledger row as a Heed from before report figures wrote it (`json` replaces the event's, to damage it). */
function rowWithoutFigures(event: LedgerEvent, json?: string) {
  return {
    id: event.id,
    issue_id: event.issueId,
    at: event.at,
    kind: event.kind,
    team: event.team,
    actor: `${event.actor.platform}:${event.actor.id}`,
    event: json ?? JSON.stringify(event),
  };
}

function eventTimes(issues: readonly Pick<Issue, 'history'>[]): number[] {
  return [...new Set(issues.flatMap((issue) => issue.history.map((event) => event.at)))].sort(
    (a, b) => a - b,
  );
}

/** The whole span, windows whose bounds fall on events (or just after), an empty one and a quiet one. */
function periodsOver(times: readonly number[], seed: number): Period[] {
  const next = seeded(seed);
  const at = () => times[Math.floor(next() * times.length)]!;
  const periods: Period[] = [{ from: times[0]!, to: times.at(-1)! + 1 }];
  for (let index = 0; index < 6; index += 1) {
    const [a, b] = [at(), at() + (index % 2)].sort((x, y) => x - y) as [number, number];
    periods.push({ from: a, to: b === a ? a + DAY : b });
  }
  periods.push({ from: times[5]!, to: times[5]! });
  periods.push({ from: times.at(-1)! + DAY, to: times.at(-1)! + 2 * DAY });
  return periods;
}

/** How many figures of each kind the replay found: the fixture must exercise every one. */
function coverage(reports: readonly Report[]) {
  const sum = (figure: (report: Report) => number) =>
    reports.reduce((total, report) => total + figure(report), 0);
  return {
    claimed: sum((r) => r.total.claimed),
    firstResponses: sum((r) => r.total.firstResponse.count),
    resolutions: sum((r) => r.total.resolution.count),
    met: sum((r) => r.total.sla.met),
    breached: sum((r) => r.total.sla.breached),
    breaches: sum((r) => r.total.breaches),
    apologyDelays: sum((r) => (r.total.apologies.medianDelayMs === null ? 0 : 1)),
    handOffs: sum((r) => r.total.handOffs),
    reopens: sum((r) => r.total.reopens),
    oneTouch: sum((r) => r.total.oneTouch),
    rated: sum((r) => r.total.csat.rated),
    unassigned: sum((r) => (r.rows.some((row) => row.group === 'unassigned') ? 1 : 0)),
  };
}

/**
 * The SQL sums against the replay (`computeReport` over the ledgers read back), for every period: the
 * whole report by owner and by team, each group's row alone, and each team's issues alone (the digest).
 * `replayOf` gives the replayed issues; by default the store's own ledgers.
 */
async function expectSameAsReplay(
  issues: IssueRepository,
  periods: readonly Period[],
  replayOf: (period: Period) => Promise<readonly ReportIssue[]> = (period) =>
    loadIssuesForPeriod(issues, period),
): Promise<Report[]> {
  const replays: Report[] = [];
  for (const period of periods) {
    const replayed = await replayOf(period);
    for (const groupBy of ['owner', 'team'] as const) {
      const expected = computeReport(replayed, period, groupBy);
      replays.push(expected);
      expect(await loadReport(issues, period, groupBy)).toEqual(expected);
      for (const row of expected.rows) {
        expect(await loadReportRow(issues, period, groupBy, row.group)).toEqual(row);
      }
      expect(await loadReportRow(issues, period, groupBy, 'slack:U0NOBODY')).toBeUndefined();
    }
    for (const team of TEAMS) {
      expect(await loadReport(issues, period, 'owner', { issueTeam: team })).toEqual(
        computeReport(
          replayed.filter((issue) => issue.team === team),
          period,
          'owner',
        ),
      );
    }
  }
  return replays;
}

describe.each(backends)('report figures in SQL on $name', ({ store }) => {
  let url: string;
  let drop: () => Promise<void>;
  let database: HeedDatabase;

  beforeEach(async () => {
    ({ url, drop } = await store());
  });
  afterEach(async () => {
    await database.close();
    await drop();
  });

  it('sums exactly the figures the replay derives, over a varied fortnight of ledgers', async () => {
    database = await openDatabase(url);
    const issues = new IssueRepository(database, silentLogger());
    const built = variedIssues(20261102, 160, T);
    await issues.bulkImport(built);
    const replays = await expectSameAsReplay(issues, periodsOver(eventTimes(built), 7));
    const covered = coverage(replays);
    for (const [figure, count] of Object.entries(covered)) {
      expect({ figure, some: count > 0 }).toEqual({ figure, some: true });
    }
  });

  it('keeps every row’s figures right as events arrive one by one, out of time order, while teams and policies change', async () => {
    database = await openDatabase(url);
    const issues = new IssueRepository(database, silentLogger());
    const next = seeded(42);
    const ids: string[] = [];
    const open = async (
      number: number,
      customer: ActorRef & { platform: 'slack' | 'discord' },
      openedAt: number,
    ) => {
      const template = variedIssues(number, 1, openedAt)[0]!;
      const { issue } = await issues.create((n) => ({
        issue: {
          ...template,
          id: `arriving-${number}`,
          number: n,
          customer,
          conversation: { platform: customer.platform, channel: 'C0CUST01', thread: `a-${number}` },
          openedAt,
          updatedAt: openedAt,
          revision: 0,
          sla: { ...template.sla, clocks: {} },
          history: [],
        },
        events: [{ kind: 'opened', actor: customer }],
      }));
      ids.push(issue.id);
      return issue.id;
    };
    /** Appends `step` (or nothing) stamped `at`, moving the issue to `team` or starting its next-response clock. */
    const append = (
      id: string,
      at: number,
      step: LedgerDraft | undefined,
      change: { team?: string; clock?: true } = {},
    ) =>
      issues.update(id, (current) => ({
        ok: true,
        issue: {
          ...current,
          updatedAt: at,
          ...(change.team ? { team: change.team } : {}),
          ...(change.clock
            ? { sla: { ...current.sla, clocks: { nextResponse: { ...NEXT_RESPONSE_CLOCK, startedAt: at } } } }
            : {}),
        },
        events: step ? [step] : [],
      }));
    const customerOf = (number: number) => ({
      platform: number % 4 === 0 ? ('discord' as const) : ('slack' as const),
      id: `U0C${number}`,
    });

    // A policy that starts a next-response clock late: the earlier customer reply now opened a
    // next-response deadline, which the second answer met.
    const lateClock = await open(100, customerOf(100), T);
    await append(lateClock, T + 10 * MINUTE, { kind: 'claimed', actor: ALICE });
    await append(lateClock, T + 20 * MINUTE, { kind: 'responded', actor: ALICE, data: { first: true } });
    await append(lateClock, T + HOUR, { kind: 'customer-replied', actor: customerOf(100) });
    await append(lateClock, T + 2 * HOUR, { kind: 'responded', actor: ALICE, data: { first: false } });
    const before = await loadReportRow(issues, { from: T, to: T + DAY }, 'owner', 'slack:U0ALICE');
    await append(lateClock, T + 3 * HOUR, undefined, { clock: true });
    const after = await loadReportRow(issues, { from: T, to: T + DAY }, 'owner', 'slack:U0ALICE');
    expect([before?.sla.met, after?.sla.met]).toEqual([1, 2]);

    // A claim stamped before a nag that was stored first: the breach is now the claimer's.
    const lateClaim = await open(101, customerOf(101), T);
    await append(lateClaim, T + 4 * HOUR, {
      kind: 'nagged',
      actor: HEED_ACTOR,
      data: { clock: 'firstResponse', repeat: 0 },
    });
    await append(lateClaim, T + HOUR, { kind: 'claimed', actor: BOB });
    const bob = await loadReportRow(issues, { from: T, to: T + DAY }, 'owner', 'slack:U0BOB');
    expect(bob).toMatchObject({ claimed: 1, breaches: 1, sla: { breached: 1 } });

    // And many more at random, with the clock often going back.
    for (let number = 1; number <= 30; number += 1) {
      const customer = customerOf(number);
      const openedAt = T + Math.floor(next() * 3 * DAY);
      const id = await open(number, customer, openedAt);
      let at = openedAt;
      const steps = randomSteps(next, customer, 4 + Math.floor(next() * 10));
      for (const [index, step] of steps.entries()) {
        at += next() < 0.25 ? -Math.floor(next() * 8 * HOUR) : randomGap(next);
        const roll = next();
        await append(id, at, roll > 0.97 ? undefined : step, {
          ...(roll < 0.05 ? { team: TEAMS[Math.floor(next() * TEAMS.length)]! } : {}),
          ...(roll > 0.9 && index > 2 ? { clock: true as const } : {}),
        });
      }
    }
    // Every stored row holds the figures its issue's whole ledger gives it now.
    for (const id of ids) {
      const issue = (await issues.get(id))!;
      const rows = await database.db
        .selectFrom('ledger')
        .select(['credit', 'duration_ms', 'deadlines_met', 'deadlines_breached', 'flag'])
        .where('issue_id', '=', id)
        .orderBy('seq')
        .execute();
      expect(rows).toEqual(
        ledgerFigures(issue).map((figures) => ({
          credit: figures.credit,
          duration_ms: figures.durationMs,
          deadlines_met: figures.deadlinesMet,
          deadlines_breached: figures.deadlinesBreached,
          flag: figures.flag,
        })),
      );
    }
    const stored = await issues.getMany(ids);
    await expectSameAsReplay(issues, periodsOver(eventTimes(stored), 11));
  });

  it('gives a store written before report figures (schema 0001) its figures when it migrates', async () => {
    database = await openDatabase(url, { migrations: 'none' });
    await migrateToLatest(database, { '0001-tables': MIGRATIONS['0001-tables']! });
    const built = variedIssues(7, 90, T);
    const damaged = built[3]!;
    // Rows exactly as Heed wrote them then: no figure columns.
    await database.change(async (trx) => {
      // Without the columns later migrations added (0009: due_at).
      await trx
        .insertInto('issues')
        .values(
          built.map((issue) => {
            const { due_at: _due, ...row } = issueRow(issue);
            return row;
          }),
        )
        .execute();
      const ledger = built.flatMap((issue) =>
        issue.history.map((event) =>
          rowWithoutFigures(event, event.id === damaged.history[1]!.id ? '{"id":' : undefined),
        ),
      );
      for (let start = 0; start < ledger.length; start += 400) {
        await trx
          .insertInto('ledger')
          .values(ledger.slice(start, start + 400))
          .execute();
      }
    });
    expect(await migrateToLatest(database)).toContain('0004-report-facts');
    const issues = new IssueRepository(database, silentLogger());
    // The damaged issue keeps no figures and stops nothing (it is still read: its rows are in the
    // period); the others report as their replay.
    const replays = await expectSameAsReplay(issues, periodsOver(eventTimes(built), 3), async (period) =>
      built
        .filter((issue) => issue.history.some((event) => event.at >= period.from && event.at < period.to))
        .map((issue) => (issue === damaged ? { ...issue, history: [] } : issue)),
    );
    expect(replays[0]!.total.resolved).toBeGreaterThan(0);
    const damagedRows = await database.db
      .selectFrom('ledger')
      .select(['credit', 'flag'])
      .where('issue_id', '=', damaged.id)
      .execute();
    expect(damagedRows).toEqual(damaged.history.map(() => ({ credit: null, flag: null })));
  });

  it('gives rows written without figures (by an older Heed, during a rolling upgrade) theirs, before a report and on the next change', async () => {
    database = await openDatabase(url);
    const issues = new IssueRepository(database, silentLogger());
    const built = variedIssues(5, 40, T);
    await issues.bulkImport(built);
    // An older instance appends events as it always did: the event, no figures.
    const next = seeded(5);
    const appended = built.slice(0, 20).map((issue) => {
      const customer = issue.customer;
      const steps = randomSteps(next, { platform: customer.platform, id: customer.id }, 3);
      let at = Math.max(...issue.history.map((event) => event.at));
      const events: LedgerEvent[] = steps.map((step, index) => {
        at += randomGap(next);
        return {
          id: `${issue.id}.old.${index}`,
          at,
          issueId: issue.id,
          issueNumber: issue.number,
          team: issue.team,
          platform: customer.platform,
          ...step,
        };
      });
      return { ...issue, history: [...issue.history, ...events] };
    });
    await database.change(async (trx) => {
      for (const issue of appended) {
        await trx
          .insertInto('ledger')
          .values(
            issue.history
              .filter((event) => event.id.includes('.old.'))
              .map((event) => rowWithoutFigures(event)),
          )
          .execute();
      }
    });
    const unfigured = () => database.db.selectFrom('ledger').select('id').where('flag', 'is', null).execute();
    expect((await unfigured()).length).toBe(60);

    // The next change of an issue derives its rows again.
    const first = appended[0]!;
    await issues.update(first.id, (current) => ({
      ok: true,
      issue: { ...current, updatedAt: current.updatedAt + HOUR },
      events: [{ kind: 'noted', actor: ALICE }],
    }));
    expect((await unfigured()).length).toBe(57);

    // A report derives the rest before it sums.
    await expectSameAsReplay(issues, periodsOver(eventTimes(appended), 13));
    expect(await unfigured()).toEqual([]);
  });

  it('refuses damaged figures, naming the issue or the group, instead of reporting them', async () => {
    database = await openDatabase(url);
    const issues = new IssueRepository(database, silentLogger());
    const built = variedIssues(99, 12, T);
    await issues.bulkImport(built);
    const period = { from: T - DAY, to: T + 30 * DAY };
    const claim = await database.db
      .selectFrom('ledger')
      .select(['id', 'issue_id', 'credit'])
      .where('kind', '=', 'claimed')
      .orderBy('seq')
      .executeTakeFirstOrThrow();

    // A duration on a claim: no claim has one.
    await database.change((trx) =>
      trx
        .updateTable('ledger')
        .set({ duration_ms: 5 * HOUR })
        .where('id', '=', claim.id)
        .execute(),
    );
    await expect(loadReport(issues, period, 'owner')).rejects.toMatchObject({
      code: 'STORE_RECORD_INVALID',
      message: expect.stringContaining(claim.issue_id),
    });

    // Deadlines cannot be settled a negative number of times.
    await database.change((trx) =>
      trx
        .updateTable('ledger')
        .set({ duration_ms: null, deadlines_met: -4 })
        .where('id', '=', claim.id)
        .execute(),
    );
    await expect(loadReportRow(issues, period, 'owner', claim.credit!)).rejects.toMatchObject({
      code: 'STORE_RECORD_INVALID',
      message: expect.stringContaining(`the claimed rows of ${claim.credit}`),
    });
  });
});
