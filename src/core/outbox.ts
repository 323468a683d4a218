/**
 * The outbox: messages Heed owes (a new issue's acknowledgement, card and on-call page; SLA alerts),
 * decided and recorded in the same transaction as the issue change that owes them, sent after, then marked sent. An entry recorded but never marked (a crash, a platform
 * outage) is sent by the next pass, marked late: every entry goes out at least once. A crash between a
 * send and its mark sends that one message twice; the mark follows the send at once to keep that window
 * short.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Issue } from '../domain/issue.ts';
import { channelRefSchema, conversationRefSchema, userRefSchema } from '../domain/refs.ts';
import type { OutboundMessage } from '../ports/chat-port.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';
import { HeedError } from './errors.ts';

/** How long the instance that recorded an entry has to send it before another pass may. */
export const OUTBOX_CLAIM_MS = 30_000;
/** At most this many entries per pass. */
const PASS_SIZE = 200;
/**
 * Sends of one entry the platform refused or a crash cut off, after which Heed stops trying it (it stays
 * unsent: counted in `heed_outbox_depth`, and logged when given up on).
 */
export const OUTBOX_MAX_ATTEMPTS = 20;

export const outboxTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dm'), user: userRefSchema }),
  z.object({ kind: z.literal('post'), channel: channelRefSchema, pings: z.array(userRefSchema).default([]) }),
  z.object({ kind: z.literal('reply'), conversation: conversationRefSchema }),
]);
/** Where an entry goes: a DM, a channel post (with people to ping under it), a thread reply. */
export type OutboxTarget = z.infer<typeof outboxTargetSchema>;

// Messages are built by the core and only read back by it: the shape is checked, the rich text trusted.
const outboundMessageSchema = z.object({
  text: z.array(z.looseObject({ t: z.string() })),
  card: z.looseObject({ reference: z.string() }).optional(),
  actions: z.array(z.looseObject({ action: z.string(), issueId: z.string(), label: z.string() })).optional(),
});

/**
 * What the outbox carries: a new issue's acknowledgement, card and on-call page, SLA alerts, digests,
 * nudges to silent customers, on-call hand-off messages, and the resolution notice and NPS question to
 * the customer.
 */
export const OUTBOX_KINDS = [
  'acknowledgement',
  'card',
  'page',
  'alert',
  'digest',
  'nudge',
  'handoff',
  'resolution',
  'nps',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** What a change records to send: `key` is unique within the issue, `group` gathers one destination's. */
export interface OutboxDraft {
  readonly key: string;
  readonly kind: OutboxKind;
  readonly group: string;
  readonly target: OutboxTarget;
  readonly message: OutboundMessage;
}

/** A recorded entry, as read back to send. */
export interface OutboxEntry extends OutboxDraft {
  readonly id: string;
  readonly issueId: string | undefined;
  readonly createdAt: number;
  /** Sends before this one failed or were cut off. */
  readonly attempts: number;
  /** Left unsent by a failure or a crash (not held back on purpose): say it comes late. */
  readonly late?: boolean;
}

/** `claimed_by` of entries held back to go out together (alert coalescing), not being sent. */
const HELD = 'hold:';

/**
 * Records `drafts` for `issueId` (or for no issue: `null`, as a manager digest) in the change's
 * transaction, claimed by `holder` for a first send.
 */
export async function insertOutbox(
  trx: Transaction<HeedTables>,
  issueId: string | null,
  drafts: readonly OutboxDraft[],
  claim: { readonly holder: string; readonly now: number },
): Promise<OutboxEntry[]> {
  if (drafts.length === 0) return [];
  const entries = drafts.map((draft) => ({
    ...draft,
    id: `${issueId ?? 'heed'}:${draft.key}`,
    issueId: issueId ?? undefined,
    createdAt: claim.now,
    attempts: 0,
  }));
  await trx
    .insertInto('outbox')
    .values(
      entries.map((entry) => ({
        id: entry.id,
        issue_id: issueId,
        kind: entry.kind,
        group_key: entry.group,
        target: JSON.stringify(entry.target),
        message: JSON.stringify(entry.message),
        created_at: claim.now,
        claimed_until: claim.now + OUTBOX_CLAIM_MS,
        claimed_by: claim.holder,
      })),
    )
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  return entries;
}

/** Marks entries sent in the caller's transaction (with the change that stores what they produced). */
export async function markOutboxSent(
  trx: Transaction<HeedTables>,
  ids: readonly string[],
  at: number,
): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('outbox').set({ sent_at: at, claimed_until: null }).where('id', 'in', ids).execute();
}

const rowSchema = z.object({
  id: z.string(),
  issue_id: z.string().nullable(),
  kind: z.enum(OUTBOX_KINDS),
  group_key: z.string(),
  target: z.string(),
  message: z.string(),
  created_at: z.coerce.number(),
  attempts: z.coerce.number(),
});

