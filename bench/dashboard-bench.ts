/**
 * Web dashboard benchmark (issue 17): a SQLite store holding N open issues (default 10,000: half
 * unclaimed, the rest spread over six staff, two teams, deadlines from breached to days away), a year
 * of ledger (the report benchmark's ~10k closed issues, ~100k events) and 2,000 customer profiles. Each
 * page is then requested over HTTP from the real dashboard handler, signed in as a manager of both teams
 * and as a staff member, and timed by its own `Server-Timing` header (the server's time) and by the
 * round trip. Target: ≤ 100 ms of server time per page. Prints figures; asserts nothing.
 * `BENCH_DASHBOARD_ISSUES` changes N.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Heed } from '../src/boot/heed.ts';
import { createDashboard, dashboardHandler, SESSION_COOKIE } from '../src/dashboard/dashboard-app.ts';
import { silentLogger } from '../src/logging/logger.ts';
import type { PersonFacts } from '../src/ports/inbound-port.ts';
import { openDatabase } from '../src/store/database.ts';
import { FakeClock } from '../test/doubles/fake-clock.ts';
import { seeded } from '../test/support/seeded-random.ts';
import { benchConfig } from './fixtures.ts';
import { HOME_BENCH_NOW, openIssue } from './home-bench.ts';
import { nullChatPort } from './null-chat-port.ts';
import { buildYearIssue, YEAR_END, YEAR_START } from './report-bench.ts';
import { mb, ms, percentile } from './stats.ts';

const ROUNDS = 30;
const WARM_UP = 3;
const TARGET_MS = 100;
const CUSTOMERS = 2_000;

interface Timed {
  readonly server: number[];
  readonly total: number[];
  bytes: number;
  status: number;
}

async function timePage(origin: string, path: string, cookie: string): Promise<Timed> {
  const timed: Timed = { server: [], total: [], bytes: 0, status: 0 };
  for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
    const started = performance.now();
    const response = await fetch(`${origin}${path}`, { headers: { cookie } });
    const body = await response.text();
    const total = performance.now() - started;
    timed.status = response.status;
    timed.bytes = body.length;
    if (round < WARM_UP) continue;
    const dur = /dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
    timed.server.push(Number(dur));
    timed.total.push(total);
  }
  return timed;
}

/** Fills a store, serves the dashboard, times every page for a manager and a staff member. */
export async function runDashboardBench(): Promise<void> {
  const count = Number(process.env.BENCH_DASHBOARD_ISSUES ?? 10_000);
  console.log(`Web dashboard benchmark (SQLite store, ${count} open issues, a year of ledger)`);
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-dashboard-'));
  const file = join(dir, 'heed.sqlite');
  const store = await openDatabase(`sqlite://${file}`);
  const server = createServer();
  try {
    const clock = new FakeClock(HOME_BENCH_NOW);
    const heed = new Heed({
      config: benchConfig(),
      database: store,
      chat: nullChatPort(),
      clock,
      logger: silentLogger(),
    });
    await heed.start();
    const filled = performance.now();
    const next = seeded(20261123);
    // The year's closed issues take the numbers after the open ones.
    const year = Array.from({ length: 10_000 }, (_, index) =>
      buildYearIssue(
        count + index + 1,
        YEAR_START + Math.floor(((index + next()) / 10_000) * 360 * 86_400_000),
        next,
      ),
    );
    await heed.issues.bulkImport(year);
    await heed.issues.bulkImport(Array.from({ length: count }, (_, i) => openIssue(i + 1, count)));
    for (let i = 0; i < CUSTOMERS; i += 1) {
      await heed.customers.repository.recordContact({
        user: { platform: 'slack', id: `U0C${i + 1}` },
        at: YEAR_END - i * 60_000,
        name: `Customer ${i + 1}`,
        organisation: `Org ${i % 97}`,
      });
    }
    const events = year.reduce((sum, issue) => sum + issue.history.length, 0);
    console.log(
      `  filled in ${ms(performance.now() - filled)}: ${count} open issues, ${year.length} issues of the year with ${events} ledger events, ${CUSTOMERS} customers; store ${mb(statSync(file).size)}`,
    );

    const dashboard = createDashboard({
      core: heed,
      signIn: heed.dashboard,
      changes: heed.changes,
      logger: silentLogger(),
    });
    server.on('request', dashboardHandler(dashboard));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    heed.dashboard.serveAt({ baseUrl: origin, localOnly: true });
    const session = async (person: PersonFacts) => {
      const link = await heed.dashboard.linkFor(person);
      const redeemed = await heed.dashboard.redeem(new URL(link!.url).searchParams.get('token')!);
      if (!redeemed.ok) throw new Error(`could not sign ${person.id} in`);
      return `${SESSION_COOKIE}=${redeemed.session}`;
    };
    const profile = await heed.customers.find({ platform: 'slack', id: 'U0C1' });
    const longest = year.reduce((a, b) => (b.history.length > a.history.length ? b : a));
    const pages = [
      '/dashboard/',
      '/dashboard/?owner=unclaimed&page=3',
      '/dashboard/?team=billing&standing=breached',
      `/dashboard/issues/${longest.number}`,
      '/dashboard/issues/1',
      '/dashboard/people',
      '/dashboard/sla',
      '/dashboard/customers',
      '/dashboard/customers?q=customer%2019',
      `/dashboard/customers/${encodeURIComponent(profile!.id)}`,
    ];
    const viewers: [string, PersonFacts][] = [
      ['manager of both teams', { platform: 'slack', id: 'U0MGR001', name: 'morgan' }],
      ['staff member', { platform: 'slack', id: 'U0STAFF1', name: 'alex' }],
    ];
    let missed = 0;
    for (const [who, person] of viewers) {
      const cookie = await session(person);
      console.log(
        `  ${who}: server time median / p90, round trip median, size (target ≤ ${TARGET_MS} ms server time)`,
      );
      for (const path of pages) {
        const t = await timePage(origin, path, cookie);
        const p90 = percentile(t.server, 90);
        const met = p90 <= TARGET_MS;
        if (!met) missed += 1;
        console.log(
          `    ${path.padEnd(44)} ${t.status} ${ms(percentile(t.server, 50)).padStart(9)} / ${ms(p90).padStart(9)}  ${ms(percentile(t.total, 50)).padStart(9)}  ${(t.bytes / 1024).toFixed(1).padStart(6)} KiB  ${met ? 'met' : 'MISSED'}`,
        );
      }
    }
    console.log(
      `  ${missed === 0 ? 'every page met the target' : `${missed} page(s) MISSED the target`}; RSS ${mb(process.memoryUsage().rss)}`,
    );
    await dashboard.close();
  } finally {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runDashboardBench();
