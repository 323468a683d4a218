/**
 * Control-centre benchmark (issue 17): a SQLite store holding N open issues (default 10,000; half
 * unclaimed, the rest spread over six staff, two teams, deadlines from breached to days away), then one
 * person's App Home built as on `app_home_opened`: the core reads the figures and builds the page
 * (`homePage`: the week's report rows in SQL, open recovery tasks, the in-memory open issues), and the
 * Slack adapter renders it to a Block Kit home view. For a staff member and for a manager of both
 * teams. Target: ≤ 50 ms. Prints figures; asserts nothing. `BENCH_HOME_ISSUES` changes N.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { homeView } from '../adapters/slack/to-slack-home.ts';
import { Heed } from '../src/boot/heed.ts';
import type { Issue } from '../src/domain/issue.ts';
import { silentLogger } from '../src/logging/logger.ts';
import type { PersonFacts } from '../src/ports/inbound-port.ts';
import { openDatabase } from '../src/store/database.ts';
import { FakeClock } from '../test/doubles/fake-clock.ts';
import { benchConfig, makeIssue } from './fixtures.ts';
import { nullChatPort } from './null-chat-port.ts';
import { mb, ms, percentile } from './stats.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');
/** The benchmark's moment (the dashboard benchmark shares it). */
export const HOME_BENCH_NOW = NOW;
const HOUR = 3_600_000;
const STAFF = ['U0STAFF1', 'U0STAFF2', 'U0STAFF3', 'U0STAFF4', 'U0STAFF5', 'U0BILL01'];
const ROUNDS = 30;

/** Issue `number`, opened within the last ~5 h (4 h first response: some breached, some at risk). */
export function openIssue(number: number, n: number): Issue {
  const base = makeIssue(number, NOW - Math.floor((((number * 7919) % n) / n) * 5 * HOUR));
  const team = number % 4 === 0 ? 'billing' : 'support';
  const owner =
    number % 2 === 0 ? { platform: 'slack' as const, id: STAFF[number % STAFF.length]! } : undefined;
  const { owner: _owner, ...rest } = base;
  return {
    ...rest,
    team,
    status: owner ? 'claimed' : 'new',
    ...(owner ? { owner } : {}),
    history: base.history
      .filter((event) => owner || event.kind !== 'claimed')
      .map((event) => ({ ...event, team, ...(event.kind === 'claimed' && owner ? { actor: owner } : {}) })),
  };
}

async function measure(heed: Heed, person: PersonFacts) {
  const times: number[] = [];
  let blocks = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    const view = homeView(await heed.homePage(person));
    times.push(performance.now() - started);
    blocks = view.blocks.length;
  }
  return { median: percentile(times, 50), p90: percentile(times, 90), blocks };
}

/** Fills a store, times the App Home for a staff member and a manager, prints figures. */
export async function runHomeBench(): Promise<void> {
  const count = Number(process.env.BENCH_HOME_ISSUES ?? 10_000);
  console.log(`App Home benchmark (SQLite store, ${count} open issues)`);
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-home-'));
  const store = await openDatabase(`sqlite://${join(dir, 'heed.sqlite')}`);
  try {
    const heed = new Heed({
      config: benchConfig(),
      database: store,
      chat: nullChatPort(),
      clock: new FakeClock(NOW),
      logger: silentLogger(),
    });
    await heed.start();
    await heed.issues.bulkImport(Array.from({ length: count }, (_, i) => openIssue(i + 1, count)));
    const staff = await measure(heed, { platform: 'slack', id: 'U0STAFF1' });
    const manager = await measure(heed, { platform: 'slack', id: 'U0MGR001' });
    const line = (who: string, m: typeof staff) =>
      `  ${who}: figures read, page built and rendered to Block Kit in ${ms(m.median)} (median of ${ROUNDS}), p90 ${ms(m.p90)}; ${m.blocks} blocks (target ≤ 50 ms)`;
    console.log(line('staff member', staff));
    console.log(line('manager of both teams', manager));
    console.log(`  RSS ${mb(process.memoryUsage().rss)}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runHomeBench();
