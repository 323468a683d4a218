/**
 * The app under test of the Slack HTTP benchmark, in a process of its own (forked by slack-http-bench.ts):
 * `bare`, a Bolt 5 app in HTTP mode (its default HTTPReceiver) that does the platform work Heed does for a
 * new customer message and nothing else (no storage), or `heed`, the real composition root (`startHeed`)
 * on the store named on the command line. Both talk to the emulator named on the command line. Over IPC
 * it sends `ready` with its port, `usage` (CPU, RSS, event-loop delay since the previous `usage`) when
 * asked, and `stopped` after `stop`.
 *
 * Usage: `node --import tsx bench/slack-http-app.ts bare|heed <emulator api url> [store url]`
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { App, LogLevel, type types } from '@slack/bolt';
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

const [kind, apiUrl, storeUrl] = process.argv.slice(2);
if ((kind !== 'bare' && kind !== 'heed') || apiUrl === undefined) {
  throw new Error('usage: slack-http-app.ts bare|heed <emulator api url> [store url]');
}

function tell(message: AppMessage): void {
  process.send?.(message);
}

/** As Heed's policy in the benchmark's config: first response within an hour. */
const FIRST_RESPONSE_MS = 60 * 60 * 1000;

/** Heed's acknowledgement, as it reads in the customer's thread (same shape and about the same size). */
function acknowledgement(user: string, number: number): string {
  const due = new Date(Date.now() + FIRST_RESPONSE_MS);
  const seconds = Math.floor(due.getTime() / 1000);
  return `Hi <@${user}>, thanks for reaching out! This is *#${number}*. We will get back to you within 1h (by <!date^${seconds}^{date_short_pretty} {time}|${due.toISOString().slice(0, 19)}Z>).`;
}

/** A card for the team channel, laid out as Heed's: the customer's text quoted, fields, due time, two buttons. */
function card(user: string, number: number, text: string): { text: string; blocks: types.KnownBlock[] } {
  const title = `New issue *#${number}* from <@${user}> (Customer Co)`;
  const value = `bench-${number}`;
  const due = `${new Date(Date.now() + FIRST_RESPONSE_MS).toISOString().slice(0, 16)}Z`;
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `#${number} · New · unclaimed`, emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${title}\n>${text}` },
        fields: [
          { type: 'mrkdwn', text: `*Customer*\n<@${user}>\nCustomer Co` },
          { type: 'mrkdwn', text: '*Priority*\nNormal' },
          { type: 'mrkdwn', text: '*Owner*\n_Unclaimed_' },
          { type: 'mrkdwn', text: '*Team*\nsupport' },
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `⏱ first response due ${due}` },
          {
            type: 'mrkdwn',
            text: 'first issue · 1 customer message · 0 replies · routed by intake channel default',
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'bench:actions',
        elements: [
          {
            type: 'button',
            action_id: 'bench:claim',
            value,
            text: { type: 'plain_text', text: 'Claim', emoji: true },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'bench:resolve',
            value,
            text: { type: 'plain_text', text: 'Resolve', emoji: true },
          },
        ],
      },
    ],
  };
}

async function startBare(url: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = new App({
    token: SLACK_BENCH.botToken,
    signingSecret: SLACK_BENCH.signingSecret,
    logLevel: LogLevel.ERROR,
    // As adapters/slack/index.ts passes SLACK_API_URL: with a trailing slash.
    clientOptions: { slackApiUrl: url.endsWith('/') ? url : `${url}/` },
  });
  let issues = 0;
  // Bolt acks Events API requests itself (processBeforeResponse is false by default), so the replies
  // below go out after the ack, as Heed's do.
  app.message(async ({ message, client }) => {
    // New top-level customer messages in the intake channel only, as Heed's intake.
    if (message.subtype !== undefined || message.bot_id !== undefined || message.thread_ts !== undefined)
      return;
    if (message.channel !== SLACK_BENCH.customerChannel) return;
    issues += 1;
    const posted = card(message.user, issues, message.text ?? '');
    await Promise.all([
      client.chat.postMessage({
        channel: message.channel,
        thread_ts: message.ts,
        text: acknowledgement(message.user, issues),
        unfurl_links: false,
        unfurl_media: false,
      }),
      client.chat.postMessage({
        channel: SLACK_BENCH.teamChannel,
        text: posted.text,
        blocks: posted.blocks,
        unfurl_links: false,
        unfurl_media: false,
      }),
    ]);
  });
  app.command('/heed', async ({ ack }) => {
    await ack('ok');
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop().then(() => undefined) };
}

async function startHeedApp(
  url: string,
  store: string,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const env = parseEnv({
    SLACK_BOT_TOKEN: SLACK_BENCH.botToken,
    SLACK_SIGNING_SECRET: SLACK_BENCH.signingSecret,
    SLACK_API_URL: url,
    HEED_STORE_URL: store,
    // `normal` measures the SQLite trade-off the README describes; the default is `full`.
    HEED_SQLITE_SYNCHRONOUS: process.env.HEED_SQLITE_SYNCHRONOUS,
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

if (kind === 'heed' && storeUrl === undefined) throw new Error('heed needs a store url');
const running = kind === 'bare' ? await startBare(apiUrl) : await startHeedApp(apiUrl, storeUrl!);

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
    // With `--cpu-prof` the profile is written on exit, which a handle left open would delay until the
    // benchmark's SIGKILL (and then never): leave on our own a little later. Unref'd, so a clean exit wins.
    setTimeout(() => process.exit(0), 1_000).unref();
  });
});

tell({ type: 'ready', port: running.port });
