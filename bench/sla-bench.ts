/**
 * SLA engine benchmark (issue 3): scheduler tick cost with nothing due and with 100 due, RSS and
 * start-to-ready time on a SQLite store holding N open issues, and lateness of nags on real timers.
 * Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Heed } from '../src/boot/heed.ts';
import { startCore } from '../src/boot/start-core.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { openDatabase } from '../src/store/database.ts';
import { FakeClock } from '../test/doubles/fake-clock.ts';
import { benchConfig, makeIssue } from './fixtures.ts';
import { nullChatPort } from './null-chat-port.ts';
import { mb, ms, percentile } from './stats.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);

async function populate(storeUrl: string, n: number): Promise<number> {
  const store = await openDatabase(storeUrl);
  const heed = new Heed({
    config: benchConfig(),
    database: store,
    chat: nullChatPort(),
    clock: new FakeClock(NOW),
    logger: silentLogger(),
  });
  await heed.start();
  // Opened within the last 2.5 h: every warning (at 3 h of a 4 h target) lies in the future.
  const issues = Array.from({ length: n }, (_, i) =>
    makeIssue(i + 1, NOW - Math.floor((((i * 7919) % n) / n) * 2.5 * HOUR)),
  );
  const started = performance.now();
  await heed.issues.bulkImport(issues);
  const elapsed = performance.now() - started;
  await store.close();
  return elapsed;
}

async function measureTicks(storeUrl: string) {
  const store = await openDatabase(storeUrl);
  const clock = new FakeClock(NOW);
  const chat = nullChatPort();
  const heed = new Heed({ config: benchConfig(), database: store, chat, clock, logger: silentLogger() });
  await heed.start();
  const rounds = 2_000;
  let started = performance.now();
  for (let i = 0; i < rounds; i += 1) await heed.scheduler.tick();
  const idle = (performance.now() - started) / rounds;
  const due = heed.issues
    .listOpen()
    .map((s) => s.nextAlertAt)
    .filter((at): at is number => at !== undefined)
    .sort((a, b) => a - b);
  clock.set(due[99]!);
  started = performance.now();
  const report = await heed.scheduler.tick();
  const busy = performance.now() - started;
  await store.close();
  return { idle, busy, alerts: report.alerts, messages: report.messages };
}

function startChild(storeUrl: string): { readyMs: number; rss: number; open: number } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'start-child.ts'), storeUrl],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function lateness(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-late-'));
  const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
  const config = benchConfig('20s');
  const core = await startCore({
    config,
    storeUrl,
    chat: nullChatPort(),
    logger: silentLogger(),
    runScheduler: false,
  });
  const now = Date.now();
  // 300 first-response deadlines spread over the next 5 seconds (warnings at 15 s are already past).
  const issues = Array.from({ length: 300 }, (_, i) =>
    makeIssue(i + 1, now - 20_000 + 2_000 + Math.floor((i / 300) * 5_000)),
  );
  await core.heed.issues.bulkImport(issues);
  await core.heed.scheduler.tick(); // the overdue warnings, out of the way
  core.heed.scheduler.start();
  await new Promise((resolve) => setTimeout(resolve, 8_500));
  const late: number[] = [];
  for (const issue of issues) {
    const stored = await core.heed.issues.get(issue.id);
    for (const event of stored?.history ?? []) {
      if (event.kind === 'nagged' && typeof event.data?.dueAt === 'number')
        late.push(event.at - event.data.dueAt);
    }
  }
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
  return late;
}

export async function runSlaBench(): Promise<void> {
  console.log('SLA scheduler benchmark (SQLite store, 24/7 policy, 4h first response)');
  const rows: string[] = [];
  const idle: Record<number, number> = {};
  const busy: Record<number, number> = {};
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'heed-bench-'));
    const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
    const importMs = await populate(storeUrl, n);
    const child = startChild(storeUrl);
    const ticks = await measureTicks(storeUrl);
    idle[n] = ticks.idle;
    busy[n] = ticks.busy;
    rows.push(
      `  ${String(n).padStart(6)} open: tick idle ${ms(ticks.idle)}, tick with ${ticks.alerts} due ${ms(ticks.busy)} (${ticks.messages} messages), start→ready ${ms(child.readyMs)} (process start to ready, ${child.open} loaded), RSS ${mb(child.rss)}, bulk import ${ms(importMs)}`,
    );
    console.log(rows.at(-1));
    rmSync(dir, { recursive: true, force: true });
  }
  const small = sizes[0]!;
  const large = sizes.at(-1)!;
  console.log(
    `  ratio ${large}/${small}: idle tick ${(idle[large]! / idle[small]!).toFixed(2)}, 100-due tick ${(busy[large]! / busy[small]!).toFixed(2)}`,
  );
  const late = await lateness();
  console.log(
    `  nag lateness on real timers (${late.length} nags): p50 ${ms(percentile(late, 50))}, p99 ${ms(percentile(late, 99))}, max ${ms(Math.max(...late))}`,
  );
}
