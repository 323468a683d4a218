import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postToApp } from './app-http.ts';
import { CallLog } from './call-log.ts';
import {
  type AppMentionInput,
  buildAppMentionEvent,
  buildEventEnvelope,
  buildMemberJoinedEvent,
  buildMessageChangedEvent,
  buildMessageEvent,
  type MemberJoinedInput,
  type MessageChangedInput,
  type MessageEventInput,
  observeEvent,
} from './events.ts';
import { type FailHttpFault, type FailNextFault, FaultInjector, type RateLimitFault } from './faults.ts';
import { createEmulatorServer } from './http-server.ts';
import {
  type BlockActionInput,
  InteractionBuilder,
  type MessageShortcutInput,
  type SlashCommandInput,
  type ViewSubmissionInput,
} from './interactions.ts';
import { ResponseUrls } from './response-urls.ts';
import { signatureHeaders } from './signing.ts';
import { type DropMode, type EnvelopeType, SocketHub } from './socket-hub.ts';
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
import { type StoredChannel, Workspace } from './workspace.ts';

/** A delivery the emulator made on its own (bot message echoes), with its outcome. */
export interface BackgroundDelivery {
  kind: 'echo';
  sent: Record<string, unknown>;
  status?: number;
  error?: string;
}

const FORM = 'application/x-www-form-urlencoded';

/** A running Slack emulator: Web API, response_urls, Events API / interactivity sender and Socket Mode. */
export class SlackEmulator {
  /** Every Web API and `response_url` call, in order. */
  readonly calls: CallRecord[];
  /** Deliveries the emulator made by itself (e.g. echoed bot messages). */
  readonly backgroundDeliveries: BackgroundDelivery[] = [];
  readonly workspace: Workspace;
  private readonly log = new CallLog();
  private readonly faults = new FaultInjector();
  private readonly responseUrls: ResponseUrls;
  private readonly interactions: InteractionBuilder;
  private readonly socketHub: SocketHub | undefined;
  private readonly server: Server;
  private appUrl: string | undefined;
  private socketMode: boolean;
  private port = 0;

  /** Use {@link startSlackEmulator}. */
  constructor(private readonly options: SlackEmulatorOptions) {
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
      },
      options.users ?? [],
      options.channels ?? [],
    );
    this.responseUrls = new ResponseUrls(this.workspace, () => this.url);
    this.interactions = new InteractionBuilder(this.workspace, this.responseUrls);
    this.socketHub =
      options.appToken !== undefined
        ? new SocketHub(this.workspace.info.apiAppId, options.socketPingIntervalMs)
        : undefined;
    this.socketMode = options.socketMode ?? false;
    const hooks: ApiHooks = {
      onBotMessage: (channel, message) => this.echo(channel, message),
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

  // ---- delivery to the app ------------------------------------------------------

  /** Sets the app's HTTP endpoint, e.g. `http://127.0.0.1:3000/slack/events`. */
  connectApp(url: string): void {
    this.appUrl = url;
  }

  /** Switches deliveries between HTTP (false) and Socket Mode envelopes (true). */
  useSocketMode(enabled: boolean): void {
    if (enabled && !this.socketHub) throw new Error('Socket Mode needs the appToken option');
    this.socketMode = enabled;
  }

  /** Delivers an Events API event (wrapped in its envelope); message events are also stored. */
  async deliverEvent(event: Record<string, unknown>, opts: DeliveryOptions = {}): Promise<AppResponse> {
    const envelope = buildEventEnvelope(this.workspace, event, opts.eventId ?? this.workspace.ids.next('Ev'));
    observeEvent(this.workspace, event);
    if (this.socketMode) {
      return this.sendEnvelope('events_api', envelope, opts, {
        accepts_response_payload: false,
        retry_attempt: opts.retryNum ?? 0,
        retry_reason: opts.retryReason ?? '',
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    return this.postSigned(JSON.stringify(envelope), headers, envelope, opts);
  }

  /** Sends the Events API `url_verification` handshake (HTTP mode only). */
  urlVerification(challenge = 'emulator-challenge'): Promise<AppResponse> {
    const body = { token: this.workspace.info.verificationToken, challenge, type: 'url_verification' };
    return this.postSigned(JSON.stringify(body), { 'content-type': 'application/json' }, body, {});
  }

  /** Invokes a slash command (form-encoded in HTTP mode, `slash_commands` envelope in Socket Mode). */
  async slashCommand(input: SlashCommandInput, opts: DeliveryOptions = {}): Promise<AppResponse> {
    const form = this.interactions.slashCommand(input);
    if (this.socketMode)
      return this.sendEnvelope('slash_commands', form, opts, { accepts_response_payload: true });
    return this.postSigned(new URLSearchParams(form).toString(), { 'content-type': FORM }, form, opts);
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

  private async interactive(payload: Record<string, unknown>, opts: DeliveryOptions): Promise<AppResponse> {
    if (this.socketMode) {
      return this.sendEnvelope('interactive', payload, opts, {
        accepts_response_payload: payload.type !== 'block_actions',
      });
    }
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.postSigned(body, { 'content-type': FORM }, payload, opts);
  }

  private async postSigned(
    body: string,
    headers: Record<string, string>,
    sent: Record<string, unknown>,
    opts: DeliveryOptions,
  ): Promise<AppResponse> {
    if (this.appUrl === undefined) throw new Error('Call connectApp(url) before delivering over HTTP');
    const signed = signatureHeaders(this.options.signingSecret, body, {
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
      ...(opts.forge !== undefined ? { forge: opts.forge } : {}),
    });
    const answer = await postToApp(this.appUrl, body, { ...headers, ...signed }, this.timeout(opts));
    return { ...answer, sent };
  }

  private async sendEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts: DeliveryOptions,
    extra: Record<string, unknown>,
  ): Promise<AppResponse> {
    if (!this.socketHub) throw new Error('Socket Mode needs the appToken option');
    const started = Date.now();
    const ack = await this.socketHub.send(type, payload, extra, this.timeout(opts));
    const body = ack.payload ?? {};
    return {
      status: 200,
      body,
      text: JSON.stringify(body),
      headers: {},
      elapsedMs: Date.now() - started,
      sent: payload,
      ack,
    };
  }

  private timeout(opts: DeliveryOptions): number {
    return opts.timeoutMs ?? this.options.deliveryTimeoutMs ?? 10_000;
  }

  private echo(channel: StoredChannel, message: SlackMessage): void {
    if (!this.options.echoBotMessages) return;
    const canDeliver = this.socketMode ? this.socketConnections > 0 : this.appUrl !== undefined;
    if (!canDeliver) return;
    const event = {
      ...message,
      channel: channel.id,
      event_ts: message.ts,
      channel_type: this.workspace.channelType(channel.id),
    };
    setImmediate(() => {
      const record: BackgroundDelivery = { kind: 'echo', sent: event };
      this.backgroundDeliveries.push(record);
      this.deliverEvent(event).then(
        (res) => {
          record.status = res.status;
        },
        (error: unknown) => {
          record.error = String(error);
        },
      );
    });
  }
}

/** Starts a Slack emulator on 127.0.0.1 with an ephemeral port. */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const emulator = new SlackEmulator(options);
  await emulator.listen();
  return emulator;
}
