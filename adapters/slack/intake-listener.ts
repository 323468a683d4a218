import type { App } from '@slack/bolt';
import { type Heed, type InboundMessage, issueIdFor } from '../../src/core/heed.ts';
import type { Logger } from '../../src/logging/logger.ts';
import { DELIVERY_SIGNAL_KEY, type DeliverySignal } from './event-gate.ts';
import { readMessageEvent, toInboundMessage } from './from-slack.ts';
import type { UserDirectory } from './user-directory.ts';

export interface IntakeDeps {
  readonly heed: Heed;
  readonly users: UserDirectory;
  readonly logger: Logger;
  /**
   * When the core is still busy after this long (usually sending through a rate-limited channel), Slack
   * is answered as soon as the message is found stored, so it does not time out and retry.
   */
  readonly storedCheckAfterMs: number;
}

function signalOf(context: Record<string, unknown>): DeliverySignal | undefined {
  const candidate = context[DELIVERY_SIGNAL_KEY] as Partial<DeliverySignal> | undefined;
  return typeof candidate?.stored === 'function' ? (candidate as DeliverySignal) : undefined;
}

// Whether the core has stored this message: the issue it opened, or the thread issue that saw it.
async function isStored(heed: Heed, message: InboundMessage): Promise<boolean> {
  try {
    if (await heed.issues.get(issueIdFor(message.platform, message.channel, message.messageId))) return true;
    if (!message.thread) return false;
    const issue = await heed.issues.getByConversation({
      platform: message.platform,
      channel: message.channel,
      thread: message.thread,
    });
    return issue?.seenMessages.includes(message.messageId) ?? false;
  } catch {
    return false;
  }
}

// Hands a message to the core; persist-before-ack: Slack is answered when `handleMessage` returns, or
// earlier once the message is found stored while the core is still sending (checked every second).
async function handleWithStoredSignal(
  deps: IntakeDeps,
  message: InboundMessage,
  signal: DeliverySignal | undefined,
) {
  // Slack is answered as soon as the core has stored the message; the acknowledgement and card follow.
  const handling = deps.heed.handleMessage(message, { stored: () => signal?.stored() });
  if (!signal) return handling;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    if (done) return;
    if (await isStored(deps.heed, message)) signal.stored();
    else if (!done) timer = setTimeout(check, 1_000);
  };
  timer = setTimeout(check, deps.storedCheckAfterMs);
  try {
    return await handling;
  } finally {
    done = true;
    clearTimeout(timer);
  }
}

/** Every `message` event goes to the core, which decides whether it is a customer channel or an issue thread. */
export function registerIntake(app: App, deps: IntakeDeps): void {
  app.event('message', async ({ event, context }) => {
    const read = readMessageEvent(event, { botUserId: context.botUserId, botId: context.botId });
    if (read.kind === 'skip') {
      deps.logger.debug({ reason: read.reason }, 'message event skipped');
      return;
    }
    const author = read.event.user;
    const profile = author && !read.isBot ? await deps.users.lookup(author) : {};
    const message = toInboundMessage(read, profile);
    const outcome = await handleWithStoredSignal(deps, message, signalOf(context));
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
