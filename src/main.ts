/**
 * The composition root: the one module that wires the config, the store, the core and the platform
 * adapters together, and the only file under src/ allowed to import adapters (see biome.json).
 * `npm start` runs it; `npm run demo` reuses `startHeed` against the bundled emulators.
 */
import { config as loadDotenv } from 'dotenv';
import { Keyv } from 'keyv';
import { discordReferences } from '../adapters/discord/discord-references.ts';
import { createDiscordAdapter } from '../adapters/discord/index.ts';
import { createSlackAdapter } from '../adapters/slack/index.ts';
import { slackReferences } from '../adapters/slack/slack-references.ts';
import { type RunningCore, startCore } from './boot/start-core.ts';
import { describeStartFailure } from './boot/start-failure.ts';
import { type HeedEnv, parseEnv } from './config/env.ts';
import { loadConfigFile } from './config/load-config.ts';
import type { HeedConfig } from './config/schema.ts';
import { LeaseKeeper } from './coordination/lease.ts';
import type { Clock } from './core/clock.ts';
import { EXIT_CODES } from './core/errors.ts';
import { createDashboard, dashboardHandler } from './dashboard/dashboard-app.ts';
import { DigestScheduler } from './digest/digest-scheduler.ts';
import { createLogger, flushLogger, type Logger } from './logging/logger.ts';
import { HealthCheck } from './observability/health.ts';
import { HeedMetrics } from './observability/heed-metrics.ts';
import {
  type HttpRoute,
  observabilityRoutes,
  type RouteServer,
  startRouteServer,
} from './observability/http.ts';
import { InFlightChatPort } from './observability/in-flight-port.ts';
import type { AlertStep, HeedObserver } from './observability/observer.ts';
import { HandOffNotifier } from './oncall/hand-off-notifier.ts';
import { PlatformRouter } from './ports/platform-router.ts';
import { KeyvTableStore } from './store/keyv-table-store.ts';
import { TtlKeys } from './store/ttl-keys.ts';
import { RetentionJob } from './transcripts/retention-job.ts';

export interface StartOptions {
  readonly env: HeedEnv;
  readonly config: HeedConfig;
  readonly logger: Logger;
  /** Tests and the demo pass a controllable clock; production uses the system clock. */
  readonly clock?: Clock;
  readonly cwd?: string;
}

export interface RunningHeed {
  readonly core: RunningCore;
  readonly slack?: ReturnType<typeof createSlackAdapter>;
  readonly slackPort?: number | undefined;
  readonly discord?: ReturnType<typeof createDiscordAdapter>;
  /** Heed's metrics, served at `GET /metrics`. */
  readonly metrics: HeedMetrics;
  /** The port serving `/healthz` and `/metrics`: Slack's (HTTP mode), `PORT`, or `HEED_METRICS_PORT`. */
  readonly metricsPort: number;
  /** Where the web dashboard answers on this machine (`http://localhost:<port>/dashboard/`). */
  readonly dashboardUrl: string;
  /** The manager digest driver, when the config has `digest`. */
  readonly digest?: DigestScheduler;
  /** Tells people when their on-call starts and ends. */
  readonly handOffs: HandOffNotifier;
  /** Shared mode with Discord: the lease that decides which instance holds the Discord gateway. */
  readonly discordGateway?: LeaseKeeper;
  stop(): Promise<void>;
}

/** Which platforms the environment has complete credentials for; half-set credentials are an error. */
export function platformsIn(env: HeedEnv): { slack: boolean; discord: boolean; problems: string[] } {
  const problems: string[] = [];
  const slackParts = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET].filter(Boolean).length;
  if (slackParts === 1) {
    problems.push('Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (only one is set).');
  }
  const discordParts = [env.DISCORD_TOKEN, env.DISCORD_APPLICATION_ID].filter(Boolean).length;
  if (discordParts === 1) {
    problems.push('Discord needs both DISCORD_TOKEN and DISCORD_APPLICATION_ID (only one is set).');
  }
  return { slack: slackParts === 2, discord: discordParts === 2, problems };
}

