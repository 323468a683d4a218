/**
 * Net Promoter Score (pure): when a customer is due the question, their answer as a transition, and the
 * score of a set of answers. Asked in the customer's thread after a resolution, at most once per 90 days
 * per customer (their profile remembers when), on the trigger the config sets (`after: 3 resolved issues`
 * or `every 90d`). A detractor (0–6) asks the managers to recover, as a 👎 does.
 */
import { z } from 'zod';
import type { NpsConfig } from '../config/issue-extras-config.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { LedgerDraft, LedgerEvent } from '../domain/ledger.ts';
import type { Transition } from '../domain/lifecycle.ts';
import { HEED_ACTOR, type UserRef } from '../domain/refs.ts';
import { bold, type Rich, rich } from '../messages/rich-text.ts';
import { COMMENT_LENGTH, isCustomerOf } from './rating.ts';

/** The shortest time between two questions to one customer. */
export const NPS_QUIET_MS = 90 * 86_400_000;

/** An answer on the 0–10 scale. */
export const npsScoreSchema = z.number().int().min(0).max(10);

/** What an `nps-answered` event carries (validated when read back: a damaged one is not counted). */
export const npsAnswerDataSchema = z.object({ score: npsScoreSchema });

/** The score an `nps-answered` event records, if it is one and valid. */
export function npsScoreOf(event: Pick<LedgerEvent, 'kind' | 'data'>): number | undefined {
  if (event.kind !== 'nps-answered') return undefined;
  const parsed = npsAnswerDataSchema.safeParse(event.data);
  return parsed.success ? parsed.data.score : undefined;
}

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

/**
 * The question as the customer reads it, under the resolution's 👍/👎 (which is about this issue): said to
 * be about us in general, and rare, so the two do not read as one survey asked twice.
 */
export function npsQuestion(question: string): Rich {
  return rich`One more question, about us in general (we ask at most once a quarter): ${bold(question)} (0 = not at all likely, 10 = extremely likely)`;
}

/** The `nps-asked` event Heed records on the issue it asks under. */
export function askedEvent(): LedgerDraft {
  return { kind: 'nps-asked', actor: HEED_ACTOR, data: { nps: true } };
}

/** The customer's answer to the latest question asked on this issue, if they gave one. */
export function npsAnswerOf(issue: Pick<Issue, 'history'>): number | undefined {
  const asked = issue.history.findLastIndex((event) => event.kind === 'nps-asked');
  for (const event of issue.history.slice(asked + 1)) {
    const score = npsScoreOf(event);
    if (score !== undefined) return score;
  }
  return undefined;
}

/**
 * Why this person cannot answer the question on this issue, if they cannot (pure): only the customer, once,
 * and only where it was asked. Checked when a button is pressed (before its comment form opens) and again
 * when the answer is recorded.
 */
export function npsRefusal(
  issue: Pick<Issue, 'number' | 'customer' | 'history'>,
  person: UserRef,
): Extract<Transition, { ok: false }> | undefined {
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
  return undefined;
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
  const refused = npsRefusal(issue, person);
  if (refused) return refused;
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
