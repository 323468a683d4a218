import { acknowledgeAction } from '../actions/acknowledge.ts';
import { buttonFor } from '../actions/action.ts';
import { answerAction } from '../actions/answer.ts';
import { claimAction } from '../actions/claim.ts';
import { escalateAction } from '../actions/escalate.ts';
import { resolveAction } from '../actions/resolve.ts';
import { snoozeAction } from '../actions/snooze.ts';
import type { HeedConfig } from '../config/schema.ts';
import { filesOf } from '../domain/customer-messages.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { messageCounts } from '../domain/message-changes.ts';
import { truncate } from '../messages/rich-text.ts';
import type { ActionButton, IssueCard } from '../ports/chat-port.ts';

const STATUS_LABEL: Record<Issue['status'], string> = {
  new: 'New · unclaimed',
  claimed: 'Claimed',
  waiting: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};

export const CARD_EXCERPT_LENGTH = 600;

/** Buttons for an issue in its current state; Answer when the config has saved replies. */
export function cardActions(issue: Issue, config?: HeedConfig): ActionButton[] {
  if (issue.status === 'resolved' || issue.status === 'closed') return [];
  return [
    ...(issue.owner ? [] : [claimAction]),
    ...(config && config.replies.length > 0 ? [answerAction] : []),
    resolveAction,
    escalateAction,
    acknowledgeAction,
    snoozeAction,
  ].map((action) => buttonFor(action, issue, config));
}

export interface CardExtras {
  readonly deadlines?: readonly string[];
  readonly customerHistory?: string;
  readonly suggestedReply?: { readonly id: string; readonly title: string };
  readonly value?: string;
  /** For the buttons' forms (the Answer form lists the saved replies). */
  readonly config?: HeedConfig;
}

/** The neutral team card for an issue; adapters render it. */
export function buildCard(issue: Issue, extras: CardExtras = {}): IssueCard {
  const customerMessages = issue.history.filter((e) => e.kind === 'customer-replied').length + 1;
  const changed = messageCounts(issue);
  const firstDeleted = issue.messages[0]?.deletedAt !== undefined;
  const { files, more } = filesOf(issue.messages);
  const responses = issue.history.filter((e) => e.kind === 'responded').length;
  const details = [
    issue.customer.organisation,
    issue.customer.tier ? `${issue.customer.tier} tier` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const history = [
    extras.customerHistory,
    `${customerMessages} customer message${customerMessages === 1 ? '' : 's'}`,
    changed.edited > 0 ? `${changed.edited} edited` : undefined,
    changed.deleted > 0 ? `${changed.deleted} deleted by the customer` : undefined,
    `${responses} repl${responses === 1 ? 'y' : 'ies'}`,
    issue.notes.length > 0 ? `${issue.notes.length} note${issue.notes.length === 1 ? '' : 's'}` : undefined,
    issue.routedBy ? `routed by ${issue.routedBy}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    issueId: issue.id,
    reference: issueRef(issue),
    status: STATUS_LABEL[issue.status],
    priority: issue.priority,
    team: issue.team,
    customerName: issue.customer.name ?? issue.customer.id,
    customerDetails: details,
    // A deleted first message stays quoted for staff, marked, so they can decide what to do with the issue.
    excerpt: truncate(
      firstDeleted ? `[deleted by the customer] ${issue.subject}` : issue.subject,
      CARD_EXCERPT_LENGTH,
    ),
    ...(files.length > 0
      ? { files: files.map((file) => ({ name: file.name, url: file.url, type: file.type })) }
      : {}),
    ...(more > 0 ? { moreFiles: more } : {}),
    ...(issue.owner ? { owner: issue.owner } : {}),
    deadlines: extras.deadlines ?? [],
    history,
    ...(issue.conversation && issue.acknowledgement?.link ? { threadLink: issue.acknowledgement.link } : {}),
    ...(extras.suggestedReply ? { suggestedReply: extras.suggestedReply } : {}),
    ...(extras.value ? { value: extras.value } : {}),
    actions: cardActions(issue, extras.config),
  };
}
