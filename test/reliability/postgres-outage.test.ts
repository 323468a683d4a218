/**
 * Shared mode when PostgreSQL (the store every instance coordinates through) goes away, mid-traffic:
 * Slack is answered so that it retries, nothing is stored half-way, nothing unstored is acknowledged, and
 * Heed recovers by itself when the database returns. PostgreSQL is reached through a TCP proxy the test
 * can cut, since the machine's server serves other tests too.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { type RunningHeed, startHeed } from '../../src/main.ts';
import type { SlackEmulator } from '../emulators/slack/index.ts';
import { dropPostgresSchema, TEST_POSTGRES_URL, testSchema, withPostgres } from '../store/services.ts';
import { startSmallSlack } from '../support/small-slack.ts';

const POSTGRES = new URL(TEST_POSTGRES_URL);
const SECRET = 'outage-signing-secret';
const TOKEN = 'xoxb-outage-token';

interface CuttableProxy {
  readonly port: number;
  cut(): void;
  /** Cuts every connection the moment a client sends `text` (that statement never reaches the server). */
  cutWhenSent(text: string): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

async function tcpProxy(host: string, port: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  let trigger: { text: Buffer; fire: () => void } | undefined;
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
  };
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host, port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger.text)) {
        const fired = trigger;
        trigger = undefined;
        cut();
        fired.fire();
        return;
      }
      if (!upstream.destroyed) upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut,
    cutWhenSent: (text) =>
      new Promise((resolve) => {
        trigger = { text: Buffer.from(text), fire: resolve };
      }),
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

describe('shared mode when PostgreSQL goes away', () => {
  it('answers Slack so it retries, stores nothing half-way, and recovers by itself', async () => {
    const proxy = await tcpProxy(POSTGRES.hostname, Number(POSTGRES.port || 5432));
    cleanup.push(() => proxy.close());
    const slack: SlackEmulator = await startSmallSlack({
      signingSecret: SECRET,
      botToken: TOKEN,
      customers: ['U0CUSTA1'],
    });
    cleanup.push(() => slack.close());
    const schema = testSchema('store_outage');
    cleanup.push(() => dropPostgresSchema(schema));
    const proxied = new URL(TEST_POSTGRES_URL);
    proxied.port = String(proxy.port);
    proxied.searchParams.set('schema', schema);
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
        HEED_STORE_URL: proxied.toString(),
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
    const ts = (n: number) => `${base}.${String(n).padStart(6, '0')}`;
    const message = (n: number) =>
      slack.messageEvent({ channel: 'C0CUST01', user: 'U0CUSTA1', text: `Problem ${n}`, ts: ts(n) });
    const acks = (n: number) =>
      slack
        .callsTo('chat.postMessage')
        // Posts Slack accepted: one refused with 429 (its per-channel limit) and sent again is one ack.
        .filter(
          (call) =>
            call.ok && call.args.thread_ts === ts(n) && /This is \*#\d+\*/.test(String(call.args.text)),
        );

    expect((await slack.deliverEvent(message(1), { eventId: 'EvOUT1' })).status).toBe(200);

    // Ten messages arrive at once; the database connections are cut in the middle of storing one, after
    // its issue row was written and before its ledger rows were: that transaction must roll back.
    const cutMidway = proxy.cutWhenSent('insert into "ledger"');
    const burst = Array.from({ length: 10 }, (_, i) => i + 2);
    const answers = burst.map((n) => slack.deliverEvent(message(n), { eventId: `EvOUT${n}` }));
    await cutMidway;
    const statuses = (await Promise.all(answers)).map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 200).length).toBeGreaterThan(0);
    const during = await slack.deliverEvent(message(12), { eventId: 'EvOUT12' });
    expect(during.status).toBeGreaterThanOrEqual(500);
    expect(lines.join('\n')).toMatch(/unreachable|could not|Connection terminated|ECONNRESET/i);
    // What Slack was told went wrong is not acknowledged to the customer.
    for (const [i, status] of statuses.entries()) if (status !== 200) expect(acks(burst[i]!)).toHaveLength(0);

    proxy.restore();
    // Slack's retries of everything not answered 200: the first may still meet a reconnecting pool.
    const pending = new Set([...burst.filter((_, i) => statuses[i] !== 200), 12]);
    for (let round = 1; round <= 20 && pending.size > 0; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const n of [...pending]) {
        const answer = await slack.deliverEvent(message(n), {
          eventId: `EvOUT${n}`,
          retryNum: Math.min(round, 3),
        });
        if (answer.status === 200) pending.delete(n);
      }
    }
    expect([...pending]).toEqual([]);
    // Twelve acknowledgements in one channel go out at Slack's pace (a short burst, then about one a
    // second), so the last may come several seconds after the first.
    const deadline = Date.now() + 15_000;
    const all = Array.from({ length: 12 }, (_, i) => i + 1);
    while (all.some((n) => acks(n).length === 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // Every message became exactly one issue, acknowledged once, numbered 1..12 with no gap or repeat.
    for (const n of all) expect(acks(n), `message ${n}`).toHaveLength(1);
    const stored = await withPostgres(async (pool) => {
      const issues = await pool.query<{ number: number; id: string }>(
        `select number, id from ${schema}.issues order by number`,
      );
      const threads = await pool.query<{ issue_id: string }>(`select issue_id from ${schema}.threads`);
      const opened = await pool.query<{ issue_id: string }>(
        `select issue_id from ${schema}.ledger where kind = 'opened'`,
      );
      return {
        numbers: issues.rows.map((row) => Number(row.number)),
        ids: issues.rows.map((row) => row.id).sort(),
        threads: threads.rows.map((row) => row.issue_id).sort(),
        opened: opened.rows.map((row) => row.issue_id).sort(),
      };
    });
    expect(stored.numbers).toEqual(all);
    // Nothing half-way: each issue has its thread and its opening ledger row, and nothing else has.
    expect(stored.threads).toEqual(stored.ids);
    expect(stored.opened).toEqual(stored.ids);
    const subjects = await Promise.all(all.map((n) => heed.core.heed.findIssue(`#${n}`)));
    expect(new Set(subjects.map((issue) => issue?.subject))).toEqual(new Set(all.map((n) => `Problem ${n}`)));
  }, 90_000);
});
