import { z } from 'zod';
import { code, rich } from '../messages/rich-text.ts';
import { note } from '../operations/note.ts';
import { args, defineCommand, onIssue } from './command.ts';
import { noteOnCustomer } from './customer-note.ts';

export const noteCommand = defineCommand({
  name: 'note',
  summary: "Add an internal note to an issue, or to a customer's profile (staff only).",
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    {
      name: 'customer',
      kind: 'identity',
      description: 'Or a customer (@mention, slack:U…, discord:…): the note stays on their profile',
      optional: true,
      alternativeTo: 'issue',
    },
    { name: 'text', kind: 'text', description: 'The note', rest: true },
  ],
  schema: z.object({
    issue: args.issue,
    customer: args.identity('the customer, e.g. @dana or discord:123456789012345678').optional(),
    text: args.text('the text of the note'),
  }),
  run: (context, { issue, customer, text }) => {
    if (issue && customer) {
      return Promise.resolve({
        visibility: 'ephemeral' as const,
        text: rich`Give either an issue or a customer, not both: ${code('/heed note #42 <text>')} or ${code('/heed note @user <text>')}.`,
      });
    }
    if (customer) return noteOnCustomer(context, customer, text);
    return onIssue(context, issue, (i) => note(context.core, i, context.person, text));
  },
});
