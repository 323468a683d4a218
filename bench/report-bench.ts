/**
 * Ownership report benchmark: a year of ledger (about 10k issues, 100k events) in an SQLite store,
 * then the 365-day report as `heed report` makes it: open the store, sum the period's ledger figures in
 * SQL, assemble the rows, format. Also times the real command line end to end, and the replay the SQL
 * is checked against (read every touched ledger, replay it in JavaScript). Prints figures; asserts
 * nothing. `BENCH_REPORT_ISSUES` changes the number of issues.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { IssueRepository } from '../src/core/issue-repository.ts';
import type { Issue } from '../src/domain/issue.ts';
import type { LedgerEvent } from '../src/domain/ledger.ts';
import type { ActorRef } from '../src/domain/refs.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { computeReport } from '../src/reports/compute-report.ts';
import { reportFromFigures } from '../src/reports/figures-report.ts';
import { formatReport } from '../src/reports/format-report.ts';
import { loadIssuesForPeriod } from '../src/reports/load-report-data.ts';
import { openDatabase } from '../src/store/database.ts';
import { seeded } from '../test/support/seeded-random.ts';
import { makeIssue } from './fixtures.ts';
import { mb, ms } from './stats.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const END = Date.parse('2026-11-23T00:00:00Z');
const START = END - 365 * DAY;
/** The year of ledger the report (and dashboard) benchmarks fill: from `YEAR_START` to `YEAR_END`. */
export const YEAR_START = START;
export const YEAR_END = END;
const STAFF = [
  'U0STAFF1',
  'U0STAFF2',
  'U0STAFF3',
  'U0STAFF4',
  'U0STAFF5',
  'U0STAFF6',
  'U0BILL01',
  'U0BILL02',
];
const ROUNDS = 3;

/** One issue's year-of-ledger life: opened, claimed, answered (late sometimes), resolved, closed, rated. */
export function buildYearIssue(number: number, openedAt: number, next: () => number): Issue {
  const base = makeIssue(number, openedAt);
  const team = next() < 0.7 ? 'support' : 'billing';
  const customer: ActorRef = { platform: 'slack', id: base.customer.id };
  const staff = (): ActorRef => ({ platform: 'slack', id: STAFF[Math.floor(next() * STAFF.length)]! });
  const events: LedgerEvent[] = [];
  let at = openedAt;
  const add = (kind: LedgerEvent['kind'], actor: ActorRef, data?: LedgerEvent['data']) =>
    events.push({
      id: `${base.id}.${events.length + 1}.0`,
      at,
      kind,
      issueId: base.id,
      issueNumber: number,
      team,
      platform: 'slack',
      actor,
      ...(data ? { data } : {}),
    });
  const heed: ActorRef = { platform: 'heed', id: 'heed' };

  add('opened', customer);
  add('routed', heed, { team, priority: 'normal' });
  let owner = staff();
  at += Math.floor(next() * 60 * MINUTE);
  add('claimed', owner);
  const answerAfter = Math.floor(next() * 6 * HOUR);
  if (answerAfter > 4 * HOUR) {
    at = openedAt + 4 * HOUR;
    add('nagged', heed, {
      clock: 'firstResponse',
      generation: 0,
      level: 0,
      repeat: 0,
      dueAt: at,
      late: false,
    });
    at += 20 * MINUTE;
    add('apologized', owner, { sinceBreachMs: 20 * MINUTE, breach: 'firstResponse:0' });
  }
  at = Math.max(at, openedAt + answerAfter) + MINUTE;
  add('responded', owner, { first: true, via: 'thread' });
  at += Math.floor(next() * 4 * HOUR);
  add('customer-replied', customer);
  if (next() < 0.1) {
    const to = staff();
    at += 30 * MINUTE;
    add('handed-off', owner, { from: owner.id, to: to.id });
    owner = to;
  }
  at += Math.floor(next() * 8 * HOUR);
  add('responded', owner, { first: false, via: 'thread' });
  at += Math.floor(next() * 2 * DAY);
  add('resolved', owner);
  if (next() < 0.05) {
    at += Math.floor(next() * DAY);
    add('customer-replied', customer);
    add('reopened', customer);
    at += Math.floor(next() * 3 * HOUR);
    add('responded', owner, { first: false, via: 'thread' });
    add('resolved', owner);
  }
  if (next() < 0.6) {
    at += 10 * MINUTE;
    add('rated', customer, { score: next() < 0.85 ? 'up' : 'down' });
  }
  const open = at + 3 * DAY >= END;
  if (!open) {
    at += 3 * DAY;
    add('closed', heed);
  }
  const last = events.at(-1)!.at;
  return {
    ...base,
    team,
    status: open ? 'resolved' : 'closed',
    owner: { platform: 'slack', id: owner.id },
    updatedAt: last,
    resolvedAt: last,
    ...(open ? {} : { closedAt: last }),
    firstResponseAt: openedAt + answerAfter,
    revision: events.length,
    history: events.filter((event) => event.at < END),
  };
}

