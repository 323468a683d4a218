import { z } from 'zod';
import { code, joinRich, rich } from '../messages/rich-text.ts';
import { answerWith } from '../operations/answer.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const answerCommand = defineCommand({
  name: 'answer',
  summary: 'Answer the customer with a saved reply (from the config); the ledger records which.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    {
      name: 'reply',
      kind: 'word',
      description: 'The saved reply, e.g. reset-2fa (leave out to list them)',
      optional: true,
      suggest: (core, typed) => {
        const text = typed.toLowerCase();
        return core.config.replies
          .filter(
            (reply) => text === '' || reply.id.includes(text) || reply.title.toLowerCase().includes(text),
          )
          .map((reply) => ({ name: `${reply.title} (${reply.id})`, value: reply.id }));
      },
    },
  ],
  schema: z.object({ issue: args.issue, reply: z.string().trim().min(1).max(100).optional() }),
  async run(context, { issue, reply }) {
    const { replies } = context.core.config;
    if (!reply) {
      if (replies.length === 0) {
        return {
          visibility: 'ephemeral',
          text: rich`There are no saved replies yet: add them under ${code('replies')} in the config.`,
        };
      }
      const lines = replies.map(
        (r) => rich`• ${code(r.id)} — ${r.title}${r.afterSending ? ` (then ${r.afterSending})` : ''}`,
      );
      return {
        visibility: 'ephemeral',
        text: rich`Saved replies (${code('/heed answer [#issue] <id>')}):\n${joinRich(lines, '\n')}`,
      };
    }
    return onIssue(context, issue, (i) => answerWith(context.core, i, context.person, reply));
  },
});
