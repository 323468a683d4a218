import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.ts';
import { CommandRegistry } from './commands.ts';
import type { EmulatorCore } from './core.ts';
import { type FailHttpOptions, FaultQueue, type RateLimitOptions } from './faults.ts';
import { Gateway } from './gateway.ts';
import { createRestHandler } from './http-server.ts';
import {
  type AutocompleteInput,
  autocomplete,
  buttonPress,
  type ComponentInput,
  type ModalSubmitInput,
  modalSubmit,
  type SlashCommandInput,
  selectMenu,
  slashCommand,
} from './interaction-helpers.ts';
import { type InteractionRecord, InteractionRegistry } from './interaction-registry.ts';
import type { JsonObject } from './objects.ts';
import { RouteLimiter } from './rate-limits.ts';
import type { RouteDef } from './router.ts';
import { channelRoutes } from './routes-channels.ts';
import { coreRoutes } from './routes-core.ts';
import { interactionRoutes } from './routes-interactions.ts';
import { threadRoutes } from './routes-threads.ts';
import { DiscordStore } from './store.ts';
import type {
  DiscordEmulatorOptions,
  DispatchPayload,
  IdentifyRecord,
  InteractionPromise,
  RecordedCall,
  RouteMatcher,
  StoredMessage,
} from './types.ts';
import {
  addMember,
  addReaction,
  archiveThread,
  createForumPost,
  createUserThread,
  deleteMessage,
  editMessage,
  type ForumPostInput,
  sendDirectMessage,
  sendMessage,
  type UserMessageInput,
  type UserThreadInput,
  updateMember,
} from './user-events.ts';

/** A running Discord emulator: REST under `apiUrl`, gateway at `gatewayUrl`, plus test controls. */
export interface DiscordEmulator {
  /** Pass as `rest: { api }` to discord.js (it appends `/v10`). */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly port: number;

