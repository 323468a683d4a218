import type { App, ReceiverEvent } from '@slack/bolt';
import { type AckOutcome, DELIVERY_SIGNAL_KEY, type EventGate } from './event-gate.ts';

/** Events API deliveries (as opposed to slash commands and interactions). */
export function isEventCallback(body: Record<string, unknown>): boolean {
  return body.type === 'event_callback';
}

/**
 * Runs an Events API delivery through Bolt behind the gate: Bolt's own immediate ack is swallowed, and
 * the listener gets a signal to call once the message is stored. Resolves when Slack may be answered.
 */
export function deliverEvent(app: App, gate: EventGate, event: ReceiverEvent): Promise<AckOutcome> {
  const eventId = typeof event.body.event_id === 'string' ? event.body.event_id : undefined;
  return gate.handle(eventId, (signal) =>
    app.processEvent({
      ...event,
      ack: async () => {},
      customProperties: { ...event.customProperties, [DELIVERY_SIGNAL_KEY]: signal },
    }),
  );
}
