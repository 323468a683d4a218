import { refreshCard, safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { accessOf } from '../core/people.ts';
import { customerLabel, templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import { isAnyStaff, isStaffOf } from '../domain/access.ts';
import { recordOf, withRecord } from '../domain/customer-messages.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { InboundMessage, IntakeHooks, IntakeOutcome, PersonFacts } from '../ports/inbound-port.ts';
import { issueIdFor } from './conversation-keys.ts';
import { openIssue } from './open-issue.ts';

/**
 * A message in an issue's thread: from the team's staff it is a response; from the customer it is added
 * to the issue, reopens it inside the reopen window, or (after the window, or once closed) opens a
 * follow-up issue linked to the old one. Staff of other teams are not heard here.
 */
export async function threadMessage(
  core: Core,
  issue: Issue,
  message: InboundMessage,
  hooks: IntakeHooks,
): Promise<IntakeOutcome> {
  const person: PersonFacts = {
    platform: message.platform,
    id: message.author.id,
    roles: message.author.roles,
  };
  const access = accessOf(core.config, person);
  if (issue.seenMessages.includes(message.messageId)) {
    hooks.stored?.();
    return { kind: 'duplicate', issue };
  }
  if (isStaffOf(access, issue.team)) {
    const saved = await core.issues.update(issue.id, (current) => {
      const result = lifecycle.respond(
        current,
        { user: { platform: person.platform, id: person.id }, access },
        message.at,
        'thread',
        undefined,
        message.text,
      );
      return result.ok
        ? {
            ...result,
            issue: { ...result.issue, seenMessages: [...current.seenMessages, message.messageId].slice(-50) },
          }
        : result;
    });
    if (!('issue' in saved)) return { kind: 'ignored', reason: 'refused' };
    hooks.stored?.();
    await refreshCard(core, saved.issue);
    return { kind: 'response', issue: saved.issue };
  }
  if (isAnyStaff(access)) return { kind: 'ignored', reason: 'staff of another team' };
  const now = message.at;
  const insideWindow = issue.resolvedAt !== undefined && now - issue.resolvedAt <= core.config.reopenWindow;
  if ((issue.status === 'resolved' && !insideWindow) || issue.status === 'closed') {
    return followUpIssue(core, issue, message, hooks);
  }
  const saved = await core.issues.update(issue.id, (current) => {
    const result = lifecycle.customerWrote(current, message.messageId, now, insideWindow);
    return result.ok
      ? { ...result, issue: { ...result.issue, messages: withRecord(current.messages, recordOf(message)) } }
      : result;
  });
  if (!('issue' in saved)) return { kind: 'duplicate', issue };
  await core.customers.contacted({ ...message.author, platform: message.platform, at: message.at });
  hooks.stored?.();
  const reopened = saved.events.some((e) => e.kind === 'reopened');
  await refreshCard(core, saved.issue);
  if (!reopened) return { kind: 'appended', issue: saved.issue };
  await reopenNotice(core, saved.issue);
  return { kind: 'reopened', issue: saved.issue };
}

/** Tells the customer their issue is open again, and its owner why. */
async function reopenNotice(core: Core, issue: Issue): Promise<void> {
  await safely(core, 'reopen notice', async () => {
    await core.chat.reply(issue.conversation, {
      text: renderTemplate(core.config.templates.reopened, templateValues(core.config, issue)),
    });
    if (issue.owner) {
      await core.chat.dm(issue.owner, {
        text: rich`${bold(issueRef(issue))} was reopened: ${customerLabel(issue)} wrote again after it was resolved.`,
      });
    }
  });
}

/** After the reopen window a customer writing in an old thread gets a new issue linked to the old one. */
async function followUpIssue(
  core: Core,
  previous: Issue,
  message: InboundMessage,
  hooks: IntakeHooks,
): Promise<IntakeOutcome> {
  const id = issueIdFor(message.platform, message.channel, message.messageId);
  const already = await core.issues.get(id);
  if (already) return { kind: 'duplicate', issue: already };
  const opened = await openIssue(core, id, message, hooks, previous);
  return { kind: 'opened', issue: opened };
}
