import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppDelivery, type BackgroundDelivery, type UndeliveredEvent } from './app-delivery.ts';
import { CallLog } from './call-log.ts';
import {
  type AppHomeOpenedInput,
  type AppMentionInput,
  buildAppHomeOpenedEvent,
  buildAppMentionEvent,
  buildMemberJoinedEvent,
  buildMessageChangedEvent,
  buildMessageEvent,
  type MemberJoinedInput,
  type MessageChangedInput,
  type MessageEventInput,
} from './events.ts';
import { type FailHttpFault, type FailNextFault, FaultInjector, type RateLimitFault } from './faults.ts';
import { historySettings, MethodRateLimiter } from './history-limits.ts';
import { createEmulatorServer } from './http-server.ts';
import {
  type BlockActionInput,
  InteractionBuilder,
  type MessageShortcutInput,
  type SlashCommandInput,
  type ViewSubmissionInput,
} from './interactions.ts';
import { ChannelPostLimiter } from './post-limits.ts';
import { ResponseUrls } from './response-urls.ts';
import { type DropMode, SocketHub } from './socket-hub.ts';
import type {
  AppResponse,
  CallRecord,
  DeliveryOptions,
  EphemeralRecord,
  SlackEmulatorOptions,
  SlackMessage,
  ViewRecord,
} from './types.ts';
import type { ApiHooks } from './web-api-common.ts';
import { Workspace } from './workspace.ts';

const FORM = 'application/x-www-form-urlencoded';

/** A running Slack emulator: Web API, response_urls, Events API / interactivity sender and Socket Mode. */
export class SlackEmulator {
  /** Every Web API and `response_url` call, in order. */
  readonly calls: CallRecord[];
  /** Deliveries the emulator made by itself (e.g. echoed bot messages). */
  readonly backgroundDeliveries: BackgroundDelivery[];
  /** Events that never reached the app (app down, timed out, non-2xx); their messages stay in history. */
  readonly undelivered: UndeliveredEvent[];
  readonly workspace: Workspace;
  private readonly log = new CallLog();
  private readonly faults = new FaultInjector();
  private readonly responseUrls: ResponseUrls;
  private readonly interactions: InteractionBuilder;
  private readonly socketHub: SocketHub | undefined;
  private readonly delivery: AppDelivery;
  private readonly limiter: MethodRateLimiter;
  private readonly postLimiter: ChannelPostLimiter;
  private readonly server: Server;
  private port = 0;

  /** Use {@link startSlackEmulator}. */
  constructor(options: SlackEmulatorOptions) {
    this.calls = this.log.records;
    this.workspace = new Workspace(
      {
        teamId: options.teamId ?? 'T0HEED01',
        teamName: options.teamName ?? 'Heed Test',
        teamDomain: options.teamDomain ?? 'heed-test',
        externalTeams: new Map((options.externalTeams ?? []).map((team) => [team.id, team.name])),
        botUserId: options.botUserId,
        botId: options.botId,
        botName: options.botName ?? 'heed',
        apiAppId: options.apiAppId ?? 'A0HEED001',
        verificationToken: options.verificationToken ?? 'emulatorVerificationToken',
        triggerTtlMs: options.triggerTtlMs,
        homeTabEnabled: options.homeTabEnabled ?? true,
      },
      options.users ?? [],
      options.channels ?? [],
      options.now,
    );
    this.responseUrls = new ResponseUrls(this.workspace, () => this.url);
    this.interactions = new InteractionBuilder(this.workspace, this.responseUrls);
    this.socketHub =
      options.appToken !== undefined
        ? new SocketHub(this.workspace.info.apiAppId, options.socketPingIntervalMs)
        : undefined;
    this.delivery = new AppDelivery({
      ws: this.workspace,
      signingSecret: options.signingSecret,
      socketHub: this.socketHub,
      socketMode: options.socketMode ?? false,
      deliveryTimeoutMs: options.deliveryTimeoutMs,
      echoBotMessages: options.echoBotMessages ?? false,
    });
    this.backgroundDeliveries = this.delivery.backgroundDeliveries;
    this.undelivered = this.delivery.undelivered;
    this.limiter = new MethodRateLimiter(options.history, this.workspace.now);
    this.postLimiter = new ChannelPostLimiter(options.postRateLimit);
    const hooks: ApiHooks = {
      onBotMessage: (channel, message) => this.delivery.echo(channel, message),
      socketUrl: () => this.socketHub?.issueUrl(`ws://127.0.0.1:${this.port}`),
    };
    this.server = createEmulatorServer({
      ws: this.workspace,
      calls: this.log,
      faults: this.faults,
      responseUrls: this.responseUrls,
      hooks,
      botToken: options.botToken,
      appToken: options.appToken,
      socketHub: this.socketHub,
      limiter: this.limiter,
      postLimiter: this.postLimiter,
      history: historySettings(options.history),
    });
  }

