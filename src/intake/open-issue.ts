import { issueLog } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { intakeDrafts } from '../core/intake-messages.ts';
import { customerValue } from '../customers/customer-value.ts';
import { recordOf } from '../domain/customer-messages.ts';
import type { Issue } from '../domain/issue.ts';
import { SUBJECT_LENGTH } from '../domain/message-changes.ts';
import type { ConversationRef } from '../domain/refs.ts';
import { truncate } from '../messages/rich-text.ts';
import type { InboundMessage, IntakeHooks } from '../ports/inbound-port.ts';
import { detectTier } from '../routing/detect-tier.ts';
import { routeIssue } from '../routing/route-issue.ts';
import { EMPTY_SLA } from '../sla/sla-state.ts';
import { ensureIntakeEffects } from './intake-effects.ts';

/**
 * Opens an issue for a customer's message: detects the tier, takes the customer's profile snapshot,
 * routes it (team, priority), stores the issue with its `opened` and `routed` events, what it owes and
 * the customer's contact in one transaction, says it is stored, then sends what it owes. A follow-up
 * (`previous`) stays in the old issue's thread and links to it.
 */
export async function openIssue(
  core: Core,
  id: string,
  message: InboundMessage,
  hooks: IntakeHooks,
  previous?: Issue,
): Promise<Issue> {
  const tier = detectTier(core.config, { ...message.author, platform: message.platform });
  const author = { ...message.author, platform: message.platform, at: message.at };
  const { issue, outbox } = await core.customers.opening(author, (profile, record) => {
    // What the customer is worth routes too (`match.value`): their own value, else their tier's.
    const value = customerValue(core.config, { value: profile.value, tier });
    const route = routeIssue(core.config, {
      platform: message.platform,
      channel: message.channel,
      text: message.text,
      tier,
      value,
    });
    const conversation: ConversationRef = previous
      ? previous.conversation
      : { platform: message.platform, channel: message.channel, thread: message.thread ?? message.messageId };
    return core.issues.create(
      (number) => ({
        issue: {
          v: 1,
          id,
          number,
          status: 'new',
          priority: route.priority,
          team: route.team,
          customer: {
            platform: message.platform,
            id: message.author.id,
            ...(message.author.name ? { name: message.author.name } : {}),
            ...(message.author.organisation ? { organisation: message.author.organisation } : {}),
            ...(tier ? { tier } : {}),
            ...profile,
            ...(value !== undefined ? { value } : {}),
          },
          conversation,
          subject: truncate(message.text, SUBJECT_LENGTH),
          routedBy: route.reason,
          openedAt: message.at,
          updatedAt: message.at,
          lastCustomerMessageAt: message.at,
          ...(previous ? { previousIssueId: previous.id } : {}),
          ...(hooks.caughtUpAt !== undefined
            ? {
                caughtUp: {
                  at: hooks.caughtUpAt,
                  quiet: hooks.caughtUpAt - message.at > core.config.backfill.maxAge,
                },
              }
            : {}),
          notes: [],
          seenMessages: [message.messageId],
          messages: [recordOf(message)],
          revision: 0,
          sla: EMPTY_SLA,
          history: [],
        },
        events: [
          {
            kind: 'opened',
            actor: { platform: message.platform, id: message.author.id },
            ...(previous ? { data: { followUpOf: previous.number } } : {}),
          },
          {
            kind: 'routed',
            actor: { platform: 'heed', id: 'heed' },
            reason: route.reason,
            data: { team: route.team, priority: route.priority },
          },
        ],
      }),
      // What it owes goes to the outbox in the same transaction; a crash before sending loses nothing.
      { at: core.clock.now(), drafts: (created) => intakeDrafts(core.config, core.onCall.roster(), created) },
      // The customer's profile gains the contact and the issue in the same commit.
      record,
    );
  });
  hooks.stored?.();
  issueLog(core, issue).info({ team: issue.team, priority: issue.priority }, 'issue opened');
  return ensureIntakeEffects(core, issue, outbox ?? []);
}
