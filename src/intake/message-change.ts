import { refreshCard } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { customerDeleted, customerEdited } from '../domain/message-changes.ts';
import type { ChangeOutcome, MessageChange } from '../ports/inbound-port.ts';

/**
 * A customer edited or deleted a message Heed recorded: the issue's record of it changes, the ledger
 * keeps the old text (`edited`, `deleted`), and the card is refreshed (its quote, when the first message
 * changed, and its note of deleted messages). Messages of staff or of no issue are ignored; nothing else
 * about the issue (status, owner, clocks) moves.
 */
export async function messageChanged(core: Core, change: MessageChange): Promise<ChangeOutcome> {
  const issueId = await core.issues.issueIdForMessage(change.platform, change.channel, change.messageId);
  if (!issueId) return { kind: 'ignored', reason: 'not a message of an issue' };
  const now = core.clock.now();
  const saved = await core.issues.update(issueId, (current) =>
    change.kind === 'edited'
      ? customerEdited(current, change, now)
      : customerDeleted(current, change.messageId, change.at, now),
  );
  if (!('issue' in saved)) return { kind: 'ignored', reason: 'not a customer message, or nothing changed' };
  core.logger.info(
    { platform: change.platform, issue: saved.issue.number, change: change.kind },
    `a customer message was ${change.kind}`,
  );
  await refreshCard(core, saved.issue);
  return { kind: 'recorded', issue: saved.issue };
}