  /** Base URL, `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Web API base to give Bolt as `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get teamId(): string {
    return this.workspace.info.teamId;
  }

  get apiAppId(): string {
    return this.workspace.info.apiAppId;
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.socketHub?.connectionCount ?? 0;
  }

  /** Socket Mode connections accepted since start (grows on every reconnect). */
  get socketConnectionsAccepted(): number {
    return this.socketHub?.connectionsAccepted ?? 0;
  }

  /** Views the app opened, pushed, updated or published, in order. */
  get views(): ViewRecord[] {
    return this.workspace.viewHistory;
  }

  /** Ephemeral messages (chat.postEphemeral and ephemeral response_url replies). */
  get ephemerals(): EphemeralRecord[] {
    return this.workspace.ephemerals;
  }

  /** @internal Binds the port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  // ---- call log ------------------------------------------------------------

  callsTo(method: string): CallRecord[] {
    return this.log.callsTo(method);
  }

  /** First call (already recorded or future) to `method` matching `predicate`; rejects after `timeoutMs`. */
  waitForCall(
    method: string,
    predicate?: (call: CallRecord) => boolean,
    timeoutMs = 5000,
  ): Promise<CallRecord> {
    return this.log.waitFor(method, predicate, timeoutMs);
  }

  clearCalls(): void {
    this.log.clear();
  }

  // ---- faults ---------------------------------------------------------------

  /** The next `times` matching calls get HTTP 429 with `Retry-After`. */
  rateLimit(fault: RateLimitFault): void {
    this.faults.rateLimit(fault);
  }

  /** The next matching calls get `{ ok: false, error }`. */
  failNext(fault: FailNextFault): void {
    this.faults.failNext(fault);
  }

