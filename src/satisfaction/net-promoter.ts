/**
 * Net Promoter Score (pure): when a customer is due the question, their answer as a transition, and the
 * score of a set of answers. Asked in the customer's thread after a resolution, at most once per 90 days
 * per customer (their profile remembers when), on the trigger the config sets (`after: 3 resolved issues`
 * or `every 90d`). A detractor (0–6) asks the managers to recover, as a 👎 does.
 */
import type { NpsConfig } from '../config/issue-extras-config.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { LedgerDraft } from '../domain/ledger.ts';
import type { Transition } from '../domain/lifecycle.ts';
import { HEED_ACTOR, type UserRef } from '../domain/refs.ts';
import { rich } from '../messages/rich-text.ts';
import { COMMENT_LENGTH, isCustomerOf } from './rating.ts';

/** The shortest time between two questions to one customer. */
export const NPS_QUIET_MS = 90 * 86_400_000;

/** Promoters answer 9–10, passives 7–8, detractors 0–6. */
export type NpsGroup = 'promoter' | 'passive' | 'detractor';

export function npsGroup(score: number): NpsGroup {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** Whether a customer is due the question now (pure): the trigger holds and the last ask is 90 days back. */
export function npsDue(
  nps: NpsConfig,
  facts: { readonly resolvedIssues: number; readonly lastAskedAt: number | undefined },
  now: number,
): boolean {
  const { lastAskedAt } = facts;
  if (lastAskedAt !== undefined && now - lastAskedAt < NPS_QUIET_MS) return false;
  if ('resolvedIssues' in nps.after) return facts.resolvedIssues >= nps.after.resolvedIssues;
  return lastAskedAt === undefined || now - lastAskedAt >= nps.after.everyMs;
}

/** The `nps-asked` event Heed records on the issue it asks under. */
export function askedEvent(): LedgerDraft {
  return { kind: 'nps-asked', actor: HEED_ACTOR, data: { nps: true } };
}

/** The customer's NPS answer on this issue, if they gave one. */
export function npsAnswerOf(issue: Pick<Issue, 'history'>): number | undefined {
  const score = issue.history.find((event) => event.kind === 'nps-answered')?.data?.score;
  return typeof score === 'number' ? score : undefined;
}

/**
 * The customer answers the question asked on this issue (pure): only them, once, and only where it was
 * asked. `nps-answered` carries `data.score` (0–10) and the comment as its reason; a detractor also
 * records a `recovery-requested` event by Heed in the same write.
 */
export function answerNps(
  issue: Issue,
  person: UserRef,
  score: number,
  comment: string | undefined,
  now: number,
): Transition {
  const ref = issueRef(issue);
  if (!isCustomerOf(issue, person)) {
    return {
      ok: false,
      code: 'not-customer',
      message: rich`Thanks for looking! Only the customer who asked about ${ref} can answer this.`,
    };
  }
  if (!issue.history.some((event) => event.kind === 'nps-asked')) {
    return { ok: false, code: 'not-asked', message: rich`There is no question to answer on ${ref}.` };
  }
  if (npsAnswerOf(issue) !== undefined) {
    return { ok: false, code: 'already-answered', message: rich`Thanks, you already answered.` };
  }
  const text = comment?.trim().slice(0, COMMENT_LENGTH);
  const events: LedgerDraft[] = [
    {
      kind: 'nps-answered',
      actor: { platform: person.platform, id: person.id },
      ...(text ? { reason: text } : {}),
      data: { score, group: npsGroup(score) },
    },
  ];
  if (npsGroup(score) === 'detractor') {
    events.push({
      kind: 'recovery-requested',
      actor: HEED_ACTOR,
      reason: text
        ? `The customer answered ${score} of 10 on NPS: ${text}`
        : `The customer answered ${score} of 10 on NPS`,
      data: { recovery: true, nps: score },
    });
  }
  return { ok: true, issue: { ...issue, updatedAt: now }, events };
}

/** NPS over some answers: promoters % − detractors %, rounded; null without answers. */
export interface NpsFigures {
  readonly answers: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly score: number | null;
}

export function npsFigures(scores: readonly number[]): NpsFigures {
  const promoters = scores.filter((s) => npsGroup(s) === 'promoter').length;
  const detractors = scores.filter((s) => npsGroup(s) === 'detractor').length;
  const answers = scores.length;
  return {
    answers,
    promoters,
    passives: answers - promoters - detractors,
    detractors,
    score: answers === 0 ? null : Math.round(((promoters - detractors) / answers) * 100),
  };
}
