import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columns, WIDTH } from '../../demo/transcript.ts';
import { runHeed } from '../cli/run-heed.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'demo/run-demo.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const DEMO_TIMEOUT_MS = 60_000;

interface Run {
  readonly code: number | null;
  /** What the demo printed, wrapped lines joined again (they continue under 14 spaces). */
  readonly output: string;
  /** Exactly what it printed. */
  readonly raw: string;
}

function unwrap(text: string): string {
  return text.replace(/\n {14}(?=\S)/g, ' ');
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
    child.on('close', (code) => resolve({ code, output: unwrap(stripAnsi(output)), raw: output }));
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
    // The whole recovery notice, never cut mid-word, and its own entry in the ledger.
    expect(day.output).toMatch(
      /Recovery needed\* on \*#3\*.*open thread Please reach out to the customer and make it right\./,
    );
    expect(day.output).toContain('rated by Kim (Enterprise) → recovery-requested (Heed)');
    expect(day.output).toContain(
      'Your question slipped through while we closed the month. Our team is on it',
    );
  });

  it('ends with the ownership report, people by name, and how to keep it running', () => {
    expect(day.output).toContain('Heed ownership report by owner');
    // The names Heed kept as it saw people (Slack display names, Discord nicknames), never raw ids.
    expect(day.output).toMatch(/^bea +1 +1 /m);
    expect(day.output).toMatch(/^Riley +1 +1 /m);
    expect(day.output).not.toMatch(/^(slack|discord):/m);
    expect(day.output).toContain('npm run demo -- --stay');
  });

  it('prints no colour off a terminal, and fits every line in 100 columns', () => {
    expect(day.raw).not.toContain('\x1b[');
    const wide = day.raw.split('\n').filter((line) => columns(line) > WIDTH);
    expect(wide).toEqual([]);
    expect(day.raw).toMatch(/\n {14}\S/); // long lines were wrapped, not cut
  });

  it('answers --help with its usage, and a wrong option with the usage and exit 2', async () => {
    const help = await runDemo(['--help'], path.join(dir, 'help.sqlite'));
    expect(help.output).toContain('Usage: npm run demo [-- --stay]');
    expect(help.output).toContain('HEED_DEMO_STORE=<file>');
    expect(help.code).toBe(0);
    const wrong = await runDemo(['--stya'], path.join(dir, 'help.sqlite'));
    expect(wrong.output).toContain("Unknown option '--stya'");
    expect(wrong.output).toContain('Usage: npm run demo');
    expect(wrong.code).toBe(2);
  });

  it('says where its health and metrics are', () => {
    expect(day.output).toMatch(
      /Health: http:\/\/127\.0\.0\.1:\d+\/healthz · metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/,
    );
  });

  it('leaves names in the store, so heed report shows them too', async () => {
    const run = await runHeed(['report', '--from', '2026-11-23', '--to', '2026-11-23'], {
      cwd: dir,
      env: { HEED_STORE_URL: `sqlite://${path.join(dir, 'day.sqlite')}` },
    });
    expect(run.stdout).toMatch(/^bea +1 +1 /m);
    expect(run.stdout).toMatch(/^Riley +1 +1 /m);
    expect(run.stdout).not.toContain('slack:U0BILL01');
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(run.code).toBe(0);
  });

  it(
    'reads @names typed at the prompt as the demo’s people, and says what a bare wait does',
    async () => {
      const run = await runDemo(
        ['--stay'],
        path.join(dir, 'mentions.sqlite'),
        '/heed handoff #4 @sam please take it\nwait\nquit\n',
      );
      expect(run.output).toContain('Alex: “/heed handoff #4 @sam please take it”');
      expect(run.output).toContain(
        'DM to Sam · Heed: @Alex handed you *#4* from Dana (BigCo): please take it',
      );
      expect(run.output).toContain('only the person who asked sees: Handed *#4* to @Sam.');
      expect(run.output).toContain('wait without a duration moves the demo clock on by 30m');
      expect(run.output).toContain('It is now Mon 16:45.');
      expect(run.code, run.output).toBe(0);
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'refuses to start a second demo on the store of one still running, and loses nothing',
    async () => {
      const store = path.join(dir, 'busy.sqlite');
      const first = spawn(process.execPath, ['--import', TSX, DEMO, '--stay'], {
        cwd: ROOT,
        env: { ...process.env, HEED_DEMO_STORE: store, NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let firstOutput = '';
      first.stdout.on('data', (chunk: Buffer) => {
        firstOutput += chunk.toString('utf8');
      });
      const firstClosed = new Promise<number | null>((resolve) => first.on('close', resolve));
      await expect.poll(() => firstOutput, { timeout: DEMO_TIMEOUT_MS, interval: 200 }).toContain('demo> ');

      // It printed a sign-in link to the demo day's web dashboard, which opens on this machine.
      const link = /(http:\/\/localhost:\d+\/dashboard\/sign-in\?token=[\w.-]+)/.exec(firstOutput)?.[1];
      expect(link, firstOutput).toBeDefined();
      const signedIn = await fetch(link!, { redirect: 'manual' });
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
      const queue = await fetch(new URL('/dashboard/', link), { headers: { cookie } });
      expect(queue.status).toBe(200);
      expect(await queue.text()).toContain('morgan · manager');

      const second = await runDemo([], store);
      expect(second.output).toContain(`is using ${store}`);
      expect(second.output).toContain('HEED_DEMO_STORE=data/demo-2.sqlite npm run demo');
      expect(second.code).toBe(1);

      first.stdin.end('report\nquit\n');
      expect(await firstClosed).toBe(0);
      expect(unwrap(firstOutput)).toContain('#4 new · high · support: opened by Dana (BigCo)');
    },
    DEMO_TIMEOUT_MS * 2,
  );

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
