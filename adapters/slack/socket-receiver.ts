import {
  type App,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import type { Logger } from '../../src/logging/logger.ts';
import { deliverEvent, isEventCallback } from './deliver-event.ts';
import type { EventGate } from './event-gate.ts';

export interface SlackSocketReceiverOptions {
  readonly appToken: string;
  readonly gate: EventGate;
  readonly logger: Logger;
  readonly boltLogger: BoltLogger;
  /** Passed to the Socket Mode client, so `apps.connections.open` goes to the same Web API base. */
  readonly clientOptions: webApi.WebClientOptions;
  readonly clientPingTimeoutMs?: number | undefined;
}

/**
 * Socket Mode through Bolt's own receiver, with the same delivery rules as HTTP: an Events API envelope
 * is acked only once its message is stored (unacked envelopes are redelivered by Slack), and a
 * redelivered `event_id` is acked without work.
 */
export class SlackSocketReceiver implements Receiver {
  private readonly inner: SocketModeReceiver;
  private app: App | undefined;

  constructor(private readonly options: SlackSocketReceiverOptions) {
    this.inner = new SocketModeReceiver({
      appToken: options.appToken,
      logger: options.boltLogger,
      ...(options.clientPingTimeoutMs !== undefined
        ? { clientPingTimeout: options.clientPingTimeoutMs }
        : {}),
      installerOptions: { clientOptions: options.clientOptions },
    });
  }

  init(app: App): void {
    this.app = app;
    // Bolt's receiver only ever calls `processEvent` on the app it is given.
    this.inner.init({ processEvent: (event: ReceiverEvent) => this.dispatch(event) } as unknown as App);
  }

  /** True while the Socket Mode websocket is open. */
  get connected(): boolean {
    return this.inner.client.websocket?.isActive() ?? false;
  }

  /** Calls `listener` each time the websocket (re)connects: Slack keeps nothing for a disconnected app. */
  onConnected(listener: () => void): void {
    this.inner.client.on('connected', listener);
  }

  /** Resolves once the websocket is connected. */
  async start(): Promise<void> {
    await this.inner.start();
  }

  async stop(): Promise<void> {
    await this.inner.client.disconnect();
  }

  private async dispatch(event: ReceiverEvent): Promise<void> {
    const app = this.app;
    if (!app) throw new Error('the Socket Mode receiver was not initialised');
    if (!isEventCallback(event.body)) {
      await app.processEvent(event);
      return;
    }
    const outcome = await deliverEvent(app, this.options.gate, event);
    if (outcome.ok) {
      await event.ack();
      return;
    }
    this.options.logger.error(
      { err: outcome.error, eventId: event.body.event_id, retryNum: event.retryNum },
      'could not store a Slack event; left it unacknowledged so Slack redelivers it',
    );
  }
}
