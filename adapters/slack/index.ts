import type { Server } from 'node:http';
import { App, type Receiver, webApi } from '@slack/bolt';
import type { Keyv } from 'keyv';
import type { DeliveryDedupe } from '../../src/coordination/coordination.ts';
import { credentialsRefused } from '../../src/core/errors.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { InboundPort } from '../../src/ports/inbound-port.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';
import { registerActions } from './action-listeners.ts';
import { boltLogger } from './bolt-logger.ts';
import { ChannelQueue } from './channel-queue.ts';
import { registerCommand } from './command-listener.ts';
import { EventGate } from './event-gate.ts';
import { FormRegistry } from './form-registry.ts';
import type { SlackSelf } from './from-slack.ts';
import { type HomeRefreshOptions, SlackHome } from './home.ts';
import { type RouteHandler, SlackHttpReceiver } from './http-receiver.ts';
import { registerIntake } from './intake-listener.ts';
import { SLACK_EVENTS_PATH } from './requirements.ts';
import { SlackChatPort, slackRetryAfter } from './slack-chat-port.ts';
import { SlackHistory } from './slack-history.ts';
import { slackReferences } from './slack-references.ts';
import { SlackSocketReceiver } from './socket-receiver.ts';
import { explainStartFailure } from './start-errors.ts';
import { UserDirectory } from './user-directory.ts';

export type { RouteHandler } from './http-receiver.ts';
export { BOT_EVENTS, BOT_SCOPES, SLACK_EVENTS_PATH } from './requirements.ts';
export { SlackChatPort } from './slack-chat-port.ts';

/** How the Web API client retries 5xx and network errors (429s are retried per channel by the queue). */
export type SlackRetryConfig = webApi.RetryOptions;

/** Bounded retries for production: a failing call never holds a channel for long. */
export const DEFAULT_RETRY_CONFIG: SlackRetryConfig = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5_000,
  randomize: true,
};

export interface SlackAdapterOptions {
  /** The core, as adapters see it. */
  readonly heed: InboundPort;
  /** `SLACK_BOT_TOKEN` (xoxb-…). */
  readonly botToken: string;
  /** `SLACK_SIGNING_SECRET`; verifies HTTP requests. */
  readonly signingSecret: string;
  /** `SLACK_APP_TOKEN` (xapp-…): when set, Heed connects over Socket Mode instead of listening for HTTP. */
  readonly appToken?: string | undefined;
  /** `SLACK_API_URL`: another Web API base (an emulator); Socket Mode's `apps.connections.open` goes there too. */
  readonly apiUrl?: string | undefined;
  /** `PORT`: HTTP port (default 3000, 0 for any). In Socket Mode the server only starts when a port is given. */
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  /** Heed's logger (the composition root binds `module`/`platform`); tokens and bodies are never logged. */
  readonly logger: Logger;
  readonly retryConfig?: SlackRetryConfig | undefined;
  /** The slash command (default `/heed`). */
  readonly command?: string | undefined;
  /** Attempts per outbound call when Slack rate-limits its channel (default 5). */
  readonly maxSendAttempts?: number | undefined;
  /** Socket Mode ping timeout (ms), mostly for tests. */
  readonly socketPingTimeoutMs?: number | undefined;
  /**
   * Shared mode: a keyv per namespace that every instance sees (the composition root keeps them on the
   * store's `ttl_keys` table). The forms behind buttons, where each modal was opened from, and the user
   * directory are then written there too, so a click, a submission or a lookup on another instance finds
   * them. Without it (one instance) they stay in this process's memory.
   */
  readonly sharedKeys?: ((namespace: string) => Keyv) | undefined;
  /**
   * How people are written on every platform Heed knows (the composition root passes each adapter's
   * parser), so `/heed link <@U…> discord:…` reads both; default: Slack's only.
   */
  readonly references?: readonly ReferenceParser[] | undefined;
  /** Shared mode: the Events API delivery dedupe every instance shares (the coordination's). */
  readonly deliveries?: DeliveryDedupe | undefined;
  /** How often the App Home is published again after changes (defaults suit Slack's limits). */
  readonly home?: HomeRefreshOptions | undefined;
}

/** Heed on Slack: the Bolt app (built at start), its receiver, and the outbound port the core sends through. */
export interface SlackAdapter {
  readonly mode: 'http' | 'socket';
  /** The outbound port: the composition root registers it on the core's PlatformRouter under 'slack'. */
  readonly chatPort: SlackChatPort;
  /** The node HTTP server (Slack endpoint in HTTP mode; extra routes in both modes). */
  readonly httpServer: Server;
  /** Adds a route to the HTTP server, e.g. `GET /healthz` or `GET /metrics`. */
  route(method: string, path: string, handler: RouteHandler, options?: { prefix?: boolean }): void;
  /** Outbound Slack calls waiting or in flight. */
  queueDepth(): number;
  /** Started and reachable: listening for HTTP requests, or the Socket Mode websocket is open. */
  readonly connected: boolean;
  /** Checks the bot token, then listens (HTTP) or connects (Socket Mode). Returns the bound HTTP port. */
  start(): Promise<{ port?: number }>;
  /** Refuses new requests, disconnects, and waits (briefly) for queued messages to go out. */
  stop(): Promise<void>;
}

const INLINE_REPLY_MS = 2_000;
const DRAIN_ON_STOP_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;

