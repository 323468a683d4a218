import { z } from 'zod';
import { customerWords, rankReplies, suggestReply } from '../replies/saved-replies.ts';
import { defineAction } from './action.ts';

/**
 * Answer: sends a saved reply. Its form offers the saved replies (the best match for the customer's words
 * first, selected) and the reply's template to edit before sending; left as it is, the selected reply's
 * own template goes out.
 */
export const answerAction = defineAction({
  name: 'answer',
  label: 'Answer',
  form: {
    need: 'required',
    title: (ref) => `Answer ${ref}`,
    // Without the config (a form rebuilt for an old button), the reply is named by its id.
    fields: [
      { name: 'reply', label: 'Saved reply (its id)' },
      { name: 'message', label: 'Edit before sending (optional)', long: true, optional: true },
    ],
    build(issue, config) {
      const words = customerWords(issue);
      const suggested = suggestReply(config.replies, words) ?? config.replies[0];
      return [
        {
          name: 'reply',
          label: 'Saved reply',
          choices: rankReplies(config.replies, words).map((reply) => ({
            value: reply.id,
            label: reply.title,
          })),
          ...(suggested ? { initial: suggested.id } : {}),
        },
        {
          name: 'message',
          label: 'Edit before sending (optional)',
          long: true,
          optional: true,
          placeholder: 'Leave empty to send the saved reply as it is; {customer} and {ref} are filled in',
        },
      ];
    },
  },
  schema: z.object({
    reply: z.string({ error: 'choose a saved reply' }).trim().min(1, 'choose a saved reply').max(100),
    message: z.string().trim().max(3000).optional(),
  }),
  run: (on, { reply, message }) => on.answer(reply, message || undefined),
});
