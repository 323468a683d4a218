import { Client, Events, GatewayIntentBits, Partials, type RateLimitData, Status } from 'discord.js';
import type { Logger } from '../../src/logging/logger.ts';
import type { ChatPort } from '../../src/ports/chat-port.ts';
import type { InboundPort, PersonFacts } from '../../src/ports/inbound-port.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';
import { DiscordChatPort } from './discord-chat-port.ts';
import { DiscordHistory } from './discord-history.ts';
import { discordReferences } from './discord-references.ts';
import { FormRegistry } from './forms.ts';
import { MessageIntake } from './intake.ts';
import { InteractionHandler } from './interactions.ts';
import { currentPerson } from './people.ts';
import { explainDiscordStartFailure } from './start-errors.ts';

export interface DiscordAdapterOptions {
  /** The core, as adapters see it. */
  readonly heed: InboundPort;
  /** The bot token (Bot page of the developer portal). Never logged. */
  readonly token: string;
  readonly applicationId: string;
  /** Another REST base (`DISCORD_API_URL`, e.g. an emulator): discord.js appends `/v10`. */
  readonly apiUrl?: string | undefined;
  readonly logger: Logger;
  /**
   * How people are written on every platform Heed knows (the composition root passes each adapter's
   * parser), so `/heed link <@…> slack:U…` reads both; default: Discord's only.
   */
  readonly references?: readonly ReferenceParser[] | undefined;
}

/** Heed on Discord: register `chatPort` on the PlatformRouter under 'discord', then `start()`. */
export interface DiscordAdapter {
  readonly chatPort: ChatPort;
  /** True while the gateway session is up. */
  readonly connected: boolean;
  /** Logs in; resolves once the client is ready (every guild received). */
  start(): Promise<void>;
  /**
   * Leaves the gateway but keeps sending over REST (shared mode: another instance holds the gateway,
   * this one still posts alerts and replies). `start()` may connect again later.
   */
  leaveGateway(): Promise<void>;
  /**
   * The person as Discord describes them now (their roles read afresh over REST, with or without a
   * gateway session), for access checks made away from an interaction (the web dashboard). Throws when
   * Discord cannot say.
   */
  currentPerson(person: PersonFacts): Promise<PersonFacts>;
  stop(): Promise<void>;
}

/** Only what Heed reads: guilds and channels, guild messages with their content, and DMs. */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
] as const;

/**
 * Builds the Discord adapter: a discord.js gateway client whose messages go to the core's intake and
 * whose interactions run commands and card buttons, plus the ChatPort the core sends through.
 * Commands are deployed by `manifest/discord/deploy-commands.ts`, never at start-up.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  // The composition root may hand in a logger already bound to this adapter; bind it once only.
  const logger =
    options.logger.bindings().platform === 'discord'
      ? options.logger
      : options.logger.child({ module: 'discord', platform: 'discord' });
  const clientOptions = {
    intents: [...DISCORD_INTENTS],
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: { parse: [], repliedUser: false },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  };
  // Discord answered 429, or a bucket is empty: discord.js waits and retries; the route is logged, never the token.
  const watchRateLimits = (client: Client) =>
    client.rest.on('rateLimited', (data: RateLimitData) =>
      logger.warn(
        {
          route: data.route,
          method: data.method,
          retryAfter: data.retryAfter,
          global: data.global,
          scope: data.scope,
        },
        'Discord rate limit: waiting before the next request',
      ),
    );
  // REST works without the gateway: between gateway sessions (shared mode, another instance holds the
  // gateway) Heed still sends through this client.
  const restClient = new Client(clientOptions);
  restClient.rest.setToken(options.token);
  watchRateLimits(restClient);
  let gateway: Client | undefined;

  const forms = new FormRegistry();
  const chatPort = new DiscordChatPort(() => gateway ?? restClient, forms);
  const intake = new MessageIntake(options.heed, logger);
  const history = new DiscordHistory({
    client: () => gateway ?? restClient,
    supportChannels: () => new Set(options.heed.intakeChannels('discord')),
    logger,
  });
  // Discord replays nothing after a fresh IDENTIFY: each new session (start, a session that could not
  // resume, taking the gateway over from another instance) reads back what was written meanwhile.
  const catchUp = (reason: string) => {
    void options.heed.catchUp(history, reason).catch((error: unknown) => {
      logger.error(
        { err: error, reason },
        'could not catch up on Discord messages; the next session tries again',
      );
    });
  };

  /** A gateway session gets a client of its own: a destroyed discord.js client does not log in again. */
  function gatewayClient(): Client {
    const client = new Client(clientOptions);
    client.rest.setToken(options.token);
    watchRateLimits(client);
    const interactions = new InteractionHandler({
      heed: options.heed,
      client,
      forms,
      context: chatPort.context,
      logger,
      references: options.references ?? [discordReferences],
    });
    client.on(Events.MessageCreate, (message) => void intake.handle(message));
    // Edits and deletions of customers' messages; with Partials.Message these come for uncached ones too.
    client.on(Events.MessageUpdate, (_before, after) => {
      void (async () => {
        const message = after.partial ? await after.fetch().catch(() => undefined) : after;
        if (message) await intake.changed(message);
      })();
    });
    client.on(
      Events.MessageDelete,
      (message) =>
        void intake.deleted({ id: message.id, guildId: message.guildId, channel: message.channel ?? null }),
    );
    client.on(Events.InteractionCreate, (interaction) => void interactions.handle(interaction));
    client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
    client.on(Events.ShardReconnecting, () => logger.info('gateway reconnecting'));
    client.on(Events.ShardDisconnect, (event) =>
      logger.warn({ code: event.code }, 'gateway disconnected for good'),
    );
    client.on(Events.ShardResume, (_shard, replayed) => logger.info({ replayed }, 'gateway resumed'));
    client.on(Events.ShardReady, () => catchUp('gateway session started'));
    client.once(Events.ClientReady, (ready) => {
      if (ready.application.id !== options.applicationId) {
        logger.warn(
          { expected: options.applicationId, actual: ready.application.id },
          'DISCORD_APPLICATION_ID does not match the token',
        );
      }
      logger.info({ user: ready.user.id, guilds: ready.guilds.cache.size }, 'Discord ready');
    });
    return client;
  }

  let started: Promise<void> | undefined;
  const leave = async () => {
    started = undefined;
    const client = gateway;
    gateway = undefined;
    await client?.destroy();
  };
  return {
    chatPort,
    get connected() {
      const client = gateway;
      return (
        client?.isReady() === true &&
        client.ws.shards.size > 0 &&
        client.ws.shards.every((shard) => shard.status === Status.Ready)
      );
    },
    start() {
      started ??= (async () => {
        const client = gatewayClient();
        gateway = client;
        const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
        await client.login(options.token);
        await ready;
      })().catch(async (error: unknown) => {
        await leave();
        throw explainDiscordStartFailure(error, options.apiUrl);
      });
      return started;
    },
    async leaveGateway() {
      await leave();
      logger.info('left the Discord gateway; sending over REST only');
    },
    currentPerson(person) {
      return currentPerson(gateway ?? restClient, person.id, person.name);
    },
    async stop() {
      await leave();
      await restClient.destroy();
    },
  };
}
