import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DISCORD, SLACK, startDiscord, startSlack } from '../../demo/workspace.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadConfigFile } from '../../src/config/load-config.ts';
import type { HeedConfig } from '../../src/config/schema.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type RunningHeed, startHeed } from '../../src/main.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import type { DiscordEmulator } from '../emulators/discord/index.ts';
import { type SlackEmulator, startSlackEmulator } from '../emulators/slack/index.ts';

const APP_TOKEN = 'xapp-1-heed-metrics-test';
const config = loadConfigFile(join(import.meta.dirname, '../../heed.config.example.yaml'));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Started {
  readonly heed: RunningHeed;
  readonly slack?: SlackEmulator;
  readonly discord?: DiscordEmulator;
}

/** Emulators and the real composition root on a temp SQLite store, PORT 0. */
async function start(options: {
  slack?: 'http' | 'socket';
  discord?: boolean;
  env?: Record<string, string>;
  config?: HeedConfig;
  clock?: FakeClock;
}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'heed-obs-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  let slack: SlackEmulator | undefined;
  if (options.slack === 'http') slack = await startSlack();
  if (options.slack === 'socket') {
    slack = await startSlackEmulator({
      signingSecret: SLACK.signingSecret,
      botToken: SLACK.botToken,
      appToken: APP_TOKEN,
      socketMode: true,
      botUserId: SLACK.botUserId,
      botId: SLACK.botId,
      channels: [{ id: SLACK.customerChannel, name: 'bigco-support' }],
    });
  }
  if (slack) {
    const emulator = slack;
    cleanups.push(() => emulator.close());
  }
  const discord = options.discord ? await startDiscord() : undefined;
  if (discord) cleanups.push(() => discord.close());
  const env = parseEnv({
    ...(slack
      ? {
          SLACK_BOT_TOKEN: SLACK.botToken,
          SLACK_SIGNING_SECRET: SLACK.signingSecret,
          SLACK_API_URL: slack.apiUrl,
          ...(options.slack === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
        }
      : {}),
    ...(discord
      ? {
          DISCORD_TOKEN: DISCORD.token,
          DISCORD_APPLICATION_ID: DISCORD.applicationId,
          DISCORD_API_URL: discord.apiUrl,
        }
      : {}),
    HEED_STORE_URL: `sqlite://${join(dir, 'heed.sqlite')}`,
    PORT: '0',
    ...options.env,
  });
  const clock = options.clock ?? new FakeClock(Date.parse('2026-11-23T10:00:00+01:00'));
  const heed = await startHeed({ env, config: options.config ?? config, clock, logger: silentLogger() });
  cleanups.push(() => heed.stop());
  await heed.core.heed.caughtUp();
  if (options.slack === 'http') slack?.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);
  return { heed, ...(slack ? { slack } : {}), ...(discord ? { discord } : {}) };
}