  /** The next matching calls get an HTTP error status. */
  failHttp(fault: FailHttpFault): void {
    this.faults.failHttp(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Starts a fresh window for Slack's per-method limits (the history methods' tier) and fills every
   * channel's posting allowance again.
   */
  resetRateLimits(): void {
    this.limiter.reset();
    this.postLimiter.reset();
  }

  // ---- state ------------------------------------------------------------------

  /** Stored messages of a conversation, oldest first (bot posts and delivered user messages). */
  messagesIn(channelId: string): SlackMessage[] {
    return this.workspace.messagesIn(channelId);
  }

  getMessage(channelId: string, ts: string): SlackMessage | undefined {
    return this.workspace.getMessage(channelId, ts);
  }

  // ---- payload builders -----------------------------------------------------

  messageEvent(input: MessageEventInput): Record<string, unknown> {
    return buildMessageEvent(this.workspace, input);
  }

  messageChangedEvent(input: MessageChangedInput): Record<string, unknown> {
    return buildMessageChangedEvent(this.workspace, input);
  }

  memberJoinedEvent(input: MemberJoinedInput): Record<string, unknown> {
    return buildMemberJoinedEvent(this.workspace, input);
  }

  appMentionEvent(input: AppMentionInput): Record<string, unknown> {
    return buildAppMentionEvent(this.workspace, input);
  }

  /** An `app_home_opened` event: the user opened the app's Home tab (or, with `tab: 'messages'`, its DMs). */
  appHomeOpenedEvent(input: AppHomeOpenedInput): Record<string, unknown> {
    return buildAppHomeOpenedEvent(this.workspace, input);
  }

  // ---- delivery to the app ------------------------------------------------------

  /** Sets the app's HTTP endpoint, e.g. `http://127.0.0.1:3000/slack/events`. */
  connectApp(url: string): void {
    this.delivery.connectApp(url);
  }

  /** Switches deliveries between HTTP (false) and Socket Mode envelopes (true). */
  useSocketMode(enabled: boolean): void {
    this.delivery.useSocketMode(enabled);
  }

  /**
   * Delivers an Events API event (wrapped in its envelope); message events are stored first, so they
   * stay in the history when delivery fails (the failure is noted in {@link undelivered}; the promise
   * rejects on network errors and timeouts, as before).
   */
  deliverEvent(event: Record<string, unknown>, opts: DeliveryOptions = {}): Promise<AppResponse> {
    return this.delivery.event(event, opts);
  }

  /**
   * A user writes a message (in a channel, or a thread with `threadTs`) while the app is down: it is
   * stored for `conversations.history` / `.replies` and noted in {@link undelivered} as `app_offline`,
   * and nothing is sent. Slack would have tried the app 4 times over about 5 minutes, then dropped the
   * event; to replay one of those tries, `deliverEvent(event, { eventId, retryNum, retryReason })`.
   * Returns the event, as `messageEvent` would.
   */
  postWhileOffline(input: MessageEventInput): Record<string, unknown> {
    const event = buildMessageEvent(this.workspace, input);
    this.delivery.postWhileOffline(event);
    return event;
  }

  /** Sends the Events API `url_verification` handshake (HTTP mode only). */
  urlVerification(challenge = 'emulator-challenge'): Promise<AppResponse> {
    const body = { token: this.workspace.info.verificationToken, challenge, type: 'url_verification' };
    return this.delivery.postSigned(JSON.stringify(body), { 'content-type': 'application/json' }, body, {});
  }

  /** Invokes a slash command (form-encoded in HTTP mode, `slash_commands` envelope in Socket Mode). */
  async slashCommand(input: SlashCommandInput, opts: DeliveryOptions = {}): Promise<AppResponse> {
    const form = this.interactions.slashCommand(input);
    if (this.delivery.inSocketMode) {
      return this.delivery.sendEnvelope('slash_commands', form, opts, { accepts_response_payload: true });
    }
    return this.delivery.postSigned(
      new URLSearchParams(form).toString(),
      { 'content-type': FORM },
      form,
      opts,
    );
  }

  /** Clicks a button (`block_actions`). */
  blockAction(input: BlockActionInput, opts: DeliveryOptions = {}): Promise<AppResponse> {
    return this.interactive(this.interactions.blockAction(input), opts);
  }

  /** Submits a modal (`view_submission`); the app's answer may carry `response_action`. */
  viewSubmission(input: ViewSubmissionInput, opts: DeliveryOptions = {}): Promise<AppResponse> {
    return this.interactive(this.interactions.viewSubmission(input), opts);
  }

  /** Runs a message shortcut (`message_action`). */
  messageShortcut(input: MessageShortcutInput, opts: DeliveryOptions = {}): Promise<AppResponse> {
    return this.interactive(this.interactions.messageShortcut(input), opts);
  }

  // ---- Socket Mode ------------------------------------------------------------

  /** Resolves once a Socket Mode client is connected (hello sent). */
  waitForSocket(timeoutMs = 5000): Promise<void> {
    if (!this.socketHub) return Promise.reject(new Error('Socket Mode needs the appToken option'));
    return this.socketHub.waitForConnection(timeoutMs);
  }

  /** Closes the newest Socket Mode connection from the server side; the client should reconnect. */
  dropSocket(mode: DropMode = 'close'): Promise<void> {
    return this.socketHub?.drop(mode) ?? Promise.resolve();
  }

  /** Stops everything. Stop Socket Mode apps first, or their reconnect attempts fail loudly. */
  async close(): Promise<void> {
    await this.socketHub?.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- internals --------------------------------------------------------------

  private interactive(payload: Record<string, unknown>, opts: DeliveryOptions): Promise<AppResponse> {
    if (this.delivery.inSocketMode) {
      return this.delivery.sendEnvelope('interactive', payload, opts, {
        accepts_response_payload: payload.type !== 'block_actions',
      });
    }
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.delivery.postSigned(body, { 'content-type': FORM }, payload, opts);
  }
}

/** Starts a Slack emulator on 127.0.0.1 with an ephemeral port. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const emulator = new SlackEmulator(options);
  await emulator.listen();
  return emulator;
}
