import { type Issue, issueRef } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';
import { bold, customerText, link, type Rich, rich } from '../messages/rich-text.ts';

export interface RecoveryNoticeInput {
  readonly issue: Issue;
  /** The customer's name (and organisation), as untrusted text. */
  readonly customer: Rich;
  readonly comment?: string | undefined;
  /** The platform the notice is sent on: the owner is named only where a mention can render. */
  readonly platform: Platform;
  /** What the customer said, when not a 👎 (`answered 3 of 10 on NPS`). */
  readonly verdict?: string | undefined;
}

/**
 * The recovery task a 👎 creates, for the team's managers and channel: the issue, the customer, their
 * comment (untrusted, never pings), who resolved it and how, and a link to the customer's thread.
 */
export function recoveryNotice({ issue, customer, comment, platform, verdict }: RecoveryNoticeInput): Rich {
  const said = comment?.trim() ? rich`: “${customerText(comment.trim())}”` : rich` (no comment)`;
  const owner = issue.owner?.platform === platform ? rich` · resolved by ${issue.owner}` : rich``;
  const summary = issue.resolution ? rich` · resolution: ${customerText(issue.resolution)}` : rich``;
  const thread = issue.acknowledgement?.link
    ? rich` · ${link(issue.acknowledgement.link, 'open thread')}`
    : rich``;
  return rich`👎 ${bold('Recovery needed')} on ${bold(issueRef(issue))} · ${customer} ${verdict ?? 'rated the answer 👎'}${said}${owner}${summary}${thread}\nPlease reach out to the customer and make it right.`;
}
