import { buttonFor } from '../actions/action.ts';
import { claimAction } from '../actions/claim.ts';
import type { HeedConfig } from '../config/schema.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';
import { bold, rich, truncate } from '../messages/rich-text.ts';
import type { OnCallRoster } from '../oncall/on-call-roster.ts';
import type { OutboxDraft } from './outbox.ts';
import { cardChannel } from './people.ts';
import { acknowledgementText, customerLabel, teamCard } from './presenter.ts';

/**
 * What a new issue owes, as outbox drafts recorded with the issue: the customer's acknowledgement in
 * their thread, the team card and, for an urgent issue with someone on call, the on-call page. An issue
 * caught up quietly (older than `backfill.maxAge`) owes none of them. Pure.
 */
export function intakeDrafts(config: HeedConfig, roster: OnCallRoster, issue: Issue): OutboxDraft[] {
  if (issue.caughtUp?.quiet) return [];
  const drafts: OutboxDraft[] = [
    {
      key: 'acknowledgement',
      kind: 'acknowledgement',
      group: `acknowledgement:${issue.id}`,
      target: { kind: 'reply', conversation: issue.conversation },
      message: { text: acknowledgementText(config, issue) },
    },
  ];
  const channel = cardChannel(config, issue);
  if (!channel) return drafts;
  drafts.push({
    key: 'card',
    kind: 'card',
    group: `card:${issue.id}`,
    target: { kind: 'post', channel, pings: [] },
    message: cardMessage(config, roster, issue),
  });
  const onCall = urgentPage(roster, issue, channel.platform);
  if (onCall) {
    drafts.push({
      key: 'page',
      kind: 'page',
      group: `page:${issue.id}`,
      target: { kind: 'dm', user: onCall },
      message: {
        text: rich`🚨 Urgent ${bold(issueRef(issue))} from ${customerLabel(issue)} needs someone now: ${{ t: 'customer', v: truncate(issue.subject, 300) }}`,
        actions: [buttonFor(claimAction, issue)],
      },
    });
  }
  return drafts;
}

/** Who an urgent issue pages: whoever was on call for its team when it was opened. */
function urgentPage(roster: OnCallRoster, issue: Issue, platform: Platform) {
  return issue.priority === 'urgent' ? roster.current(issue.team, platform, issue.openedAt) : undefined;
}

/** The team card's message for the issue as it is now (a late card shows the current state). */
export function cardMessage(config: HeedConfig, roster: OnCallRoster, issue: Issue) {
  const channel = cardChannel(config, issue);
  const onCall = channel && urgentPage(roster, issue, channel.platform);
  return {
    text: rich`${issue.priority === 'urgent' ? '🚨 Urgent ' : 'New '}issue ${bold(issueRef(issue))} from ${customerLabel(issue)}${onCall ? rich` — ${onCall}, you are on call` : ''}`,
    card: teamCard(issue, config),
  };
}
