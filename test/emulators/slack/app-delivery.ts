import { postToApp } from './app-http.ts';
import { buildEventEnvelope, observeEvent } from './events.ts';
import { signatureHeaders } from './signing.ts';
import type { EnvelopeType, SocketHub } from './socket-hub.ts';
import type { AppResponse, DeliveryOptions, SlackMessage } from './types.ts';
import type { StoredChannel, Workspace } from './workspace.ts';

/** A delivery the emulator made on its own (bot message echoes), with its outcome. */
export interface BackgroundDelivery {
  kind: 'echo';
  sent: Record<string, unknown>;
  status?: number;
  error?: string;
}

/**
 * Why an event did not reach the app, named like Slack's `x-slack-retry-reason` values
 * (`http_timeout`, `connection_failed`, `http_error`), plus `app_offline` for a message a test wrote
 * while the app was down ({@link AppDelivery.postWhileOffline}).
 */
export type UndeliveredReason = 'app_offline' | 'connection_failed' | 'http_timeout' | 'http_error';

/** An Events API event the app never acknowledged; its message, if any, is still in the history. */
export interface UndeliveredEvent {
  eventId: string;
  event: Record<string, unknown>;
  reason: UndeliveredReason;
  /** The app's HTTP status, for `http_error`. */
  status?: number;
  error?: string;
  at: number;
}

/** How the emulator reaches the app. */
export interface DeliveryDeps {
  ws: Workspace;
  signingSecret: string;
  socketHub: SocketHub | undefined;
  socketMode: boolean;
  deliveryTimeoutMs: number | undefined;
  echoBotMessages: boolean;
}

const TIMEOUT = /did not answer|No ack for/;

/** Delivers events and interactions to the app over signed HTTP or Socket Mode, and notes failures. */
export class AppDelivery {
  readonly backgroundDeliveries: BackgroundDelivery[] = [];
  /** Events that did not reach the app (Slack would retry them 3 times, then drop them). */
  readonly undelivered: UndeliveredEvent[] = [];
  private appUrl: string | undefined;
  private socketMode: boolean;

  constructor(private readonly deps: DeliveryDeps) {
    this.socketMode = deps.socketMode;
  }

  connectApp(url: string): void {
    this.appUrl = url;
  }

  useSocketMode(enabled: boolean): void {
    if (enabled && !this.deps.socketHub) throw new Error('Socket Mode needs the appToken option');
    this.socketMode = enabled;
  }

  get inSocketMode(): boolean {
    return this.socketMode;
  }

  /** Stores the event's message (history has it whatever happens next), then delivers the envelope. */
  async event(event: Record<string, unknown>, opts: DeliveryOptions): Promise<AppResponse> {
    const { ws } = this.deps;
    const envelope = buildEventEnvelope(ws, event, opts.eventId ?? ws.ids.next('Ev'));
    observeEvent(ws, event);
    if (!this.socketMode && this.appUrl === undefined) {
      throw new Error('Call connectApp(url) before delivering over HTTP');
    }
    const eventId = String(envelope.event_id);
    try {
      const answer = await this.transportEvent(envelope, opts);
      if (answer.status < 200 || answer.status > 299) {
        this.note(eventId, event, 'http_error', { status: answer.status });
      }
      return answer;
    } catch (error) {
      const reason = TIMEOUT.test(String(error)) ? 'http_timeout' : 'connection_failed';
      this.note(eventId, event, reason, { error: String(error) });
      throw error;
    }
  }

  /** Stores a message event as written while the app was down: in the history, never delivered. */
  postWhileOffline(event: Record<string, unknown>): void {
    const { ws } = this.deps;
    observeEvent(ws, event);
    this.note(ws.ids.next('Ev'), event, 'app_offline', {});
  }

  /** POSTs a signed body to the app's HTTP endpoint. */
  async postSigned(
    body: string,
    headers: Record<string, string>,
    sent: Record<string, unknown>,
    opts: DeliveryOptions,
  ): Promise<AppResponse> {
    if (this.appUrl === undefined) throw new Error('Call connectApp(url) before delivering over HTTP');
    const signed = signatureHeaders(this.deps.signingSecret, body, {
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
      ...(opts.forge !== undefined ? { forge: opts.forge } : {}),
    });
    const answer = await postToApp(this.appUrl, body, { ...headers, ...signed }, this.timeout(opts));
    return { ...answer, sent };
  }

  /** Sends a Socket Mode envelope and resolves with the app's ack. */
  async sendEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts: DeliveryOptions,
    extra: Record<string, unknown>,
  ): Promise<AppResponse> {
    const hub = this.deps.socketHub;
    if (!hub) throw new Error('Socket Mode needs the appToken option');
    const started = Date.now();
    const ack = await hub.send(type, payload, extra, this.timeout(opts));
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

  /** Delivers the `message` event of a bot post back to the app, as Slack does (when asked to). */
  echo(channel: StoredChannel, message: SlackMessage): void {
    if (!this.deps.echoBotMessages) return;
    const canDeliver = this.socketMode
      ? (this.deps.socketHub?.connectionCount ?? 0) > 0
      : this.appUrl !== undefined;
    if (!canDeliver) return;
    const event = {
      ...message,
      channel: channel.id,
      event_ts: message.ts,
      channel_type: this.deps.ws.channelType(channel.id),
    };
    setImmediate(() => {
      const record: BackgroundDelivery = { kind: 'echo', sent: event };
      this.backgroundDeliveries.push(record);
      this.event(event, {}).then(
        (res) => {
          record.status = res.status;
        },
        (error: unknown) => {
          record.error = String(error);
        },
      );
    });
  }

  private transportEvent(envelope: Record<string, unknown>, opts: DeliveryOptions): Promise<AppResponse> {
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

  private note(
    eventId: string,
    event: Record<string, unknown>,
    reason: UndeliveredReason,
    detail: { status?: number; error?: string },
  ): void {
    this.undelivered.push({ eventId, event, reason, ...detail, at: this.deps.ws.now() });
  }

  private timeout(opts: DeliveryOptions): number {
    return opts.timeoutMs ?? this.deps.deliveryTimeoutMs ?? 10_000;
  }
}
