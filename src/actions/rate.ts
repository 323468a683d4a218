import { z } from 'zod';
import type { Issue } from '../domain/issue.ts';
import type { ActionButton } from '../ports/chat-port.ts';
import { COMMENT_LENGTH, ratingRefusal, type Score } from '../satisfaction/rating.ts';
import { type ActionDefinition, buttonFor, defineAction } from './action.ts';

// The rating form's comment is optional: an empty or missing one is no comment; a long one is cut.
const comment = z
  .string()
  .optional()
  .transform((value) => value?.trim().slice(0, COMMENT_LENGTH) || undefined);

const rateAction = (score: Score, name: string, label: string, question: string) =>
  defineAction({
    name,
    label,
    form: {
      // Only an optional comment: without a modal, the rating is recorded at once.
      need: 'offered',
      title: (ref) => `Rate ${ref}`,
      fields: [{ name: 'comment', label: question, long: true, optional: true }],
    },
    // A second press, or someone else's, is answered at once rather than after the comment form.
    refuse: (issue, person) => ratingRefusal(issue, person)?.message,
    schema: z.object({ comment }),
    run: (on, values) => on.rate(score, values.comment),
  });

/**
 * 👍 and 👎, the customer's one-click verdict on a resolution: two actions of one question, defined
 * together (the resolution message and the follow-up check-in carry both).
 */
export const rateUpAction = rateAction('up', 'rate-up', '👍 Helpful', 'Anything to add? (optional)');
export const rateDownAction = rateAction(
  'down',
  'rate-down',
  '👎 Not helpful',
  'What could we have done better? (optional)',
);

const RATING_ACTIONS: readonly ActionDefinition[] = [rateUpAction, rateDownAction];

/** 👍 / 👎 for the customer's thread (resolution message, follow-up check-in). */
export function ratingButtons(issue: Pick<Issue, 'id' | 'number'>): ActionButton[] {
  return RATING_ACTIONS.map((action) => buttonFor(action, issue));
}
