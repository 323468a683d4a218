import { z } from 'zod';

/** A file that came with a customer message: a Slack file, a Discord attachment or embed. */
export const attachmentSchema = z.object({
  name: z.string().min(1).max(255),
  /** MIME type (`image/png`), or `embed:<type>` for a Discord embed. */
  type: z.string().max(127).optional(),
  /** Bytes, when the platform says. */
  size: z.number().int().nonnegative().optional(),
  /** Where staff open it (a Slack permalink, a Discord CDN URL): http(s) only. */
  url: z
    .string()
    .max(2_000)
    .regex(/^https?:\/\/[^\s<>]+$/i, 'an http(s) link'),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** How much of each customer message an issue keeps, and how many messages. */
export const MESSAGE_TEXT_KEPT = 4_000;
export const MESSAGES_KEPT = 20;
/** Files listed per message (a message may carry more; the rest are counted). */
export const FILES_KEPT = 10;

/** The record of one customer message: what it says now, its files, and whether it changed. */
export const messageRecordSchema = z.object({
  id: z.string().min(1),
  at: z.number().int(),
  text: z.string(),
  files: z.array(attachmentSchema).default([]),
  /** Files beyond those listed. */
  moreFiles: z.number().int().nonnegative().optional(),
  editedAt: z.number().int().optional(),
  deletedAt: z.number().int().optional(),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

/** A message's record as kept on its issue: the text capped, the files listed up to {@link FILES_KEPT}. */
export function recordOf(message: {
  readonly messageId: string;
  readonly at: number;
  readonly text: string;
  readonly files?: readonly Attachment[] | undefined;
}): MessageRecord {
  const files = message.files ?? [];
  return {
    id: message.messageId,
    at: message.at,
    text: message.text.slice(0, MESSAGE_TEXT_KEPT),
    files: files.slice(0, FILES_KEPT),
    ...(files.length > FILES_KEPT ? { moreFiles: files.length - FILES_KEPT } : {}),
  };
}

/** The records with one more, the oldest dropped past {@link MESSAGES_KEPT} (the first is always kept). */
export function withRecord(records: readonly MessageRecord[], record: MessageRecord): MessageRecord[] {
  const all = [...records.filter((r) => r.id !== record.id), record];
  if (all.length <= MESSAGES_KEPT) return all;
  return [all[0]!, ...all.slice(all.length - MESSAGES_KEPT + 1)];
}

/** Every file of the messages not deleted, newest message last, and how many more were not listed. */
export function filesOf(records: readonly MessageRecord[]): { files: Attachment[]; more: number } {
  const live = records.filter((record) => record.deletedAt === undefined);
  return {
    files: live.flatMap((record) => record.files),
    more: live.reduce((sum, record) => sum + (record.moreFiles ?? 0), 0),
  };
}
