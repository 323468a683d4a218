import { onCallOf } from '../core/access-resolver.ts';
import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { cardChannel } from '../core/people.ts';
import { acknowledgementText, customerLabel, teamCard } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import { bold, rich, truncate } from '../messages/rich-text.ts';

/**
 * Sends what a new issue owes: the customer acknowledgement, the team card and, for urgent issues, the
 * on-call page. Each is sent once; their references are stored so a retry only sends what is missing.
 * An issue caught up quietly (older than `backfill.maxAge`) owes none of them.
 */
export async function ensureIntakeEffects(core: Core, issue: Issue): Promise<Issue> {
  // Caught up long after the customer wrote: nobody is messaged; the catch-up posts one summary instead.
  if (issue.caughtUp?.quiet) return issue;
  let current = issue;
  const channel = current.card ? undefined : cardChannel(core.config, current);
  const onCall =
    channel && current.priority === 'urgent'
      ? onCallOf(core.config, current.team, channel.platform)
      : undefined;
  // Both go out at once (different channels), then one change stores both references.
  const [ack, card] = await Promise.all([
    current.acknowledgement
      ? undefined
      : safely(core, 'acknowledgement', () =>
          core.chat.reply(current.conversation, { text: acknowledgementText(core.config, current) }),
        ),
    channel
      ? safely(core, 'card', () =>
          core.chat.post(channel, {
            text: rich`${current.priority === 'urgent' ? '🚨 Urgent ' : 'New '}issue ${bold(issueRef(current))} from ${customerLabel(current)}${onCall ? rich` — ${onCall}, you are on call` : ''}`,
            card: teamCard(current),
          }),
        )
      : undefined,
  ]);
  if (ack || card) {
    current = await core.issues.attach(current, {
      ...(ack ? { acknowledgement: ack } : {}),
      ...(card ? { card } : {}),
    });
  }
  if (card && onCall) {
    await safely(core, 'on-call page', () =>
      core.chat.dm(onCall, {
        text: rich`🚨 Urgent ${bold(issueRef(current))} from ${customerLabel(current)} needs someone now: ${{ t: 'customer', v: truncate(current.subject, 300) }}`,
        actions: [{ action: 'claim', issueId: current.id, label: 'Claim', style: 'primary' }],
      }),
    );
  }
  return current;
}