function entryFromRow(row: unknown): OutboxEntry {
  const parsed = rowSchema.safeParse(row);
  const id = (row as { id?: unknown }).id;
  if (!parsed.success) {
    throw new HeedError(
      'OUTBOX_ENTRY_INVALID',
      `Outbox entry ${String(id)} is damaged: ${parsed.error.message}`,
    );
  }
  const { data } = parsed;
  try {
    return {
      id: data.id,
      issueId: data.issue_id ?? undefined,
      kind: data.kind,
      key: data.id,
      group: data.group_key,
      target: outboxTargetSchema.parse(JSON.parse(data.target)),
      message: outboundMessageSchema.parse(JSON.parse(data.message)) as unknown as OutboundMessage,
      createdAt: data.created_at,
      attempts: data.attempts,
    };
  } catch (error) {
    throw new HeedError('OUTBOX_ENTRY_INVALID', `Outbox entry ${data.id} is damaged: ${String(error)}`);
  }
}

/** What the core sends owed messages through (`core/outbox-sender.ts`). */
export interface Outbox {
  /** Sends entries (new ones, or leftovers when `late`); returns how many messages went out. */
  send(entries: readonly OutboxEntry[], now: number, late: boolean): Promise<number>;
  /** Claims what nobody is sending (entries carry whether they are late) without sending it. */
  claimLeftovers(now: number, issueId?: string): Promise<OutboxEntry[]>;
  /** When the next entry held back for coalescing is due, if any (the scheduler wakes then). */
  nextHeldAt(): number | undefined;
  /** Sends what a new issue owes and returns it with the references of what went out. */
  sendForIssue(issue: Issue, entries: readonly OutboxEntry[], now: number): Promise<Issue>;
  /** Claims what nobody is sending, for one issue or all, and sends it marked late. */
  sendLeftovers(now: number, issueId?: string): Promise<number>;
  /** Entries not yet sent, and the age of the oldest (metrics). */
  depth(now: number): Promise<{ unsent: number; oldestAgeMs: number }>;
  /** Drops every claim on unsent entries: for a lone instance at start, whose predecessor is gone. */
  releaseClaims(): Promise<void>;
}

/** The outbox's rows: claiming what is left unsent, marking what went out. */
export class OutboxStore {
  constructor(
    private readonly database: HeedDatabase,
    private readonly holder: string,
  ) {}

  /**
   * Claims up to a pass of entries nobody is sending (never sent, their claim lapsed), oldest first. On
   * PostgreSQL rows another instance is claiming right now are skipped, so each entry has one sender.
   * A damaged entry is skipped and reported through `onDamaged`.
   */
  async claimUnsent(
    now: number,
    onDamaged: (id: string, problem: string) => void,
    issueId?: string,
  ): Promise<OutboxEntry[]> {
    const held = new Set<string>();
    const claimed = await this.database.change(async (trx) => {
      let pick = trx
        .selectFrom('outbox')
        .select(['id', 'claimed_by'])
        .where('sent_at', 'is', null)
        .$if(issueId !== undefined, (query) => query.where('issue_id', '=', issueId!))
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
        .where('attempts', '<', OUTBOX_MAX_ATTEMPTS)
        .orderBy('created_at')
        .limit(PASS_SIZE);
      if (this.database.kind === 'postgres') pick = pick.forUpdate().skipLocked();
      const picked = await pick.execute();
      const ids = picked.map((row) => row.id);
      if (ids.length === 0) return [];
      for (const row of picked) if (row.claimed_by?.startsWith(HELD)) held.add(row.id);
      return trx
        .updateTable('outbox')
        .set((eb) => ({
          claimed_until: now + OUTBOX_CLAIM_MS,
          claimed_by: this.holder,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', ids)
        .returning(['id', 'issue_id', 'kind', 'group_key', 'target', 'message', 'created_at', 'attempts'])
        .execute();
    });
    const entries: OutboxEntry[] = [];
    for (const row of claimed) {
      try {
        entries.push({ ...entryFromRow(row), late: !held.has(row.id) });
      } catch (error) {
        onDamaged(row.id, error instanceof Error ? error.message : String(error));
        await this.markSent([row.id], now);
      }
    }
    return entries;
  }

  /** Holds entries back until `until` (to go out together); any pass after that sends them, not late. */
  async hold(ids: readonly string[], until: number): Promise<void> {
    if (ids.length === 0) return;
    await this.database.change((trx) =>
      trx
        .updateTable('outbox')
        .set({ claimed_until: until, claimed_by: `${HELD}${this.holder}` })
        .where('id', 'in', ids)
        .execute(),
    );
  }

  /** Drops every claim on unsent entries: for a lone instance at start, whose predecessor is gone. */
  async releaseClaims(): Promise<void> {
    await this.database.change((trx) =>
      trx
        .updateTable('outbox')
        .set({ claimed_until: null, claimed_by: null })
        .where('sent_at', 'is', null)
        .execute(),
    );
  }

  /** Marks entries sent (they are kept, for the record, and never sent again). */
  async markSent(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.database.change((trx) => markOutboxSent(trx, ids, at));
  }

  /** Entries not yet sent, and the age of the oldest (metrics). */
  async depth(now: number): Promise<{ unsent: number; oldestAgeMs: number }> {
    const row = await this.database.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    const unsent = Number(row?.n ?? 0);
    const oldest = row?.oldest === null || row?.oldest === undefined ? undefined : Number(row.oldest);
    return { unsent, oldestAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest) };
  }
}
