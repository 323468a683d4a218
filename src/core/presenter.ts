/**
 * How the core words an issue: the customer's label, the promise of a first answer, the values every
 * template may use, the acknowledgement, and the team card. Pure functions of the config and the issue.
 */
import type { HeedConfig } from '../config/schema.ts';
import { customerValue, valueLabel } from '../customers/customer-value.ts';
import { customerHistoryLine } from '../customers/history-line.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { bold, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import type { IssueCard } from '../ports/chat-port.ts';
import { customerWords, suggestReply } from '../replies/saved-replies.ts';
import { runningDeadlines } from '../sla/clocks.ts';
import { formatDuration } from '../sla/duration.ts';
import { selectPolicy } from '../sla/policy.ts';
import { CLOCK_LABEL } from '../sla/sla-state.ts';
import { buildCard } from './card.ts';
import { renderTemplate } from './templates.ts';

/** The values a template fills in: `{customer}`, `{ref}`, `{team}`, `{owner}`, `{promise}`, `{summary}`… */
export type TemplateValues = Record<string, string | Rich | undefined>;

/** The customer's name and organisation, marked as customer text (never pings, always escaped). */
export function customerLabel(issue: Pick<Issue, 'customer'>): Rich {
  return rich`${{ t: 'customer', v: issue.customer.name ?? issue.customer.id }}${issue.customer.organisation ? rich` (${{ t: 'customer', v: issue.customer.organisation }})` : ''}`;
}

/** When the customer may expect a first answer, from the policy that applies. */
function promise(config: HeedConfig, issue: Issue): Rich {
  const policy = selectPolicy(config, {
    priority: issue.priority,
    tier: issue.customer.tier,
    team: issue.team,
    value: customerValue(config, issue.customer),
  });
  const due = issue.sla.clocks.firstResponse?.dueAt;
  if (!policy || due === undefined) return rich`as soon as we can`;
  return rich`within ${formatDuration(policy.firstResponse)}${policy.calendar === 'always' ? '' : ' of business time'} (by ${time(due)})`;
}

/** What the templates may say about the issue, plus `extra` values (a reason, a summary). */
export function templateValues(config: HeedConfig, issue: Issue, extra: TemplateValues = {}): TemplateValues {
  // Staff on the other platform cannot be mentioned in the customer's thread.
  const owner = issue.owner?.platform === issue.conversation.platform ? issue.owner : undefined;
  return {
    customer: issue.customer.name ?? 'there',
    ref: rich`${bold(issueRef(issue))}`,
    team: config.teams.find((t) => t.id === issue.team)?.name ?? issue.team,
    owner: owner ? rich`${owner}` : rich`our team`,
    owner_line: owner ? rich`${owner} is on it. ` : rich``,
    promise: promise(config, issue),
    ...extra,
    // Templates end sentences themselves: "…: {summary}." must not become "fixed.."
    summary: withoutFinalStop(typeof extra.summary === 'string' ? extra.summary : issue.resolution),
  };
}

/** The first answer in the customer's thread; a returning customer is greeted as one. */
export function acknowledgementText(config: HeedConfig, issue: Issue): Rich {
  const returning = issue.previousIssueId !== undefined || (issue.customer.previousIssues ?? 0) > 0;
  const template = returning ? config.templates.acknowledgementReturning : config.templates.acknowledgement;
  const values = templateValues(config, issue);
  const acknowledgement = renderTemplate(template, values);
  // Caught up after downtime: the customer waited longer than they should have, and is told why.
  if (!issue.caughtUp) return acknowledgement;
  return joinRich([acknowledgement, renderTemplate(config.templates.caughtUp, values)], ' ');
}

/**
 * The team card: the issue with its running deadlines (UTC, to the minute), the customer's history and
 * value, and the saved reply that best fits the customer's words (while the issue is open).
 */
export function teamCard(issue: Issue, config: HeedConfig): IssueCard {
  const deadlines = runningDeadlines(issue).map(
    ({ name, dueAt }) => `${CLOCK_LABEL[name]} due ${utcMinute(dueAt)}`,
  );
  const customerHistory = customerHistoryLine(issue.customer, issue.openedAt);
  const open = issue.status !== 'resolved' && issue.status !== 'closed';
  const suggested = open ? suggestReply(config.replies, customerWords(issue)) : undefined;
  const value = valueLabel(customerValue(config, issue.customer));
  return buildCard(issue, {
    deadlines,
    ...(customerHistory ? { customerHistory } : {}),
    ...(suggested ? { suggestedReply: { id: suggested.id, title: suggested.title } } : {}),
    ...(value ? { value } : {}),
    config,
  });
}

/** `2026-11-23T09:15Z`: the card is read on both platforms, so one unambiguous form. */
function utcMinute(at: number): string {
  return new Date(at).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function withoutFinalStop(text: string | undefined): string | undefined {
  return text?.replace(/[.!?…\s]+$/u, '');
}