async function get(port: number, path: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('GET /healthz and GET /metrics over HTTP', () => {
  it('serves both on the Slack port beside /slack/events, with Slack and Discord connected', async () => {
    const { heed, slack } = await start({ slack: 'http', discord: true });
    expect(heed.metricsPort).toBe(heed.slackPort);

    const health = await get(heed.metricsPort, '/healthz');
    expect(health.status).toBe(200);
    expect(health.type).toMatch(/^application\/json/);
    expect(JSON.parse(health.body)).toEqual({
      status: 'ok',
      store: 'ok',
      slack: 'connected',
      discord: 'connected',
      coordination: 'none',
    });

    // A customer writes on Slack: an issue opens, then the scrape shows it.
    const answer = await slack!.deliverEvent(
      slack!.messageEvent({
        channel: SLACK.customerChannel,
        user: SLACK.dana,
        text: 'Our dashboard is down',
        ts: `${Math.floor(Date.now() / 1000)}.000100`,
        userTeam: SLACK.bigco,
      }),
    );
    expect(answer.status).toBe(200);
    // Slack is answered once the issue is stored; the handling ends when the acknowledgement and card are sent.
    await slack!.waitForCall('chat.postMessage', (call) => call.args.channel === SLACK.teamChannel);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await get(heed.metricsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = metrics.body;
    expect(text).toContain('# TYPE heed_open_issues gauge');
    expect(text).toContain('heed_open_issues{team="support",priority="urgent",status="new"} 1');
    expect(text).toContain('heed_event_handling_seconds_count{platform="slack",outcome="opened"} 1');
    expect(text).toMatch(/^heed_outbound_queue_depth\{platform="slack"\} \d+$/m);
    expect(text).toMatch(/^heed_outbound_queue_depth\{platform="discord"\} \d+$/m);
    expect(text).toContain('heed_up 1');
    expect(text).toMatch(/^heed_start_time_seconds \d{10}$/m);
    // prom-client's default process metrics replace the hand-made RSS gauge.
    expect(text).toMatch(/^heed_process_resident_memory_bytes \d+$/m);
    for (const family of [
      'heed_sla_breaches_total counter',
      'heed_nags_sent_total counter',
      'heed_first_response_seconds histogram',
      'heed_event_handling_seconds histogram',
      'heed_sla_alert_lateness_seconds histogram',
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    // Every line is well formed (the format allows empty lines between families).
    for (const line of text
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-z_][a-z0-9_]* .+|[a-z_][a-z0-9_]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? \S+)$/,
      );
    }
    expect((await get(heed.metricsPort, '/nope')).status).toBe(404);
  });

  it('answers 503 naming the failing part when the store is closed or an adapter disconnects', async () => {
    const { heed } = await start({ slack: 'http', discord: true });
    await heed.discord!.stop();
    const disconnected = await get(heed.metricsPort, '/healthz');
    expect(disconnected.status).toBe(503);
    expect(JSON.parse(disconnected.body)).toEqual({
      status: 'failing',
      store: 'ok',
      slack: 'connected',
      discord: 'disconnected',
      coordination: 'none',
    });
    await heed.core.database.close();
    const broken = await get(heed.metricsPort, '/healthz');
    expect(broken.status).toBe(503);
    expect(JSON.parse(broken.body)).toMatchObject({ status: 'failing', store: 'failing' });
    // Metrics keep answering: they are what tells you why.
    expect((await get(heed.metricsPort, '/metrics')).status).toBe(200);
  });

  it('moves both to a server of their own with HEED_METRICS_PORT, and stops it on stop()', async () => {
    const { heed } = await start({ slack: 'http', discord: true, env: { HEED_METRICS_PORT: '0' } });
    expect(heed.metricsPort).not.toBe(heed.slackPort);
    expect((await get(heed.metricsPort, '/healthz')).status).toBe(200);
    expect((await get(heed.metricsPort, '/metrics')).body).toContain('heed_up 1');
    expect((await get(heed.slackPort!, '/healthz')).status).toBe(404);
    expect((await get(heed.metricsPort, '/slack/events')).status).toBe(404);
    await heed.stop();
    await expect(fetch(`http://127.0.0.1:${heed.metricsPort}/healthz`)).rejects.toThrow();
  });

  it('serves them on PORT when only Discord runs (Slack disabled)', async () => {
    const { heed } = await start({ discord: true });
    expect(heed.slackPort).toBeUndefined();
    const health = await get(heed.metricsPort, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({
      status: 'ok',
      store: 'ok',
      slack: 'disabled',
      discord: 'connected',
      coordination: 'none',
    });
  });

  it('serves them on a server of their own when Slack uses Socket Mode', async () => {
    const { heed, slack } = await start({ slack: 'socket' });
    await slack!.waitForSocket();
    expect(heed.slackPort).toBeUndefined();
    const health = await get(heed.metricsPort, '/healthz');
    expect(JSON.parse(health.body)).toEqual({
      status: 'ok',
      store: 'ok',
      slack: 'connected',
      discord: 'disabled',
      coordination: 'none',
    });
    expect(health.status).toBe(200);
    await slack!.dropSocket();
    await expect
      .poll(async () => JSON.parse((await get(heed.metricsPort, '/healthz')).body).slack, { timeout: 5_000 })
      .not.toBe('connected');
  });
});

describe('the manager digest in the running server', () => {
  it('starts with Heed and DMs the managers on Slack and Discord at the digest time', async () => {
    const clock = new FakeClock(Date.parse('2026-11-23T08:59:00+01:00'));
    const { heed, slack, discord } = await start({
      slack: 'http',
      discord: true,
      clock,
      config: { ...config, digest: { every: 'daily', at: '09:00', calendar: 'office' } },
    });
    expect(heed.digest).toBeDefined();
    expect(await heed.digest!.nextAt()).toBe(Date.parse('2026-11-23T09:00:00+01:00'));
    clock.set(Date.parse('2026-11-23T09:00:00+01:00'));
    await heed.digest!.tick();
    await expect
      .poll(() =>
        slack!.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('daily digest')),
      )
      .toHaveLength(2);
    await expect
      .poll(() =>
        discord!
          .callsTo('POST /channels/:id/messages')
          .filter((c) => JSON.stringify(c.body).includes('daily digest')),
      )
      .toHaveLength(1);
    await heed.digest!.tick();
    expect(
      slack!.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('daily digest')),
    ).toHaveLength(2);
  });

  it('is not started without a digest config', async () => {
    const { heed } = await start({ discord: true });
    expect(heed.digest).toBeUndefined();
  });
});

describe('HEED_METRICS_PORT', () => {
  it('is validated with the environment', () => {
    expect(parseEnv({ HEED_METRICS_PORT: '9464' }).HEED_METRICS_PORT).toBe(9464);
    expect(parseEnv({}).HEED_METRICS_PORT).toBeUndefined();
    expect(() => parseEnv({ HEED_METRICS_PORT: 'metrics' })).toThrow(/HEED_METRICS_PORT/);
    expect(() => parseEnv({ HEED_METRICS_PORT: '70000' })).toThrow(/HEED_METRICS_PORT/);
  });
});
