import { issueLog } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { accessOf } from '../core/people.ts';
import { isAnyStaff } from '../domain/access.ts';
import type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';
import { conversationLock, issueIdFor } from './conversation-keys.ts';
import { ensureIntakeEffects } from './intake-effects.ts';
import { openIssue } from './open-issue.ts';
import { threadMessage } from './thread-message.ts';

/**
 * Handles a message in a customer channel or an issue thread. Persists before any chat effect, and says
 * so through `hooks.stored` (the Slack adapter answers Slack then, while the acknowledgement and card are
 * still being sent; the outbox finishes what a crash cut off).
 */
export async function handleMessage(
  core: Core,
  message: InboundMessage,
  hooks: IntakeHooks = {},
): Promise<IntakeOutcome> {
  const started = performance.now();
  let outcome: IntakeOutcome | undefined;
  try {
    outcome = await intake(core, message, hooks);
    if ('issue' in outcome) issueLog(core, outcome.issue).debug({ outcome: outcome.kind }, 'message handled');
    return outcome;
  } finally {
    const seconds = (performance.now() - started) / 1000;
    core.observer.messageHandled?.(message.platform, outcome?.kind ?? 'error', seconds);
  }
}

// Under the conversation's lock: a message in an issue's thread goes to the issue; a top-level message
// from a customer in a customer channel opens one (once, however often it is delivered).
async function intake(core: Core, message: InboundMessage, hooks: IntakeHooks): Promise<IntakeOutcome> {
  if (message.author.isBot) return { kind: 'ignored', reason: 'bot message' };
  const lockKey = conversationLock(message.platform, message.channel, message.thread ?? message.messageId);
  return core.issues.withLock(lockKey, async () => {
    if (message.thread) {
      const existing = await core.issues.getByConversation({
        platform: message.platform,
        channel: message.channel,
        thread: message.thread,
      });
      if (existing) return threadMessage(core, existing, message, hooks);
    }
    const intake = core.config.intake.find(
      (i) => i.platform === message.platform && i.channel === message.channel,
    );
    if (!intake) return { kind: 'ignored', reason: 'not a customer channel' };
    if (isAnyStaff(accessOf(core.config, { ...message.author, platform: message.platform }))) {
      return { kind: 'ignored', reason: 'staff message outside an issue thread' };
    }
    const id = issueIdFor(message.platform, message.channel, message.messageId);
    const already = await core.issues.get(id);
    if (already) {
      hooks.stored?.();
      await ensureIntakeEffects(core, already);
      return { kind: 'duplicate', issue: already };
    }
    const opened = await openIssue(core, id, message, hooks);
    return { kind: 'opened', issue: opened };
  });
}
