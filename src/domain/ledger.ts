import { z } from 'zod';
import { actorRefSchema, platformSchema } from './refs.ts';

/** Every kind of entry in the ownership ledger. */
export const ledgerKindSchema = z.enum([
  'opened',
  'routed',
  'customer-replied',
  'claimed',
  'released',
  'handed-off',
  'responded',
  'waiting',
  'apologized',
  'noted',
  'reprioritized',
  'snoozed',
  'warned',
  'nagged',
  'escalated',
  'acknowledged',
  'resolved',
  'reopened',
  'closed',
  'rated',
  /**
   * A 👎 asked the team's managers to make it right (the recovery task). Before 0.2 such an entry was
   * `escalated` with `data.recovery`, and was miscounted as an SLA escalation.
   */
  'recovery-requested',
  /** The customer edited a message: `reason` keeps the old text, `data.messageId` names it. */
  'edited',
  /** A customer message was deleted: `reason` keeps its text, `data.messageId` names it. */
  'deleted',
  /** Heed asked the customer the NPS question (`data.nps: true`). */
  'nps-asked',
  /** The customer answered it: `data.score` 0–10, the comment as `reason`. */
  'nps-answered',
  /** A manager had the customer forgotten (`/heed forget`): `data.pseudonym` names them now. */
  'forgotten',
]);
export type LedgerKind = z.infer<typeof ledgerKindSchema>;

/** One append-only ledger entry. `data` holds kind-specific safe facts (never secrets). */
export const ledgerEventSchema = z.object({
  id: z.string().min(1),
  at: z.number().int(),
  kind: ledgerKindSchema,
  issueId: z.string().min(1),
  issueNumber: z.number().int().positive(),
  team: z.string(),
  platform: platformSchema,
  actor: actorRefSchema,
  reason: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;

/** What a transition produces before ids and issue fields are stamped on. */
export type LedgerDraft = Pick<LedgerEvent, 'kind' | 'actor'> & {
  reason?: string;
  data?: Record<string, string | number | boolean | null>;
};
