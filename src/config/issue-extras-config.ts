/**
 * Config sections for first-contact resolution, word of mouth and money: saved replies, NPS, customer
 * value matchers and how long message text is kept. Validated here; `schema.ts` adds them to the config.
 */
import { z } from 'zod';
import { parseDuration } from '../sla/duration.ts';
import { durationString, id } from './primitives.ts';

/** A saved reply staff send with `/heed answer` or the card's Answer button. */
export const savedReplySchema = z
  .object({
    id,
    /** Shown in pickers (Slack select options allow 75 characters). */
    title: z.string().trim().min(1).max(75, 'a title fits in 75 characters (it is shown in a picker)'),
    /** A template: {customer}, {ref}, {team}, {owner} and the other template placeholders. */
    text: z.string().trim().min(1).max(3000, 'a saved reply is at most 3000 characters'),
    /** Words in the customer's message that make the card suggest this reply. */
    keywords: z.array(z.string().trim().min(1)).default([]),
    /** After sending: `resolve` the issue, or `wait` on the customer; default: it counts as a response. */
    // biome-ignore lint/suspicious/noThenProperty: the config file's key is `then`; the parsed reply calls it `afterSending`
    then: z.enum(['resolve', 'wait']).optional(),
  })
  .strict()
  .transform(({ then: afterSending, ...reply }) => ({
    ...reply,
    ...(afterSending ? { afterSending } : {}),
  }));
export type SavedReply = z.output<typeof savedReplySchema>;

/** When to ask a customer for NPS: after their Nth resolved issue, or every so often. */
export type NpsTrigger = { readonly resolvedIssues: number } | { readonly everyMs: number };

const npsAfter = z.string().transform((value, ctx): NpsTrigger => {
  const text = value.trim().toLowerCase();
  const count = /^(\d{1,4})\s+resolved\s+issues?$/.exec(text);
  if (count && Number(count[1]) >= 1) return { resolvedIssues: Number(count[1]) };
  const every = /^every\s+(\S.*)$/.exec(text);
  if (every) {
    try {
      const ms = parseDuration(every[1]!);
      if (ms >= 86_400_000) return { everyMs: ms };
    } catch {}
  }
  ctx.addIssue({
    code: 'custom',
    message:
      'say when to ask: "3 resolved issues" (after the customer\'s third) or "every 90d" (at least a day)',
  });
  return z.NEVER;
});

export const DEFAULT_NPS_QUESTION = 'How likely are you to recommend us to a friend or colleague?';

/** Net Promoter Score surveys in the customer's thread; asked at most once per 90 days per customer. */
export const npsSchema = z
  .object({
    after: npsAfter,
    question: z.string().trim().min(1).max(300).default(DEFAULT_NPS_QUESTION),
  })
  .strict();
export type NpsConfig = z.output<typeof npsSchema>;

/** Matches a customer's value (their own, else their tier's): `value: { atLeast: 10000 }`. */
export const valueMatchSchema = z.object({ atLeast: z.number().nonnegative() }).strict();
export type ValueMatch = z.output<typeof valueMatchSchema>;

/** How long Heed keeps message text (for transcripts); the ledger is kept. */
export const retentionSchema = z
  .object({ messages: durationString.default(parseDuration('180d')) })
  .strict()
  .default({ messages: parseDuration('180d') });
