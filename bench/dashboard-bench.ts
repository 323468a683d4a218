/**
 * Web dashboard benchmark (issue 17): a SQLite store holding N open issues (default 10,000: half
 * unclaimed, the rest spread over six staff, two teams, deadlines from breached to days away), a year
 * of ledger (the report benchmark's ~10k closed issues, ~100k events) and 2,000 customer profiles that
 * hold those issues as intake records them (one customer, a large account, opened one issue in 25,
 * more than a profile lists). Each page is then requested over HTTP from the real dashboard handler,
 * signed in as a manager of both teams and as a staff member, and timed by its own `Server-Timing`
 * header (the server's time) and by the round trip. Target: ≤ 100 ms of server time per page. Prints
 * figures; asserts nothing. `BENCH_DASHBOARD_ISSUES` changes N.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Heed } from '../src/boot/heed.ts';
import { profileIssueOf } from '../src/customers/profile.ts';
import { createDashboard, dashboardHandler, SESSION_COOKIE } from '../src/dashboard/dashboard-app.ts';
import type { Issue } from '../src/domain/issue.ts';
import { silentLogger } from '../src/logging/logger.ts';
import type { PersonFacts } from '../src/ports/inbound-port.ts';
import { openDatabase } from '../src/store/database.ts';
import { FakeClock } from '../test/doubles/fake-clock.ts';
import { seeded } from '../test/support/seeded-random.ts';
import { benchConfig } from './fixtures.ts';
import { HOME_BENCH_NOW, openIssue } from './home-bench.ts';
import { nullChatPort } from './null-chat-port.ts';
import { buildYearIssue, YEAR_START } from './report-bench.ts';
import { mb, ms, percentile } from './stats.ts';

const ROUNDS = 30;
const WARM_UP = 3;
const TARGET_MS = 100;
const CUSTOMERS = 2_000;
/** Customer 1, a large account, opens every 25th issue (800: a profile lists 500); the others share the rest. */
const LARGE_ACCOUNT_EVERY = 25;
/** Contacts recorded at once while filling (each a write of one profile). */
const CONTACTS_AT_ONCE = 100;

/** The customer who opened issue `number`: 1 (the large account) or one of the other 1,999. */
function customerOf(number: number): number {
  return number % LARGE_ACCOUNT_EVERY === 0 ? 1 : 2 + (number % (CUSTOMERS - 1));
}

/** The issue as opened by customer `k`: its customer, and the customer's events in its ledger. */
function openedBy(issue: Issue, k: number): Issue {
  const customer = { platform: 'slack' as const, id: `U0C${k}`, name: `Customer ${k}` };
  const before = issue.customer.id;
  return {
    ...issue,
    customer,
    history: issue.history.map((event) =>
      event.actor.platform === 'slack' && event.actor.id === before
        ? { ...event, actor: { platform: 'slack', id: customer.id } }
        : event,
    ),
  };
}

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
    const year = Array.from({ length: 10_000 }, (_, index) => {
      const number = count + index + 1;
      const issue = buildYearIssue(
        number,
        YEAR_START + Math.floor(((index + next()) / 10_000) * 360 * 86_400_000),
        next,
      );
      return openedBy(issue, customerOf(number));
    });
    const open = Array.from({ length: count }, (_, i) =>
      openedBy(openIssue(i + 1, count), customerOf(i + 1)),
    );
    await heed.issues.bulkImport(year);
    await heed.issues.bulkImport(open);
    // Each issue recorded on its customer's profile as intake does, oldest first.
    const opened = [...year, ...open].sort((a, b) => a.openedAt - b.openedAt || a.number - b.number);
    for (let start = 0; start < opened.length; start += CONTACTS_AT_ONCE) {
      await Promise.all(
        opened.slice(start, start + CONTACTS_AT_ONCE).map((issue) =>
          heed.customers.repository.recordContact({
            user: { platform: 'slack', id: issue.customer.id },
            at: issue.openedAt,
            name: issue.customer.name,
            organisation: `Org ${Number(issue.customer.id.slice(3)) % 97}`,
            opened: profileIssueOf(issue),
          }),
        ),
      );
    }
    const events = year.reduce((sum, issue) => sum + issue.history.length, 0);
    const stored = ['', '-wal'].reduce(
      (sum, tail) => sum + (existsSync(file + tail) ? statSync(file + tail).size : 0),
      0,
    );
    console.log(
      `  filled in ${ms(performance.now() - filled)}: ${count} open issues, ${year.length} issues of the year with ${events} ledger events, ${CUSTOMERS} customers holding them; store ${mb(stored)}`,
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
    const profileOf = async (k: number) => (await heed.customers.find({ platform: 'slack', id: `U0C${k}` }))!;
    const large = await profileOf(1);
    const typical = await profileOf(customerOf(count + 1));
    const longest = year.reduce((a, b) => (b.history.length > a.history.length ? b : a));
    const ofLarge = open.find((issue) => customerOf(issue.number) === 1 && issue.team === 'support')!;
    console.log(
      `  issue #${longest.number}: ${longest.history.length} ledger events, its customer holds ${(await profileOf(customerOf(longest.number))).issues.length} issues; the large account lists ${large.issues.length} issues (${large.olderIssues} older counted), a typical customer ${typical.issues.length}`,
    );
    const pages = [
      '/dashboard/',
      '/dashboard/?owner=unclaimed&page=3',
      '/dashboard/?team=billing&standing=breached',
      `/dashboard/issues/${longest.number}`,
      `/dashboard/issues/${ofLarge.number}`,
      '/dashboard/people',
      '/dashboard/sla',
      '/dashboard/customers',
      '/dashboard/customers?q=customer%2019',
      `/dashboard/customers/${encodeURIComponent(typical.id)}`,
      `/dashboard/customers/${encodeURIComponent(large.id)}`,
    ];
    const labels = new Map([
      [`/dashboard/issues/${longest.number}`, `/dashboard/issues/<longest ledger>`],
      [`/dashboard/issues/${ofLarge.number}`, `/dashboard/issues/<large account's>`],
      [`/dashboard/customers/${encodeURIComponent(typical.id)}`, '/dashboard/customers/<typical>'],
      [`/dashboard/customers/${encodeURIComponent(large.id)}`, '/dashboard/customers/<large account>'],
    ]);
    const viewers: [string, PersonFacts][] = [
      ['manager of both teams', { platform: 'slack', id: 'U0MGR001', name: 'morgan' }],
      ['staff member', { platform: 'slack', id: 'U0STAFF1', name: 'alex' }],
    ];
    let missed = 0;
    for (const [who, person] of viewers) {
      const cookie = await session(person);
      console.log(
        `  ${who}: server time median / p90, round trip median / p90, size (target ≤ ${TARGET_MS} ms server time)`,
      );
      for (const path of pages) {
        const t = await timePage(origin, path, cookie);
        const p90 = percentile(t.server, 90);
        const met = p90 <= TARGET_MS;
        if (!met) missed += 1;
        console.log(
          `    ${(labels.get(path) ?? path).padEnd(44)} ${t.status} ${ms(percentile(t.server, 50)).padStart(9)} / ${ms(p90).padStart(9)}  ${ms(percentile(t.total, 50)).padStart(9)} / ${ms(percentile(t.total, 90)).padStart(9)}  ${(t.bytes / 1024).toFixed(1).padStart(6)} KiB  ${met ? 'met' : 'MISSED'}`,
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
