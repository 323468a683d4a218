import { rich, truncate } from '../messages/rich-text.ts';
import { type Attachment, type MessageRecord, recordOf } from './customer-messages.ts';
import type { Issue } from './issue.ts';
import type { Transition } from './lifecycle.ts';

/** How long a subject (the card's quote) may be: as at opening. */
export const SUBJECT_LENGTH = 2_000;

/** The ledger keeps this much of an edited or deleted message's old text. */
const OLD_TEXT_KEPT = 2_000;

function refuse(code: 'unknown-message' | 'unchanged', why: string): Transition {
  return { ok: false, code, message: rich`${why}` };
}

function sameFiles(a: readonly Attachment[], b: readonly Attachment[]): boolean {
  return a.length === b.length && a.every((file, index) => file.url === b[index]?.url);
}

function find(issue: Issue, messageId: string): { record: MessageRecord; first: boolean } | undefined {
  const index = issue.messages.findIndex((record) => record.id === messageId);
  if (index < 0) return undefined;
  return { record: issue.messages[index]!, first: index === 0 && issue.messages[0]!.id === messageId };
}

/**
 * The customer edited one of their messages: its record takes the new text and files, the ledger keeps
 * the old text (`edited`), and an edit of the first message becomes the issue's subject (the card's
 * quote). The status does not change. A change that changes nothing (Slack re-sends a message when a
 * link preview is added) is no edit.
 */
export function customerEdited(
  issue: Issue,
  edit: { messageId: string; text: string; files?: readonly Attachment[] | undefined; at: number },
  now: number,
): Transition {
  const found = find(issue, edit.messageId);
  if (!found || found.record.deletedAt !== undefined)
    return refuse('unknown-message', 'no such customer message');
  const { record, first } = found;
  const next = recordOf({
    messageId: record.id,
    at: record.at,
    text: edit.text,
    files: edit.files ?? record.files,
  });
  if (next.text === record.text && sameFiles(next.files, record.files))
    return refuse('unchanged', 'nothing changed');
  const updated: MessageRecord = { ...next, editedAt: edit.at };
  return {
    ok: true,
    issue: {
      ...issue,
      messages: issue.messages.map((r) => (r.id === record.id ? updated : r)),
      ...(first ? { subject: truncate(edit.text, SUBJECT_LENGTH) } : {}),
      updatedAt: now,
    },
    events: [
      {
        kind: 'edited',
        actor: { platform: issue.customer.platform, id: issue.customer.id },
        reason: truncate(record.text, OLD_TEXT_KEPT),
        data: { messageId: record.id, first, files: updated.files.length },
      },
    ],
  };
}

/**
 * A customer message was deleted on the platform: its record is marked deleted (its text stays on
 * the issue and in the ledger's `deleted` entry, for staff), and nothing else changes: an issue whose
 * only message is gone stays open for staff to decide, and its card says so.
 */
export function customerDeleted(issue: Issue, messageId: string, at: number, now: number): Transition {
  const found = find(issue, messageId);
  if (!found || found.record.deletedAt !== undefined)
    return refuse('unknown-message', 'no such customer message');
  const { record, first } = found;
  return {
    ok: true,
    issue: {
      ...issue,
      messages: issue.messages.map((r) => (r.id === record.id ? { ...r, deletedAt: at } : r)),
      updatedAt: now,
    },
    events: [
      {
        kind: 'deleted',
        actor: { platform: issue.customer.platform, id: issue.customer.id },
        reason: truncate(record.text, OLD_TEXT_KEPT),
        data: { messageId: record.id, first },
      },
    ],
  };
}

/** Customer messages still standing, and how many were deleted. */
export function messageCounts(issue: Pick<Issue, 'messages'>): {
  live: number;
  deleted: number;
  edited: number;
} {
  return {
    live: issue.messages.filter((r) => r.deletedAt === undefined).length,
    deleted: issue.messages.filter((r) => r.deletedAt !== undefined).length,
    edited: issue.messages.filter((r) => r.editedAt !== undefined && r.deletedAt === undefined).length,
  };
}