  /** Every REST call, oldest first. */
  readonly calls: readonly RecordedCall[];
  callsTo(route: RouteMatcher): RecordedCall[];
  /** First matching call, already recorded or future; rejects after timeoutMs (default 5000). */
  waitForCall(
    route: RouteMatcher,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  clearCalls(): void;
  /** Stored messages of a channel, oldest first (ephemeral interaction replies included, flags 64). */
  messages(channelId: string): StoredMessage[];
  message(messageId: string): StoredMessage | undefined;
  /** A channel, thread or DM channel in wire form. */
  channel(channelId: string): JsonObject | undefined;
  /** Registered application commands (global when guildId is omitted). */
  commands(guildId?: string): JsonObject[];
  /** Interactions dispatched so far, with their callbacks. */
  interactions(): InteractionRecord[];

  /** Answers the next `times` matching requests with 429 (honoured and retried by @discordjs/rest). */
  rateLimit(options: RateLimitOptions): void;
  /** Answers the next `times` matching requests with an HTTP error. */
  failHttp(options: FailHttpOptions): void;
  clearFaults(): void;
  /** Empties every rate-limit window (`rateLimits` option): the next requests start a fresh one. */
  resetRateLimits(): void;

  /** True while a session is live on an open gateway socket. */
  readonly connected: boolean;
  readonly identifyCount: number;
  readonly resumeCount: number;
  readonly heartbeatCount: number;
  readonly identifies: readonly IdentifyRecord[];
  readonly sessionId: string | null;
  /** Dispatches made while no session existed: lost, as on Discord. */
  readonly undelivered: readonly DispatchPayload[];
  /** Close codes of finished gateway connections, whichever side closed them. */
  readonly closeCodes: readonly number[];
  /**
   * Resolves once the emulator has sent READY + GUILD_CREATEs or RESUMED on an open socket (default
   * timeout 10000 ms); discord.js emits ClientReady a moment later, so wait for that in client tests.
   */
  waitForReady(timeoutMs?: number): Promise<void>;
  /** Closes the gateway socket (default 4000: the client resumes; 1000 makes it re-identify). */
  dropConnection(code?: number): void;
  /** Sends op 9 INVALID_SESSION (default not resumable: the client re-identifies). */
  invalidateSession(resumable?: boolean): void;
  /** Sends op 7 RECONNECT. */
  requestReconnect(): void;
  dispatchRaw(t: string, d: unknown): DispatchPayload;
  /** Delivers a dispatch again (new sequence number; `sameSequence` re-sends the identical frame). */
  redispatch(payload: DispatchPayload, options?: { sameSequence?: boolean }): DispatchPayload;

  /**
   * A user posts in a channel or thread: stored (so `GET /channels/{id}/messages` lists it), then
   * MESSAGE_CREATE; with no gateway session (the bot is down) the dispatch is lost, as on Discord, and
   * lands in `undelivered`.
   */
  sendMessage(input: UserMessageInput): DispatchPayload;
  sendDirectMessage(input: { authorId: string; content: string; id?: string }): DispatchPayload;
  editMessage(input: {
    channelId: string;
    messageId: string;
    content: string;
    embeds?: unknown[];
  }): DispatchPayload;
  deleteMessage(input: { channelId: string; messageId: string }): DispatchPayload;
  addReaction(input: {
    channelId: string;
    messageId: string;
    userId: string;
    emoji: string;
  }): DispatchPayload;
  createThread(input: UserThreadInput): JsonObject;
  createForumPost(input: ForumPostInput): { thread: JsonObject; message: DispatchPayload };
  /** Archives (or with `archived: false` reopens) a thread, as Discord's auto-archive does: THREAD_UPDATE. */
  archiveThread(input: { threadId: string; archived?: boolean }): DispatchPayload;
  addMember(input: {
    guildId: string;
    user: { id: string; username: string; globalName?: string; bot?: boolean };
    roles?: string[];
  }): DispatchPayload;
  updateMember(input: {
    guildId: string;
    userId: string;
    roles?: string[];
    nick?: string | null;
  }): DispatchPayload;

  slashCommand(input: SlashCommandInput): InteractionPromise;
  /** Someone typing in an autocomplete option; the bot answers with choices (callback type 8). */
  autocomplete(input: AutocompleteInput): InteractionPromise;
  buttonPress(input: ComponentInput): InteractionPromise;
  selectMenu(input: ComponentInput & { values: string[] }): InteractionPromise;
  modalSubmit(input: ModalSubmitInput): InteractionPromise;

  close(): Promise<void>;
}

function buildRoutes(core: EmulatorCore): RouteDef[] {
  return [...coreRoutes(core), ...threadRoutes(core), ...channelRoutes(core), ...interactionRoutes(core)];
}

/** Starts the emulator on 127.0.0.1 (random port): one HTTP server for REST and the gateway websocket. */
export async function startDiscordEmulator(options: DiscordEmulatorOptions): Promise<DiscordEmulator> {
  const server = createServer();
  let origin = '';
  const store = new DiscordStore(options);
  const gateway = new Gateway(server, {
    store,
    token: options.token,
    applicationId: options.applicationId,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
    privilegedIntents: options.privilegedIntents ?? {},
    url: () => origin.replace(/^http/, 'ws'),
  });
  const core: EmulatorCore = {
    options,
    store,
    gateway,
    log: new CallLog(),
    faults: new FaultQueue(),
    interactions: new InteractionRegistry(),
    commands: new CommandRegistry(options.applicationId),
    origin: () => origin,
  };
  const limiter = new RouteLimiter(options.rateLimits);
  server.on(
    'request',
    createRestHandler({
      token: options.token,
      routes: buildRoutes(core),
      log: core.log,
      faults: core.faults,
      limiter,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${origin}/api`,
    gatewayUrl: origin.replace(/^http/, 'ws'),
    port,
    calls: core.log.calls,
    callsTo: (route) => core.log.callsTo(route),
    waitForCall: (route, predicate, timeoutMs) => core.log.waitFor(route, predicate, timeoutMs),
    clearCalls: () => core.log.clear(),
    messages: (channelId) => store.messages(channelId),
    message: (messageId) => store.message(messageId),
    channel: (channelId) => {
      const channel = store.channels.get(channelId);
      return channel ? store.channelJson(channel) : undefined;
    },
    commands: (guildId) => core.commands.list(guildId ?? null),
    interactions: () => core.interactions.all(),
    rateLimit: (o) => core.faults.rateLimit(o),
    failHttp: (o) => core.faults.fail(o),
    clearFaults: () => core.faults.clear(),
    resetRateLimits: () => limiter.reset(),
    get connected() {
      return gateway.connected;
    },
    get identifyCount() {
      return gateway.identifyCount;
    },
    get resumeCount() {
      return gateway.resumeCount;
    },
    get heartbeatCount() {
      return gateway.heartbeatCount;
    },
    get identifies() {
      return gateway.identifies;
    },
    get sessionId() {
      return gateway.sessionId;
    },
    get undelivered() {
      return gateway.undelivered;
    },
    get closeCodes() {
      return gateway.closeCodes;
    },
    waitForReady: (timeoutMs = 10_000) => gateway.waitForReady(timeoutMs),
    dropConnection: (code = 4000) => gateway.dropConnection(code),
    invalidateSession: (resumable = false) => gateway.invalidateSession(resumable),
    requestReconnect: () => gateway.requestReconnect(),
    dispatchRaw: (t, d) => gateway.dispatch(t, d),
    redispatch: (payload, o) => {
      if (o?.sameSequence) {
        gateway.resend(payload);
        return payload;
      }
      return gateway.dispatch(payload.t, payload.d);
    },
    sendMessage: (input) => sendMessage(core, input),
    sendDirectMessage: (input) => sendDirectMessage(core, input),
    editMessage: (input) => editMessage(core, input),
    deleteMessage: (input) => deleteMessage(core, input),
    addReaction: (input) => addReaction(core, input),
    createThread: (input) => createUserThread(core, input),
    createForumPost: (input) => createForumPost(core, input),
    archiveThread: (input) => archiveThread(core, input),
    addMember: (input) => addMember(core, input),
    updateMember: (input) => updateMember(core, input),
    slashCommand: (input) => slashCommand(core, input),
    autocomplete: (input) => autocomplete(core, input),
    buttonPress: (input) => buttonPress(core, input),
    selectMenu: (input) => selectMenu(core, input),
    modalSubmit: (input) => modalSubmit(core, input),
    close: async () => {
      core.interactions.close();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