/** Shared mode: how long the Discord gateway lease lasts unrenewed (the takeover time after a crash). */
export const DISCORD_LEASE_TTL_MS = 6_000;
/** How often the holder renews it and the other instances try to take it. */
export const DISCORD_LEASE_INTERVAL_MS = 1_500;

/**
 * Starts Heed: the core on its store, then each adapter whose credentials are present, then the SLA
 * scheduler (last, so no alert is due before a platform can carry it). In shared mode (a PostgreSQL
 * store, any number of instances) every instance serves Slack and sends to Discord, and the instance
 * holding the Discord gateway lease also receives from Discord.
 */
export async function startHeed(options: StartOptions): Promise<RunningHeed> {
  const { env, config, logger } = options;
  const platforms = platformsIn(env);
  const router = new PlatformRouter();
  // How people are written on each platform, for commands on either: `/heed link <@U…> discord:…` on Slack.
  const references = [slackReferences, discordReferences];
  const metrics = new HeedMetrics();
  const core = await startCore({
    config,
    storeUrl: env.HEED_STORE_URL,
    coordinationUrl: env.HEED_COORDINATION_URL,
    sqliteSynchronous: env.HEED_SQLITE_SYNCHRONOUS,
    chat: router,
    logger,
    observer: env.HEED_TEST_CRASH_AT ? crashingAt(env.HEED_TEST_CRASH_AT, metrics) : metrics,
    runScheduler: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let slack: RunningHeed['slack'];
  let slackPort: number | undefined;
  let discord: RunningHeed['discord'];
  let discordGateway: LeaseKeeper | undefined;
  const shared = core.coordination.mode === 'postgres';
  // Shared mode: keyv on the store's ttl_keys table, which every instance sees (forms behind buttons,
  // modal origins, the Slack directory). One instance keeps them in memory: there is no one to share with.
  const ttlKeys = shared ? new TtlKeys(core.database) : undefined;
  const keyvLogger = logger.child({ module: 'keyv' });
  const sharedKeys = ttlKeys
    ? (namespace: string) =>
        new Keyv({
          store: new KeyvTableStore(ttlKeys, { logger: keyvLogger }),
          namespace,
          throwOnErrors: true,
        })
    : undefined;
  let routeServer: RouteServer | undefined;
  let metricsPort: number | undefined;
  const health = new HealthCheck({
    store: core.database,
    slack: platforms.slack ? () => slack?.connected ?? false : undefined,
    discord: platforms.discord
      ? () => (discordGateway && !discordGateway.held ? 'standby' : (discord?.connected ?? false))
      : undefined,
    coordination: shared ? core.coordination : undefined,
    logger: logger.child({ module: 'health' }),
  });
  const routes = observabilityRoutes({ health, metrics });
  const web = createDashboard({
    core: core.heed,
    signIn: core.heed.dashboard,
    changes: core.heed.changes,
    logger: logger.child({ module: 'dashboard' }),
    // Discord staff may be staff by role: the dashboard reads their roles again every few minutes.
    ...(platforms.discord
      ? {
          lookups: {
            discord: (person) =>
              discord
                ? discord.currentPerson(person)
                : Promise.reject(new Error('Discord is not started yet')),
          },
        }
      : {}),
  });
  const dashboard: HttpRoute = {
    method: 'GET',
    path: '/dashboard/',
    prefix: true,
    handler: dashboardHandler(web),
  };
  // The dashboard is served beside health and metrics, or on a port of its own.
  if (env.HEED_DASHBOARD_PORT === undefined) routes.push(dashboard);
  let dashboardServer: RouteServer | undefined;
  metrics.watch({
    openIssues: () => core.heed.issues.listOpen(),
    outbox: () => core.heed.outbox.depth(core.heed.clock.now()),
  });
  try {
    if (platforms.slack) {
      slack = createSlackAdapter({
        heed: core.heed,
        botToken: env.SLACK_BOT_TOKEN!,
        signingSecret: env.SLACK_SIGNING_SECRET!,
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        // Socket Mode needs no HTTP server: health and metrics get a server of their own on PORT.
        port: env.SLACK_APP_TOKEN ? undefined : env.PORT,
        logger: logger.child({ module: 'slack', platform: 'slack' }),
        sharedKeys,
        // Shared mode: a retry landing on another instance is recognised (one instance dedupes alone).
        deliveries: core.coordination.deliveries,
        references,
      });
      router.register('slack', slack.chatPort);
      const adapter = slack;
      metrics.watch({ queueDepth: { slack: () => adapter.queueDepth() } });
      const shared = slack.mode === 'http' && env.HEED_METRICS_PORT === undefined;
      if (shared) {
        for (const route of routes) {
          slack.route(route.method, route.path, route.handler, { prefix: route.prefix ?? false });
        }
      }
      slackPort = (await slack.start()).port;
      if (shared) metricsPort = slackPort;
    }
    if (platforms.discord) {
      discord = createDiscordAdapter({
        heed: core.heed,
        token: env.DISCORD_TOKEN!,
        applicationId: env.DISCORD_APPLICATION_ID!,
        ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
        logger: logger.child({ module: 'discord', platform: 'discord' }),
        references,
      });
      const discordPort = new InFlightChatPort(discord.chatPort);
      router.register('discord', discordPort);
      metrics.watch({ queueDepth: { discord: () => discordPort.depth } });
      if (shared) {
        const adapter = discord;
        discordGateway = new LeaseKeeper({
          backend: core.coordination.leases,
          name: 'discord-gateway',
          holder: core.coordination.instanceId,
          ttlMs: DISCORD_LEASE_TTL_MS,
          intervalMs: DISCORD_LEASE_INTERVAL_MS,
          onAcquired: () => adapter.start(),
          onLost: () => adapter.leaveGateway(),
          logger: logger.child({ module: 'discord', platform: 'discord' }),
        });
        discordGateway.start();
      } else {
        await discord.start();
      }
    }
    if (metricsPort === undefined) {
      routeServer = await startRouteServer(routes, {
        port: env.HEED_METRICS_PORT ?? env.PORT,
        logger: logger.child({ module: 'http' }),
      });
      metricsPort = routeServer.port;
    }
    if (env.HEED_DASHBOARD_PORT !== undefined) {
      dashboardServer = await startRouteServer([dashboard], {
        port: env.HEED_DASHBOARD_PORT,
        logger: logger.child({ module: 'http' }),
      });
    }
  } catch (error) {
    await web.close();
    await dashboardServer?.stop().catch(() => undefined);
    await discordGateway?.stop().catch(() => undefined);
    await routeServer?.stop().catch(() => undefined);
    await slack?.stop().catch(() => undefined);
    await discord?.stop().catch(() => undefined);
    await core.stop();
    throw error;
  }
  const dashboardUrl = `http://localhost:${dashboardServer?.port ?? metricsPort}/dashboard/`;
  core.heed.dashboard.serveAt(
    env.HEED_PUBLIC_URL
      ? { baseUrl: env.HEED_PUBLIC_URL, localOnly: false }
      : { baseUrl: new URL('/', dashboardUrl).toString(), localOnly: true },
  );
  // Its first tick also sends what the outbox holds unsent: what a crash cut off, marked late.
  core.heed.scheduler.start();
  const digest = config.digest
    ? new DigestScheduler({
        heed: core.heed,
        database: core.database,
        clock: core.heed.clock,
        logger: logger.child({ module: 'digest' }),
      })
    : undefined;
  digest?.start();
  const handOffs = new HandOffNotifier({
    heed: core.heed,
    database: core.database,
    clock: core.heed.clock,
    logger: logger.child({ module: 'on-call' }),
  });
  handOffs.start();
  const retention = new RetentionJob({
    heed: core.heed,
    database: core.database,
    clock: core.heed.clock,
    logger: logger.child({ module: 'retention' }),
  });
  retention.start();
  logger.info(
    {
      slack: platforms.slack,
      discord: platforms.discord,
      slackPort,
      metricsPort,
      dashboard: env.HEED_PUBLIC_URL ?? dashboardUrl,
      mode: shared ? 'shared' : 'single',
      instance: core.coordination.instanceId,
    },
    'Heed is running',
  );
  return {
    core,
    ...(slack ? { slack, slackPort } : {}),
    ...(discord ? { discord } : {}),
    metrics,
    metricsPort,
    dashboardUrl,
    ...(digest ? { digest } : {}),
    handOffs,
    ...(discordGateway ? { discordGateway } : {}),
    async stop() {
      await digest?.stop();
      await handOffs.stop();
      await retention.stop();
      await core.heed.scheduler.stop();
      // Released at once, so another instance takes the gateway without waiting for the lease to lapse.
      await discordGateway?.stop();
      // Open event streams first: a server closing waits for every response still open.
      await web.close();
      await routeServer?.stop();
      await dashboardServer?.stop();
      await slack
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'Slack adapter did not stop cleanly'));
      await discord
        ?.stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'Discord adapter did not stop cleanly'));
      await core.stop();
    },
  };
}

