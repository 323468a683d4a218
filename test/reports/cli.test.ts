import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCore, startCore } from '../../src/boot/start-core.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { InboundMessage } from '../../src/ports/inbound-port.ts';
import { acquireInstanceLock, InstanceLockedError } from '../../src/store/instance-lock.ts';
import { type HeedRun, runHeed } from '../cli/run-heed.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { IDS, testConfig, testConfigInput } from '../support/test-config.ts';

const S = IDS.slack;
const MINUTE = 60_000;
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/heed.js');

/** Runs `node bin/heed.js …` as its own process, as a person would from a checkout. */
async function heedProcess(args: readonly string[], env: Record<string, string>): Promise<HeedRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Runs `main` in process with a captured terminal. */
function heedInProcess(args: readonly string[], env: Record<string, string> = {}): Promise<HeedRun> {
  return runHeed(args, { env, cwd: ROOT, now: Date.parse('2026-11-23T10:00:00Z') });
}

describe('heed report against a running core', () => {
  let dir: string;
  let storeUrl: string;
  let core: RunningCore;
  // Real time, a few hours back, so `--since 30d` (measured from the child's real clock) covers it.
  const base = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
  const clock = new FakeClock(base);
  let seq = 0;

  const customerSays = (text: string, thread?: string): InboundMessage => {
    seq += 1;
    return {
      platform: 'slack',
      channel: S.customerChannel,
      messageId: `1763890000.${String(seq).padStart(6, '0')}`,
      ...(thread ? { thread } : {}),
      text,
      at: clock.now(),
      author: { id: S.customer, name: 'Dana Customer' },
    };
  };
  const staffSays = (user: string, text: string, thread: string): InboundMessage => ({
    ...customerSays(text, thread),
    author: { id: user, name: user },
  });
  const slash = async (user: string, text: string) =>
    toPlainText(
      (await runCommand(core.heed, { person: { platform: 'slack', id: user }, input: { text } })).text,
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-cli-'));
    storeUrl = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    // Around the clock, so the deadlines do not depend on when the test runs.
    const config = testConfig({
      sla: {
        ...(testConfigInput().sla as object),
        policies: [{ firstResponse: '15m', resolution: '4h', calendar: 'always' }],
      },
    });
    core = await startCore({
      config,
      storeUrl,
      chat: new RecordingChatPort(),
      logger: silentLogger(),
      clock,
      runScheduler: false,
    });

    // #1: claimed after 5m, answered after 10m, resolved after 20m: one touch, every deadline met.
    const first = customerSays('The CSV export fails with error 500');
    await core.heed.handleMessage(first);
    clock.advance(5 * MINUTE);
    expect(await slash(S.staff, 'claim #1')).toBe('You now own *#1*.');
    clock.advance(5 * MINUTE);
    expect((await core.heed.handleMessage(staffSays(S.staff, 'Looking at it', first.messageId))).kind).toBe(
      'response',
    );
    clock.advance(10 * MINUTE);
    expect(await slash(S.staff, 'resolve #1 Rolled back the export change')).toContain('Resolved *#1*');

    // #2 at +30m: nobody answers; at +46m the first response (due +45m) is nagged while unowned;
    // Sam apologizes at +50m (5m after the breach) and answers at +55m (first response 25m).
    clock.set(base + 30 * MINUTE);
    const second = customerSays('Our invoices page is blank');
    await core.heed.handleMessage(second);
    clock.set(base + 46 * MINUTE);
    await core.heed.scheduler.tick();
    clock.set(base + 50 * MINUTE);
    expect(await slash(S.staff2, 'apologize #2 Sorry, we were slow')).toContain('Apology sent');
    clock.set(base + 55 * MINUTE);
    await core.heed.handleMessage(staffSays(S.staff2, 'Fixed the page', second.messageId));
  });

  afterAll(async () => {
    await core?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the JSON report while the server holds the store', async () => {
    // The core holds the single-writer lock: a second server on this store is refused.
    await expect(
      acquireInstanceLock(storeUrl.slice('sqlite://'.length), { pid: process.pid, startedAt: Date.now() }),
    ).rejects.toBeInstanceOf(InstanceLockedError);

    const run = await heedProcess(['report', '--since', '30d', '--format', 'json'], {
      HEED_STORE_URL: storeUrl,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.groupBy).toBe('owner');
    expect(report.issues).toBe(2);
    expect(report.rows.map((row: { group: string }) => row.group)).toEqual([
      `slack:${S.staff}`,
      `slack:${S.staff2}`,
      'unassigned',
    ]);
    const [staff, sam, unassigned] = report.rows;
    expect(staff).toMatchObject({
      claimed: 1,
      resolved: 1,
      firstResponse: { count: 1, medianMs: 10 * MINUTE },
      resolution: { count: 1, medianMs: 20 * MINUTE, p90Ms: 20 * MINUTE },
      sla: { deadlines: 2, met: 2, breached: 0, attainmentPct: 100 },
      oneTouch: 1,
    });
    expect(sam).toMatchObject({
      claimed: 1, // by answering
      resolved: 0,
      firstResponse: { count: 1, medianMs: 25 * MINUTE },
      sla: { deadlines: 0, attainmentPct: null }, // #2's first response was already breached
      apologies: { count: 1, medianDelayMs: 5 * MINUTE },
    });
    expect(unassigned).toMatchObject({ breaches: 1, sla: { deadlines: 1, breached: 1, attainmentPct: 0 } });
    expect(report.total).toMatchObject({
      group: 'all',
      claimed: 2,
      resolved: 1,
      // (10m + 25m) / 2 = 17m30s.
      firstResponse: { count: 2, medianMs: 17.5 * MINUTE },
      // 2 met of 3 = 66.7%.
      sla: { deadlines: 3, met: 2, breached: 1, attainmentPct: 66.7 },
      breaches: 1,
      handOffs: 0,
      reopens: 0,
      oneTouch: 1,
      csat: { rated: 0, pct: null },
    });
  });

  it('prints CSV by team', async () => {
    const run = await heedProcess(['report', '--since=30d', '--by', 'team', '--format', 'csv'], {
      HEED_STORE_URL: storeUrl,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toMatch(/^period_from,period_to,team,claimed,resolved,/);
    expect(lines[1]).toMatch(/^[^,]+,[^,]+,support,2,1,2,1050,/);
    expect(lines[2]).toMatch(/^[^,]+,[^,]+,all,2,1,/);
  });

  it('answers a bad flag with the usage and exit code 2', async () => {
    const run = await heedProcess(['report', '--by', 'nobody'], { HEED_STORE_URL: storeUrl });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('heed: --by must be owner, team, reply, value or nps, not "nobody"');
    expect(run.stderr).toContain('Usage: heed report');
  });

  it('says where it looked when there is no store, and creates nothing', async () => {
    const missing = path.join(dir, 'nowhere', 'heed.sqlite');
    const run = await heedProcess(['report'], { HEED_STORE_URL: `sqlite://${missing}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no Heed store at ${missing} (HEED_STORE_URL=sqlite://${missing})`);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('heed command line, in process', () => {
  it.each([
    [['report', '--since'], '--since needs a value'],
    [['report', '--since', 'soon'], '--since: Invalid duration "soon"'],
    [['report', '--since', '0m'], '--since must be longer than 0'],
    [['report', '--format', 'xml'], '--format must be table, csv or json, not "xml"'],
    [['report', '--since', '7d', '--from', '2026-11-01'], 'use either --since or --from/--to, not both'],
    [['report', '--to', '2026-11-30'], '--to needs --from'],
    [['report', '--from', '2026-02-30'], '--from must be a date like 2026-11-01, not "2026-02-30"'],
    [['report', '--from', '2026-11-10', '--to', '2026-11-01'], '--to must not be before --from'],
    [['report', '--from', '2027-01-01'], '--from is in the future'],
    [['report', '--verbose'], 'unknown option --verbose'],
    [['report', '--by=owner', '--by', 'team'], '--by is given twice'],
    [['report', 'weekly'], 'unexpected argument "weekly"'],
    [['reprot'], 'unknown command "reprot"'],
    [[], 'which command?'],
  ])('heed %j → exit 2: %s', async (args, message) => {
    const run = await heedInProcess(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`heed: ${message}`);
    expect(run.stderr).toContain('Usage: heed');
  });

  it('heed help, heed help report and heed report --help print to stdout and exit 0', async () => {
    const general = await heedInProcess(['help']);
    expect(general).toMatchObject({ code: 0, stderr: '' });
    expect(general.stdout).toContain('report    Ownership report');
    for (const args of [
      ['help', 'report'],
      ['report', '--help'],
      ['report', '-h'],
    ]) {
      const run = await heedInProcess(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('--since <duration>');
    }
  });

  it('without HEED_STORE_URL looks at the default store and says so', async () => {
    const run = await heedInProcess(['report', '--from', '2026-11-01', '--to', '2026-11-07']);
    if (existsSync(path.join(ROOT, 'data/heed.sqlite'))) return; // a developer's own store is there
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no Heed store at ${path.join(ROOT, 'data/heed.sqlite')}`);
    expect(run.stderr).toContain('HEED_STORE_URL is not set');
  });

  it('rejects an invalid store URL without a stack trace', async () => {
    const run = await heedInProcess(['report'], { HEED_STORE_URL: 'mysql://db/heed' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the scheme "mysql:" is not supported');
  });
});
