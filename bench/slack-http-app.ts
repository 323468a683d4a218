/**
 * The app under test of the Slack HTTP benchmark, in a process of its own (forked by slack-http-bench.ts):
 * `bare`, a Bolt 5 app in HTTP mode (its default HTTPReceiver) whose listeners only ack, or `heed`, the
 * real composition root (`startHeed`) on a SQLite store. Both talk to the emulator named on the command
 * line. Over IPC it sends `ready` with its port, `usage` (CPU, RSS, event-loop delay since the previous
 * `usage`) when asked, and `stopped` after `stop`.
 *
 * Usage: `node --import tsx bench/slack-http-app.ts bare|heed <emulator api url> [store dir]`
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { parseEnv } from '../src/config/env.ts';
import { createLogger } from '../src/logging/logger.ts';
import { startHeed } from '../src/main.ts';
import { SLACK_BENCH, slackBenchConfig } from './slack-http-fixtures.ts';

/** What the app reports about itself for one phase of the benchmark. */
export interface AppUsage {
  readonly type: 'usage';
  /** CPU time (user + system) spent by this process since the previous report. */
  readonly cpuMs: number;
  readonly rss: number;
  /** Event-loop delay since the previous report (ms). */
  readonly loopDelayP99: number;
  readonly loopDelayMax: number;
}

export type AppMessage = { type: 'ready'; port: number } | AppUsage | { type: 'stopped' };
export type BenchMessage = { type: 'usage' } | { type: 'stop' };

const [kind, apiUrl, storeDir] = process.argv.slice(2);
if ((kind !== 'bare' && kind !== 'heed') || apiUrl === undefined) {
  throw new Error('usage: slack-http-app.ts bare|heed <emulator api url> [store dir]');
}

function tell(message: AppMessage): void {
  process.send?.(message);
}

async function startBare(url: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = new App({
    token: SLACK_BENCH.botToken,
    signingSecret: SLACK_BENCH.signingSecret,
    logLevel: LogLevel.ERROR,
    // As adapters/slack/index.ts passes SLACK_API_URL: with a trailing slash.
    clientOptions: { slackApiUrl: url.endsWith('/') ? url : `${url}/` },
  });
  // Bolt acks Events API requests itself (processBeforeResponse is false by default).
  app.event('message', async () => {});
  app.command('/heed', async ({ ack }) => {
    await ack('ok');
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop().then(() => undefined) };
}

async function startHeedApp(url: string, dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const env = parseEnv({
    SLACK_BOT_TOKEN: SLACK_BENCH.botToken,
    SLACK_SIGNING_SECRET: SLACK_BENCH.signingSecret,
    SLACK_API_URL: url,
    // BENCH_HTTP_STORE_URL runs Heed on another store (PostgreSQL); the default is an SQLite file.
    HEED_STORE_URL: process.env.BENCH_HTTP_STORE_URL ?? `sqlite://${join(dir, 'bench.sqlite')}`,
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const heed = await startHeed({
    env,
    config: slackBenchConfig(),
    logger: createLogger({ level: env.LOG_LEVEL }),
  });
  if (heed.slackPort === undefined) throw new Error('Heed did not open its Slack HTTP port');
  return { port: heed.slackPort, stop: () => heed.stop() };
}

if (kind === 'heed' && storeDir === undefined) throw new Error('heed needs a store directory');
const running = kind === 'bare' ? await startBare(apiUrl) : await startHeedApp(apiUrl, storeDir!);

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let cpu = process.cpuUsage();

process.on('message', (message: BenchMessage) => {
  if (message.type === 'usage') {
    const spent = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    tell({
      type: 'usage',
      cpuMs: (spent.user + spent.system) / 1000,
      rss: process.memoryUsage().rss,
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
    });
    loop.reset();
    return;
  }
  loop.disable();
  void running.stop().then(() => {
    tell({ type: 'stopped' });
    process.disconnect?.();
  });
});

tell({ type: 'ready', port: running.port });