const NO_CREDENTIALS = `Heed needs credentials for Slack and/or Discord to run for real:
  Slack:   SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (optional SLACK_APP_TOKEN for Socket Mode)
  Discord: DISCORD_TOKEN and DISCORD_APPLICATION_ID
Put them in the environment or in a .env file (see .env.example and the README).

To see Heed at work without any credentials, run:  npm run demo
(the real bot against the bundled Slack and Discord emulators, playing a day of support).`;

/** `npm start` (through the process entry, main.ts): friendly messages and exit codes instead of stack traces. */
export async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let env: HeedEnv;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(EXIT_CODES.configuration);
  }
  const platforms = platformsIn(env);
  if (platforms.problems.length > 0) {
    console.error(platforms.problems.join('\n'));
    process.exit(EXIT_CODES.configuration);
  }
  if (!platforms.slack && !platforms.discord) {
    console.error(NO_CREDENTIALS);
    process.exit(EXIT_CODES.configuration);
  }
  const logger = createLogger({
    level: env.LOG_LEVEL,
    pretty: env.NODE_ENV !== 'production' && process.stdout.isTTY,
  });
  // Listening before start-up: a SIGTERM while Heed starts (a deploy, a quick Ctrl-C) waits for the start
  // to finish and then stops cleanly, instead of killing it halfway. A second signal kills at once.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let running: RunningHeed;
  try {
    const config = loadConfigFile(env.HEED_CONFIG);
    running = await startHeed({ env, config, logger });
  } catch (error) {
    // One clean message on the terminal; the stack only in the debug log.
    logger.debug({ err: error }, 'Heed could not start');
    const failure = describeStartFailure(error, { storeUrl: env.HEED_STORE_URL });
    await flushLogger(logger);
    console.error(failure.message);
    process.exit(failure.exitCode);
  }
  const signal = await signalled;
  logger.info({ signal }, 'stopping');
  await running.stop();
  await flushLogger(logger);
  process.exit(EXIT_CODES.stopped);
}

/** Tests only (`HEED_TEST_CRASH_AT`): the metrics, plus a SIGKILL of this process at one alert step. */
function crashingAt(step: AlertStep, metrics: HeedMetrics): HeedObserver {
  return {
    issueSaved: (issue, events) => metrics.issueSaved(issue, events),
    messageHandled: (platform, outcome, seconds) => metrics.messageHandled(platform, outcome, seconds),
    caughtUp: (platform, messages) => metrics.caughtUp(platform, messages),
    slaTicked: (report) => metrics.slaTicked(report),
    alertStep: (reached) => {
      if (reached === step) process.kill(process.pid, 'SIGKILL');
    },
  };
}
