import type { App } from '@slack/bolt';
import type { Logger } from '../../src/logging/logger.ts';
import type { InboundPort } from '../../src/ports/inbound-port.ts';
import { DELIVERY_SIGNAL_KEY, type DeliverySignal } from './event-gate.ts';
import { readMessageChange, readMessageEvent, toInboundMessage } from './from-slack.ts';
import type { UserDirectory } from './user-directory.ts';

export interface IntakeDeps {
  readonly heed: InboundPort;
  readonly users: UserDirectory;
  readonly logger: Logger;
}

function signalOf(context: Record<string, unknown>): DeliverySignal | undefined {
  const candidate = context[DELIVERY_SIGNAL_KEY] as Partial<DeliverySignal> | undefined;
  return typeof candidate?.stored === 'function' ? (candidate as DeliverySignal) : undefined;
}

/** Every `message` event goes to the core, which decides whether it is a customer channel or an issue thread. */
export function registerIntake(app: App, deps: IntakeDeps): void {
  app.event('message', async ({ event, context }) => {
    const change = readMessageChange(event, Date.now());
    if (change) {
      const outcome = await deps.heed.messageChanged(change);
      signalOf(context)?.stored();
      deps.logger.debug(
        { channel: change.channel, change: change.kind, outcome: outcome.kind },
        'message change handled',
      );
      return;
    }
    const read = readMessageEvent(event, { botUserId: context.botUserId, botId: context.botId });
    if (read.kind === 'skip') {
      deps.logger.debug({ reason: read.reason }, 'message event skipped');
      return;
    }
    const author = read.event.user;
    const profile = author && !read.isBot ? await deps.users.lookup(author) : {};
    const message = toInboundMessage(read, profile);
    // Persist before ack: Slack is answered as soon as the core has stored the message (the signal), while
    // the acknowledgement and card are still being sent.
    const signal = signalOf(context);
    const outcome = await deps.heed.handleMessage(message, { stored: () => signal?.stored() });
    deps.logger.debug(
      {
        channel: message.channel,
        teamId: message.author.teamId,
        outcome: outcome.kind,
        ...('issue' in outcome ? { issue: outcome.issue.number } : {}),
      },
      'message handled',
    );
  });
}
