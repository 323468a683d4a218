import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'demo/run-demo.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const DEMO_TIMEOUT_MS = 60_000;

interface Run {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `npm run demo` as its own process (without npm), its store in `storeFile`, stdout + stderr together. */
function runDemo(args: readonly string[], storeFile: string, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, DEMO, ...args], {
      cwd: ROOT,
      env: { ...process.env, HEED_DEMO_STORE: storeFile, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: stripAnsi(output) }));
    child.stdin.end(stdin);
  });
}

// NO_COLOR should leave none, but a stray code must not make a match fail.
function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC (\x1b).
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

describe('npm run demo', () => {
  let dir: string;
  let day: Run;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-demo-'));
    day = await runDemo([], path.join(dir, 'day.sqlite'));
  }, DEMO_TIMEOUT_MS);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('plays the whole day and exits 0', () => {
    expect(day.output).toContain('End of the day. The queue and the ledger:');
    expect(day.code, day.output).toBe(0);
  });

  it('pages on-call at once for the urgent outage', () => {
    expect(day.output).toContain('DM to Riley · Heed: 🚨 Urgent **#3** from Kim needs someone now');
  });

  it('nags the owner at the slipped deadline, then escalates to the manager', () => {
    expect(day.output).toContain('DM to Bea (billing) · Heed: ⏰ *#2* · Lee — first response was due');
    expect(day.output).toContain('#billing-team · Heed: ⬆️ Escalation level 1 · *#2*');
    expect(day.output).toContain('DM to Morgan (manager) · Heed: ⬆️ Escalation level 2 · *#2*');
  });

  it('carries the owner’s apology to the customer', () => {
    expect(day.output).toContain('Discord the issue thread · Heed: Sorry for the wait on **#2**, Lee.');
  });

  it('greets the returning customer by name and shows her history on the card', () => {
    expect(day.output).toContain('Heed: Welcome back, Dana! This is *#4*.');
    expect(day.output).toContain('the card says: 2nd issue');
  });

  it('takes a 👍 and a 👎', () => {
    expect(day.output).toContain('Dana (BigCo): “[presses 👍]”');
    expect(day.output).toContain('Thanks for the 👍!');
    expect(day.output).toContain('Kim (Enterprise): “[presses 👎]”');
    expect(day.output).toContain('👎 **Recovery needed** on **#3**');
  });

  it('ends with the ownership report, people by name, and how to keep it running', () => {
    expect(day.output).toContain('Heed ownership report by owner');
    expect(day.output).toMatch(/^Bea \(billing\) +1 +1 /m);
    expect(day.output).toContain('npm run demo -- --stay');
  });

  it(
    'keeps running with --stay and answers commands typed on stdin',
    async () => {
      const run = await runDemo(['--stay'], path.join(dir, 'stay.sqlite'), 'help\n/heed queue\nquit\n');
      expect(run.output).toContain('wait <duration>');
      expect(run.output).toContain('Alex: “/heed queue”');
      expect(run.output).toContain('only the person who asked sees: *Open issues (1)*');
      expect(run.output).toContain('*#4* high · new · unclaimed · Dana');
      expect(run.output).toContain('Stopping Heed and the emulators.');
      expect(run.code, run.output).toBe(0);
    },
    DEMO_TIMEOUT_MS,
  );
});
