/**
 * `npm start` when something is wrong: the real process entry (main.ts) in a child process, against
 * the emulators or against nothing at all. Each failure is one clean message on stderr (no stack, the
 * cause once, no password) and a documented exit code; no log line carries a key twice.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DISCORD, SLACK, startDiscord, startSlack } from '../../demo/workspace.ts';
import { EXIT_CODES } from '../../src/core/errors.ts';
import { D, startEmulator } from '../adapters/discord/discord-fixture.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers) await close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `main.ts` in a fresh directory holding the example config, with exactly `env` (no .env), until it
 * exits; `stopWhen` (given what it wrote so far) sends it one SIGTERM.
 */
function runHeed(env: Record<string, string>, stopWhen?: (stdout: string) => boolean): Promise<Exited> {
  const cwd = mkdtempSync(join(tmpdir(), 'heed-start-'));
  dirs.push(cwd);
  copyFileSync(join(ROOT, 'heed.config.example.yaml'), join(cwd, 'heed.config.yaml'));
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HEED_STORE_URL: `sqlite://${join(cwd, 'heed.sqlite')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!signalled && stopWhen?.(stdout)) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every JSON log line, checked for a key written twice (JSON.parse would hide it). */
function keysWrittenTwice(stdout: string): string[] {
  const doubled: string[] = [];
  for (const line of stdout.split('\n').filter((text) => text.startsWith('{'))) {
    const keys = [...line.matchAll(/"([A-Za-z_]+)":/g)].map((match) => match[1]!);
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) doubled.push(`${key} in ${line.slice(0, 160)}`);
      seen.add(key);
    }
  }
  return doubled;
}

function expectNoStack(run: Exited) {
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).not.toMatch(/"stack"/);
  expect(run.stdout).not.toMatch(/"level":60/);
}

const slackEnv = { SLACK_BOT_TOKEN: SLACK.botToken, SLACK_SIGNING_SECRET: SLACK.signingSecret, PORT: '0' };
const discordEnv = { DISCORD_TOKEN: DISCORD.token, DISCORD_APPLICATION_ID: DISCORD.applicationId, PORT: '0' };

/** Both platforms caught up (after their gateway session and HTTP start) and Heed said it runs. */
const running = (stdout: string) =>
  (stdout.match(/caught up on messages written while away/g) ?? []).length === 2 &&
  stdout.includes('"msg":"Heed is running"');

describe('npm start, when something is wrong', () => {
  it('(and when nothing is) writes no log key twice, and stops cleanly on SIGTERM', async () => {
    const slack = await startSlack();
    closers.push(() => slack.close());
    const discord = await startDiscord();
    closers.push(() => discord.close());
    const run = await runHeed(
      {
        ...slackEnv,
        ...discordEnv,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_API_URL: discord.apiUrl,
        NODE_ENV: 'production',
      },
      running,
    );
    expect(run.stdout).toContain('"msg":"Heed is running"');
    expect(keysWrittenTwice(run.stdout)).toEqual([]);
    expect(run.code).toBe(EXIT_CODES.stopped);
  }, 60_000);

  it('without credentials points to the demo and exits with the configuration code', async () => {
    const run = await runHeed({});
    expect(run.stderr).toContain('npm run demo');
    expect(run.code).toBe(EXIT_CODES.configuration);
  });

  it('names a bad PORT plainly', async () => {
    const run = await runHeed({ ...slackEnv, PORT: 'abc' });
    expect(run.stderr).toContain('PORT must be a port number from 0 to 65535, such as 3000');
    expect(run.stderr).not.toContain('NaN');
    expect(run.code).toBe(EXIT_CODES.configuration);
  });

  it('refuses a Discord token of the wrong shape before connecting', async () => {
    const run = await runHeed({ ...discordEnv, DISCORD_TOKEN: 'Bot abc.def.ghi' });
    expect(run.stderr).toContain('leave out the "Bot "');
    expect(run.code).toBe(EXIT_CODES.configuration);
  });

  it('reports an unreachable store in one line: URL without its password, the cause once, what to do', async () => {
    const port = await closedPort();
    const run = await runHeed({
      ...slackEnv,
      HEED_STORE_URL: `postgres://heed:hunter2@127.0.0.1:${port}/heed`,
    });
    expect(run.stderr).toContain(`The store postgres://heed:***@127.0.0.1:${port}/heed is unreachable`);
    expect(run.stderr.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(run.stderr).toContain('Check that PostgreSQL is running');
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    expectNoStack(run);
    expect(run.code).toBe(EXIT_CODES.store);
  });

  it('tells a refused Slack token from an unreachable Slack', async () => {
    const slack = await startSlack();
    closers.push(() => slack.close());
    const refused = await runHeed({
      ...slackEnv,
      SLACK_BOT_TOKEN: 'xoxb-not-the-right-one',
      SLACK_API_URL: slack.apiUrl,
    });
    expect(refused.stderr).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    expect(refused.stderr).toContain('OAuth & Permissions');
    expectNoStack(refused);
    expect(refused.code).toBe(EXIT_CODES.refused);

    const port = await closedPort();
    const unreachable = await runHeed({ ...slackEnv, SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    expect(unreachable.stderr).toContain(`Cannot reach 127.0.0.1:${port} (`);
    expect(unreachable.stderr).toContain('check the network, a proxy, or SLACK_API_URL');
    expect(unreachable.stderr).not.toContain('refused SLACK_BOT_TOKEN');
    expectNoStack(unreachable);
    expect(keysWrittenTwice(unreachable.stdout)).toEqual([]);
    expect(unreachable.stdout).toContain('"component":"bolt"');
    expect(unreachable.code).toBe(EXIT_CODES.unreachable);
  }, 60_000);

  it('gives Discord the same care: refused token, disallowed intents, unreachable host', async () => {
    const discord = await startDiscord();
    closers.push(() => discord.close());
    const refused = await runHeed({
      ...discordEnv,
      DISCORD_TOKEN: 'wrong.discord.token',
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(refused.stderr).toContain('Discord refused DISCORD_TOKEN (401 Unauthorized)');
    expectNoStack(refused);
    expect(refused.code).toBe(EXIT_CODES.refused);

    const strict = await startEmulator({ privilegedIntents: { messageContent: false } });
    closers.push(() => strict.close());
    const intents = await runHeed({
      DISCORD_TOKEN: D.token,
      DISCORD_APPLICATION_ID: D.app,
      DISCORD_API_URL: strict.apiUrl,
      PORT: '0',
    });
    expect(intents.stderr).toContain("Discord refused Heed's gateway intents (close code 4014)");
    expect(intents.stderr).toContain('Message Content Intent');
    expect(intents.code).toBe(EXIT_CODES.refused);

    const port = await closedPort();
    const unreachable = await runHeed({ ...discordEnv, DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    expect(unreachable.stderr).toContain(`Cannot reach 127.0.0.1:${port} (`);
    expect(unreachable.stderr).toContain('DISCORD_API_URL');
    expectNoStack(unreachable);
    expect(unreachable.code).toBe(EXIT_CODES.unreachable);
  }, 60_000);
});
