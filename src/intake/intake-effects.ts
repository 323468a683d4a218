import type { Core } from '../core/core.ts';
import type { OutboxEntry } from '../core/outbox.ts';
import type { Issue } from '../domain/issue.ts';

/**
 * Sends what a new issue owes, as recorded in the outbox with the issue (`core/intake-messages.ts`): the
 * customer's acknowledgement and the team card together, their references stored on the issue in the
 * transaction that marks them sent, then the on-call page. Without `entries` (a redelivered message, a
 * retry) it sends whatever of the issue's is still unsent and nobody else is sending. An issue caught up
 * quietly owes nothing. Returns the issue as it is now.
 */
export async function ensureIntakeEffects(
  core: Core,
  issue: Issue,
  entries?: readonly OutboxEntry[],
): Promise<Issue> {
  const now = core.clock.now();
  if (entries) return core.outbox.sendForIssue(issue, entries, now);
  const sent = await core.outbox.sendLeftovers(now, issue.id);
  if (sent === 0) return issue;
  return (await core.issues.get(issue.id)) ?? issue;
}
