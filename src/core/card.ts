import { type Issue, issueRef } from '../domain/issue.ts';
import { truncate } from '../messages/rich-text.ts';
import type { ActionButton, ActionName, FormSpec, IssueCard } from '../ports/chat-port.ts';
import { ratingForm } from '../satisfaction/rating.ts';

const STATUS_LABEL: Record<Issue['status'], string> = {
  new: 'New · unclaimed',
  claimed: 'Claimed',
  waiting: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};

export const CARD_EXCERPT_LENGTH = 600;

/** The form a button opens before its action runs (reason, summary, duration), if it has one. */
export function formFor(issue: Pick<Issue, 'number'>, action: ActionName): FormSpec | undefined {
  const ref = issueRef(issue);
  switch (action) {
    case 'resolve':
      return { title: `Resolve ${ref}`, fields: [{ name: 'summary', label: 'What fixed it?', long: true }] };
    case 'escalate':
      return { title: `Escalate ${ref}`, fields: [{ name: 'reason', label: 'Why escalate?', long: true }] };
    case 'apologize':
      return {
        title: `Apologize on ${ref}`,
        fields: [{ name: 'reason', label: 'What to tell the customer', long: true }],
      };
    case 'snooze':
      return {
        title: `Snooze ${ref}`,
        fields: [
          { name: 'duration', label: 'For how long? (e.g. 30m, 2h, 1d)', placeholder: '1h' },
          { name: 'reason', label: 'Why?', long: true },
        ],
      };
    case 'rate-up':
      return ratingForm(issue, 'up');
    case 'rate-down':
      return ratingForm(issue, 'down');
    default:
      return undefined;
  }
}

function button(issue: Issue, action: ActionName, label: string, style?: 'primary' | 'danger'): ActionButton {
  const form = formFor(issue, action);
  return { action, issueId: issue.id, label, ...(style ? { style } : {}), ...(form ? { form } : {}) };
}

/** Buttons for an issue in its current state. */
export function cardActions(issue: Issue): ActionButton[] {
  if (issue.status === 'resolved' || issue.status === 'closed') return [];
  return [
    ...(issue.owner ? [] : [button(issue, 'claim', 'Claim', 'primary')]),
    button(issue, 'resolve', 'Resolve'),
    button(issue, 'escalate', 'Escalate', 'danger'),
    button(issue, 'acknowledge', 'Acknowledge'),
    button(issue, 'snooze', 'Snooze'),
  ];
}

export interface CardExtras {
  readonly deadlines?: readonly string[];
  readonly customerHistory?: string;
}

/** The neutral team card for an issue; adapters render it. */
export function buildCard(issue: Issue, extras: CardExtras = {}): IssueCard {
  const customerMessages = issue.history.filter((e) => e.kind === 'customer-replied').length + 1;
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
    excerpt: truncate(issue.subject, CARD_EXCERPT_LENGTH),
    ...(issue.owner ? { owner: issue.owner } : {}),
    deadlines: extras.deadlines ?? [],
    history,
    ...(issue.conversation && issue.acknowledgement?.link ? { threadLink: issue.acknowledgement.link } : {}),
    actions: cardActions(issue),
  };
}
