import { z } from 'zod';
import type { Issue } from '../domain/issue.ts';
import type { ActionButton } from '../ports/chat-port.ts';
import { npsRefusal, npsScoreSchema } from '../satisfaction/net-promoter.ts';
import { COMMENT_LENGTH } from '../satisfaction/rating.ts';
import { type ActionDefinition, buttonFor, defineAction } from './action.ts';

const WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
] as const;

const comment = z
  .string()
  .optional()
  .transform((value) => value?.trim().slice(0, COMMENT_LENGTH) || undefined);

/** One button of the NPS scale (`nps-zero` … `nps-ten`: action names hold no digits), with an optional comment. */
const npsAction = (score: number) =>
  defineAction({
    name: `nps-${WORDS[npsScoreSchema.parse(score)]}`,
    label: String(score),
    form: {
      need: 'offered',
      title: () => `You answered ${score}`,
      fields: [
        {
          name: 'comment',
          label: 'What is the main reason for your score? (optional)',
          long: true,
          optional: true,
        },
      ],
    },
    // A second press, or someone else's, is answered at once rather than after the comment form.
    refuse: (issue, person) => npsRefusal(issue, person)?.message,
    schema: z.object({ comment }),
    run: (on, values) => on.nps(score, values.comment),
  });

/** The eleven buttons 0–10, in order. */
export const NPS_ACTIONS: readonly ActionDefinition[] = WORDS.map((_, score) =>
  npsAction(score),
) as readonly ActionDefinition[];

/** The 0–10 scale for the customer's thread. */
export function npsButtons(issue: Pick<Issue, 'id' | 'number'>): ActionButton[] {
  return NPS_ACTIONS.map((action) => buttonFor(action, issue));
}
