import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { MONDAY_10AM } from '../support/harness.ts';
import { readStore } from '../support/read-store.ts';
import { IDS } from '../support/test-config.ts';

const CHILD = join(import.meta.dirname, '../support/processes/sla-child.ts');
const HOUR = 3_600_000;
const children: ChildProcess[] = [];

interface Child {
  readonly process: ChildProcess;
  send(request: unknown): Promise<void>;
}

async function startChild(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (expected: string) => {
    const { value } = await lines.next();
    if (value !== expected) throw new Error(`child said ${String(value)}, expected ${expected}`);
  };
  await next('ready');
  return {
    process: child,
    async send(request) {
      child.stdin!.write(`${JSON.stringify(request)}\n`);
      await next('done');
    },
  };
}

function kill9(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function customer(n: number) {
  return {
    op: 'message',
    message: {
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: `1763.00000${n}`,
      text: `Problem ${n}`,
      at: 0,
      author: { id: IDS.slack.customer, name: `Customer ${n}` },
    },
  };
}

describe('durable deadlines across kill -9', () => {
  it('fires every nag that fell due while Heed was down exactly once after restart, marked late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-kill-'));
    const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
    const outbox = join(dir, 'outbox.jsonl');
    const env = (start: number) => ({
      HEED_STORE_URL: storeUrl,
      HEED_TEST_OUTBOX: outbox,
      HEED_TEST_CLOCK_START: String(start),
    });

    // Day one: three customers write, staff claim #1; then the process dies without warning.
    const first = await startChild(env(MONDAY_10AM));
    for (const n of [1, 2, 3]) await first.send(customer(n));
    await first.send({ op: 'command', user: IDS.slack.staff, text: 'claim #1' });
    await kill9(first);
    const before = readFileSync(outbox, 'utf8').trim().split('\n').length;

    // Two hours later Heed comes back: every first-response deadline (1h) and the managers level (+30m) passed.
    const second = await startChild(env(MONDAY_10AM + 2 * HOUR));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await kill9(second);

    // And once more, a little later: nothing may fire twice.
    const third = await startChild(env(MONDAY_10AM + 2 * HOUR + 60_000));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await kill9(third);

    const lines = readFileSync(outbox, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { pid: number; op: string; to: string; text: string });
    const afterRestart = lines.slice(before);
    expect(afterRestart.every((l) => l.pid === second.process.pid)).toBe(true);
    const alertLines = afterRestart.flatMap((l) =>
      l.text
        .split('\n')
        .filter((t) => /⏰|⬆️/.test(t))
        .map((t) => `${l.to} ${t.replace(/overdue by .*?(·|\.)/, '')}`),
    );
    // Nag: #1 to its owner, #2 and #3 to the team channel; escalation: all three to the manager.
    const count = (to: string, marker: string, ref: string) =>
      alertLines.filter((l) => l.startsWith(to) && l.includes(marker) && l.includes(`*${ref}*`)).length;
    expect(count(IDS.slack.staff, '⏰', '#1')).toBe(1);
    expect(count(IDS.slack.teamChannel, '⏰', '#2')).toBe(1);
    expect(count(IDS.slack.teamChannel, '⏰', '#3')).toBe(1);
    for (const ref of ['#1', '#2', '#3']) expect(count(IDS.slack.manager, '⬆️', ref)).toBe(1);
    expect(alertLines).toHaveLength(6);
    expect(alertLines.every((l) => l.includes('sent late'))).toBe(true);
    // The team channel got one digest, not two messages.
    expect(afterRestart.filter((l) => l.to === IDS.slack.teamChannel)).toHaveLength(1);

    // Nothing stored was lost: the ledger holds each step once.
    expect(existsSync(join(dir, 'heed.sqlite'))).toBe(true);
    const docs = await readStore(storeUrl, async (issues) =>
      Promise.all([1, 2, 3].map(async (number) => (await issues.getByNumber(number))!)),
    );
    expect(docs.map((d) => d.history.filter((e) => e.kind === 'nagged').length)).toEqual([1, 1, 1]);
    expect(docs.map((d) => d.history.filter((e) => e.kind === 'escalated').length)).toEqual([1, 1, 1]);
    expect(docs[0]!.history.map((e) => e.kind)).toEqual([
      'opened',
      'routed',
      'claimed',
      'nagged',
      'escalated',
    ]);
  }, 60_000);
});