async function populate(storeUrl: string, count: number): Promise<{ events: number; importMs: number }> {
  const next = seeded(20261123);
  const issues = Array.from({ length: count }, (_, index) =>
    buildYearIssue(index + 1, START + Math.floor(((index + next()) / count) * 360 * DAY), next),
  );
  const events = issues.reduce((sum, issue) => sum + issue.history.length, 0);
  const store = await openDatabase(storeUrl);
  const started = performance.now();
  await new IssueRepository(store, silentLogger()).bulkImport(issues);
  const importMs = performance.now() - started;
  await store.close();
  return { events, importMs };
}

/** One report as the command line makes it, timed in phases. */
async function measureReport(storeUrl: string) {
  const query = { period: { from: START, to: END }, groupBy: 'owner' as const };
  const started = performance.now();
  const store = await openDatabase(storeUrl);
  const repository = new IssueRepository(store, silentLogger());
  const opened = performance.now();
  const figures = await repository.reportFigures(query);
  const loaded = performance.now();
  const report = reportFromFigures(figures, query);
  const computed = performance.now();
  const json = formatReport(report, 'json');
  const formatted = performance.now();
  await store.close();
  return {
    issues: report.issues,
    rows: report.rows.length,
    resolved: report.total.resolved,
    bytes: json.length,
    openMs: opened - started,
    loadMs: loaded - opened,
    computeMs: computed - loaded,
    formatMs: formatted - computed,
    totalMs: formatted - started,
  };
}

/** The replay the SQL figures are checked against: every touched ledger read, parsed and replayed. */
async function measureReplay(storeUrl: string) {
  const period = { from: START, to: END };
  const store = await openDatabase(storeUrl);
  const repository = new IssueRepository(store, silentLogger());
  const started = performance.now();
  const issues = await loadIssuesForPeriod(repository, period);
  const loaded = performance.now();
  const report = computeReport(issues, period, 'owner');
  const computed = performance.now();
  const query = { period, groupBy: 'owner' as const };
  const same = isDeepStrictEqual(report, reportFromFigures(await repository.reportFigures(query), query));
  await store.close();
  return { loadMs: loaded - started, computeMs: computed - loaded, same };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Builds the year, times the 365-day report in process and through `bin/heed.js`, prints figures. */
export async function runReportBench(): Promise<void> {
  const count = Number(process.env.BENCH_REPORT_ISSUES ?? 10_000);
  console.log(`Ownership report benchmark (SQLite store, ${count} issues over a year)`);
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-report-'));
  const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
  try {
    const { events, importMs } = await populate(storeUrl, count);
    console.log(`  ${events} ledger events on ${count} issues, bulk import ${ms(importMs)}`);

    const runs: Awaited<ReturnType<typeof measureReport>>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) runs.push(await measureReport(storeUrl));
    const first = runs[0]!;
    const pick = (key: 'openMs' | 'loadMs' | 'computeMs' | 'formatMs' | 'totalMs') =>
      ms(median(runs.map((run) => run[key])));
    console.log(
      `  365-day report by owner (median of ${ROUNDS}): open ${pick('openMs')}, SQL figures ${pick('loadMs')} (${first.issues} issues), rows ${pick('computeMs')}, JSON ${pick('formatMs')} (${(first.bytes / 1024).toFixed(1)} KB, ${first.rows} rows, ${first.resolved} resolutions), total ${pick('totalMs')}, RSS ${mb(process.memoryUsage().rss)}`,
    );
    const replay = await measureReplay(storeUrl);
    console.log(
      `  the same by replay (read and parse every touched ledger, replay in JavaScript): load ${ms(replay.loadMs)}, replay ${ms(replay.computeMs)}; same figures: ${replay.same ? 'yes' : 'NO'}`,
    );

    const cliStarted = performance.now();
    const csv = execFileSync(
      process.execPath,
      [
        join(import.meta.dirname, '../bin/heed.js'),
        'report',
        '--from',
        new Date(START).toISOString().slice(0, 10),
        '--to',
        new Date(END - DAY).toISOString().slice(0, 10),
        '--by',
        'team',
        '--format',
        'csv',
      ],
      { encoding: 'utf8', env: { ...process.env, HEED_STORE_URL: storeUrl } },
    );
    const cliMs = performance.now() - cliStarted;
    console.log(
      `  heed report --from/--to (365 days) --by team --format csv, whole process: ${ms(cliMs)} (${csv.trim().split('\n').length - 1} rows)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runReportBench();
