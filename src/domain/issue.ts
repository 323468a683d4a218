import { z } from 'zod';
import { EMPTY_SLA, slaStateSchema } from '../sla/sla-state.ts';
import { messageRecordSchema } from './customer-messages.ts';
import { ledgerEventSchema } from './ledger.ts';
import { conversationRefSchema, messageRefSchema, platformSchema, userRefSchema } from './refs.ts';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

/**
 * new → claimed → waiting (on the customer) ⇄ claimed → resolved → closed; a customer writing after
 * resolution reopens the issue (reopened behaves like claimed-but-needs-attention).
 */
export const issueStatusSchema = z.enum(['new', 'claimed', 'waiting', 'resolved', 'closed', 'reopened']);
export type IssueStatus = z.infer<typeof issueStatusSchema>;

/** Statuses in which somebody on the team still owes the customer something. */
export const ACTIVE_STATUSES: readonly IssueStatus[] = ['new', 'claimed', 'waiting', 'reopened'];

export const customerSchema = z.object({
  platform: platformSchema,
  id: z.string().min(1),
  name: z.string().optional(),
  organisation: z.string().optional(),
  tier: z.string().optional(),
  // A snapshot of the customer's profile when the issue opened (absent on issues from before profiles).
  /** The customer profile (`src/customers`) this person belongs to. */
  profileId: z.string().optional(),
  /** How many issues the person had opened before this one. */
  previousIssues: z.number().int().nonnegative().optional(),
  /** When the person last wrote to support before this issue. */
  lastContactAt: z.number().int().optional(),
  /** Their latest satisfaction rating before this issue. */
  lastRating: z.enum(['up', 'down']).optional(),
  /** How many staff notes their profile held. */
  notesOnFile: z.number().int().nonnegative().optional(),
  /** What the customer is worth (their own value, else their tier's), when the issue opened. */
  value: z.number().nonnegative().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

export const noteSchema = z.object({ at: z.number().int(), by: userRefSchema, text: z.string() });

export const ISSUE_SCHEMA_VERSION = 1;

export const issueSchema = z.object({
  v: z.literal(ISSUE_SCHEMA_VERSION),
  id: z.string().min(1),
  number: z.number().int().positive(),
  status: issueStatusSchema,
  priority: prioritySchema,
  team: z.string().min(1),
  customer: customerSchema,
  /** The customer's thread: where acknowledgements, replies and apologies go. */
  conversation: conversationRefSchema,
  subject: z.string(),
  routedBy: z.string().optional(),
  owner: userRefSchema.optional(),
  card: messageRefSchema.optional(),
  acknowledgement: messageRefSchema.optional(),
  openedAt: z.number().int(),
  updatedAt: z.number().int(),
  lastCustomerMessageAt: z.number().int(),
  firstResponseAt: z.number().int().optional(),
  lastResponseAt: z.number().int().optional(),
  waitingSince: z.number().int().optional(),
  resolvedAt: z.number().int().optional(),
  closedAt: z.number().int().optional(),
  resolution: z.string().optional(),
  previousIssueId: z.string().optional(),
  /**
   * Opened while catching up on messages written during downtime (`at`: when Heed read it). `quiet`: the
   * message was older than `backfill.maxAge`, so the customer was not written to and the team got one
   * summary instead of a card.
   */
  caughtUp: z.object({ at: z.number().int(), quiet: z.boolean() }).optional(),
  /** When the retention purge removed the text of the customer's messages (`retention.messages`). */
  textPurgedAt: z.number().int().optional(),
  /** When the customer was forgotten (`/heed forget`): the issue stays, anonymised under a pseudonym. */
  forgottenAt: z.number().int().optional(),
  notes: z.array(noteSchema),
  /** Recent inbound message ids, so a redelivered message is never counted twice. */
  seenMessages: z.array(z.string()),
  /**
   * The customer's messages as they stand (the first, and the latest up to `MESSAGES_KEPT`): text, files,
   * edits and deletions. Absent on issues from before files and edits were kept.
   */
  messages: z.array(messageRecordSchema).default([]),
  revision: z.number().int().nonnegative(),
  /** SLA clocks and alert bookkeeping, derived on every change by `sla/clocks.ts`. */
  sla: slaStateSchema.default(EMPTY_SLA),
  history: z.array(ledgerEventSchema),
});
export type Issue = z.infer<typeof issueSchema>;

/** `#42`: how people type and read issue references. */
export function issueRef(issue: Pick<Issue, 'number'>): string {
  return `#${issue.number}`;
}

export function isActive(issue: Pick<Issue, 'status'>): boolean {
  return ACTIVE_STATUSES.includes(issue.status);
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
export function priorityRank(priority: Priority): number {
  return PRIORITY_RANK[priority];
}