/** Builds the Slack adapter; start the core before this, and register `chatPort` before `start()`. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { logger, heed } = options;
  const bolt = boltLogger(logger);
  const socketMode = options.appToken !== undefined && options.appToken !== '';
  const clientOptions: webApi.WebClientOptions = {
    ...(options.apiUrl
      ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }
      : {}),
    retryConfig: options.retryConfig ?? DEFAULT_RETRY_CONFIG,
    // A 429 must not pause the whole client: the channel queue waits for that channel only.
    rejectRateLimitedCalls: true,
    timeout: REQUEST_TIMEOUT_MS,
    logger: bolt,
  };
  const client = new webApi.WebClient(options.botToken, clientOptions);
  const gate = new EventGate({ shared: options.deliveries });
  const http = new SlackHttpReceiver({
    signingSecret: options.signingSecret,
    gate,
    logger,
    endpoint: socketMode ? undefined : SLACK_EVENTS_PATH,
  });
  const receiver: Receiver & { start(): Promise<unknown>; stop(): Promise<unknown> } =
    socketMode && options.appToken
      ? new SlackSocketReceiver({
          appToken: options.appToken,
          gate,
          logger,
          boltLogger: bolt,
          clientOptions,
          clientPingTimeoutMs: options.socketPingTimeoutMs,
        })
      : http;
  const queue = new ChannelQueue({
    logger,
    retryAfterOf: slackRetryAfter,
    ...(options.maxSendAttempts !== undefined ? { maxAttempts: options.maxSendAttempts } : {}),
  });
  const forms = new FormRegistry({ shared: options.sharedKeys?.('slack-forms'), logger });
  const chatPort = new SlackChatPort({ client, queue, forms, logger, workspaceUrl: () => workspaceUrl });
  let homeTeamId: string | undefined;
  let workspaceUrl: string | undefined;
  const users = new UserDirectory({
    client,
    logger,
    homeTeamId: () => homeTeamId,
    shared: options.sharedKeys?.('slack-directory'),
  });
  const home = new SlackHome({ heed, client, logger, options: options.home });
  let self: SlackSelf = {};
  const history = new SlackHistory({ client, users, self: () => self, logger });
  // Reads back what customers wrote while Heed was not listening; failures are logged, never thrown.
  const catchUp = (reason: string) => {
    void heed.catchUp(history, reason).catch((error: unknown) => {
      logger.error(
        { err: error, reason },
        'could not catch up on Slack messages; the next start or reconnect tries again',
      );
    });
  };
  if (receiver instanceof SlackSocketReceiver) receiver.onConnected(() => catchUp('socket mode connected'));

  // The Bolt app is built once the token is verified, with the bot's identity, so Bolt makes no
  // `auth.test` of its own (a bad token would otherwise surface as an unhandled rejection).
  function buildApp(identity: BotIdentity): void {
    const app = new App({
      token: options.botToken,
      botId: identity.botId,
      botUserId: identity.botUserId,
      receiver,
      logger: bolt,
      clientOptions,
      ignoreSelf: true,
    });
    // Listeners handle their own failures; anything else is rethrown so the receiver answers "retry".
    app.error(async (error) => {
      throw error;
    });
    registerIntake(app, { heed, users, logger });
    registerCommand(app, {
      heed,
      chat: chatPort,
      logger,
      command: options.command ?? '/heed',
      inlineReplyMs: INLINE_REPLY_MS,
      references: options.references ?? [slackReferences],
    });
    registerActions(app, { heed, chat: chatPort, logger, forms, client, home });
    home.register(app);
  }

  let built = false;
  let started = false;
  return {
    mode: socketMode ? 'socket' : 'http',
    chatPort,
    httpServer: http.server,
    route: (method, path, handler, options) => http.route(method, path, handler, options),
    queueDepth: () => queue.depth,
    get connected() {
      if (!started) return false;
      return receiver instanceof SlackSocketReceiver ? receiver.connected : http.server.listening;
    },
    async start() {
      if (!built) {
        const identity = await verifyToken(client, options.apiUrl, logger);
        homeTeamId = identity.teamId;
        workspaceUrl = identity.url;
        self = { botId: identity.botId, botUserId: identity.botUserId };
        buildApp(identity);
        built = true;
      }
      if (socketMode) {
        await receiver.start().catch((error: unknown) => {
          throw explainStartFailure(error, 'SLACK_APP_TOKEN', options.apiUrl);
        });
        started = true;
        logger.info('connected to Slack over Socket Mode');
        if (options.port === undefined) return {};
        await http.start(options.port, options.host);
        return http.port === undefined ? {} : { port: http.port };
      }
      await http.start(options.port ?? 3000, options.host);
      started = true;
      logger.info({ port: http.port, path: SLACK_EVENTS_PATH }, 'listening for Slack requests');
      catchUp('start');
      return http.port === undefined ? {} : { port: http.port };
    },
    async stop() {
      home.stop();
      await http.stop();
      if (socketMode && started) await receiver.stop();
      started = false;
      const drained = await Promise.race([
        queue.idle().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), DRAIN_ON_STOP_MS).unref()),
      ]);
      if (!drained) logger.warn({ pending: queue.depth }, 'stopped with Slack messages still queued');
    },
  };
}

interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
  readonly teamId: string | undefined;
  /** The workspace's address (`https://acme.slack.com/`), from which Heed builds thread links. */
  readonly url: string | undefined;
}

async function verifyToken(
  client: webApi.WebClient,
  apiUrl: string | undefined,
  logger: Logger,
): Promise<BotIdentity> {
  let who: webApi.AuthTestResponse;
  try {
    who = await client.auth.test();
  } catch (error) {
    throw explainStartFailure(error, 'SLACK_BOT_TOKEN', apiUrl);
  }
  if (!who.bot_id || !who.user_id) {
    throw credentialsRefused(
      "SLACK_BOT_TOKEN is not a bot token (auth.test named no bot): copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
    );
  }
  logger.info({ team: who.team_id, botUser: who.user_id }, 'Slack bot token accepted');
  return { botId: who.bot_id, botUserId: who.user_id, teamId: who.team_id, url: who.url };
}
