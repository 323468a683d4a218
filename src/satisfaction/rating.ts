import { type Issue, issueRef } from '../domain/issue.ts';
import type { LedgerDraft } from '../domain/ledger.ts';
import type { Transition } from '../domain/lifecycle.ts';
import { HEED_ACTOR, type UserRef } from '../domain/refs.ts';
import { rich } from '../messages/rich-text.ts';

/** A customer's verdict on a resolution. */
export type Score = 'up' | 'down';

/** The longest comment kept with a rating. */
export const COMMENT_LENGTH = 3000;

/** The issue's rating, if the customer gave one (one per issue). */
export function ratingOf(issue: Pick<Issue, 'history'>): Score | undefined {
  const score = issue.history.find((event) => event.kind === 'rated')?.data?.score;
  return score === 'up' || score === 'down' ? score : undefined;
}

/** Whether `person` is the customer who opened the issue (same platform and id). */
export function isCustomerOf(issue: Pick<Issue, 'customer'>, person: UserRef): boolean {
  return issue.customer.platform === person.platform && issue.customer.id === person.id;
}

/**
 * Why `person` may not rate the issue now, if they may not: only its customer, once, after a resolution.
 * Asked before the comment form opens, so a second press is answered at once.
 */
export function ratingRefusal(
  issue: Pick<Issue, 'number' | 'customer' | 'history'>,
  person: UserRef,
): Extract<Transition, { ok: false }> | undefined {
  const ref = issueRef(issue);
  if (!isCustomerOf(issue, person)) {
    return {
      ok: false,
      code: 'not-customer',
      message: rich`Thanks for looking! Only the customer who asked about ${ref} can rate its answer.`,
    };
  }
  if (ratingOf(issue)) {
    return { ok: false, code: 'already-rated', message: rich`Thanks, you already rated this.` };
  }
  if (!issue.history.some((event) => event.kind === 'resolved')) {
    return {
      ok: false,
      code: 'not-resolved',
      message: rich`${ref} is not resolved yet; you can rate it once it is.`,
    };
  }
  return undefined;
}

/**
 * The customer rates the resolution (pure). Only the issue's customer may, once, after a resolution.
 * The `rated` event carries `data.score` and the comment as its reason. A 👎 also records the recovery
 * task for the team lead as a `recovery-requested` event by Heed, in the same write.
 */
export function rate(
  issue: Issue,
  person: UserRef,
  score: Score,
  comment: string | undefined,
  now: number,
): Transition {
  const refused = ratingRefusal(issue, person);
  if (refused) return refused;
  const text = comment?.trim().slice(0, COMMENT_LENGTH);
  const events: LedgerDraft[] = [
    {
      kind: 'rated',
      actor: { platform: person.platform, id: person.id },
      ...(text ? { reason: text } : {}),
      data: { score },
    },
  ];
  if (score === 'down') {
    events.push({
      kind: 'recovery-requested',
      actor: HEED_ACTOR,
      reason: text ? `The customer rated the answer 👎: ${text}` : 'The customer rated the answer 👎',
      data: { recovery: true, score },
    });
  }
  return { ok: true, issue: { ...issue, updatedAt: now }, events };
}
