/**
 * Shared mode when Redis (the coordination beside the PostgreSQL store) goes away: Slack is answered so that
 * it retries, nothing unstored is acknowledged, and Heed recovers by itself when Redis returns. Redis is reached through a TCP
 * proxy the test can cut, since the machine's Redis serves other tests too.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { type RunningHeed, startHeed } from '../../src/main.ts';
import type { SlackEmulator } from '../emulators/slack/index.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { startSmallSlack } from '../support/small-slack.ts';

const REDIS = new URL(process.env.HEED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0');
const SECRET = 'outage-signing-secret';
const TOKEN = 'xoxb-outage-token';

interface CuttableProxy {
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

async function redisProxy(): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: REDIS.hostname, port: Number(REDIS.port || 6379) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

describe('shared mode when Redis goes away', () => {
  it('answers Slack so it retries, stores nothing half-way, and recovers by itself', async () => {
    const proxy = await redisProxy();
    cleanup.push(() => proxy.close());
    const slack: SlackEmulator = await startSmallSlack({
      signingSecret: SECRET,
      botToken: TOKEN,
      customers: ['U0CUSTA1'],
    });
    cleanup.push(() => slack.close());
    const url = `redis://127.0.0.1:${proxy.port}/${REDIS.pathname.replace('/', '') || '0'}`;
    const schema = testSchema('redis_outage');
    cleanup.push(() => dropPostgresSchema(schema));
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    const heed: RunningHeed = await startHeed({
      env: parseEnv({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        HEED_STORE_URL: postgresStoreUrl(schema),
        HEED_COORDINATION_URL: url,
        HEED_KEY_PREFIX: `heed-outage-${randomBytes(4).toString('hex')}:`,
        PORT: '0',
      }),
      config: parseConfig({
        teams: [{ id: 'support', slack: { channel: 'C0TEAM01' }, staff: { slack: ['U0STAFF1'] } }],
        intake: [{ platform: 'slack', channel: 'C0CUST01', team: 'support' }],
      }),
      logger,
    });
    cleanup.push(() => heed.stop());
    slack.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);
    const base = Math.floor(Date.now() / 1000);
    const message = (n: number) =>
      slack.messageEvent({
        channel: 'C0CUST01',
        user: 'U0CUSTA1',
        text: `Problem ${n}`,
        ts: `${base}.00000${n}`,
      });
    const acks = (n: number) =>
      slack
        .callsTo('chat.postMessage')
        .filter(
          (call) =>
            call.args.thread_ts === `${base}.00000${n}` && /This is \*#\d+\*/.test(String(call.args.text)),
        );

    expect((await slack.deliverEvent(message(1), { eventId: 'EvOUT1' })).status).toBe(200);

    proxy.cut();
    const during = await slack.deliverEvent(message(2), { eventId: 'EvOUT2' });
    expect(during.status).toBeGreaterThanOrEqual(500);
    expect(lines.join('\n')).toMatch(/will retry|unreachable|could not/i);
    expect(acks(2)).toHaveLength(0);

    proxy.restore();
    // Slack's retries: the first ones may still meet a reconnecting client; one gets through.
    let status = 0;
    for (let retry = 1; retry <= 20 && status !== 200; retry += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await slack.deliverEvent(message(2), { eventId: 'EvOUT2', retryNum: Math.min(retry, 3) }))
        .status;
    }
    expect(status).toBe(200);
    const deadline = Date.now() + 5_000;
    while (acks(2).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acks(2)).toHaveLength(1);
    expect(acks(1)).toHaveLength(1);
    const second = await heed.core.heed.findIssue('#2');
    expect(second?.subject).toBe('Problem 2');
    expect(await heed.core.heed.findIssue('#3')).toBeUndefined();
  }, 60_000);
});
