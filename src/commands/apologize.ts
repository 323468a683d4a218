import { z } from 'zod';
import { apologize } from '../operations/apologize.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const apologizeCommand = defineCommand({
  name: 'apologize',
  summary: 'Send the customer an apology (from the template) and record it.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'reason', kind: 'text', description: 'What went wrong, in words for the customer', rest: true },
  ],
  schema: z.object({ issue: args.issue, reason: args.text('a reason for the apology') }),
  run: (context, { issue, reason }) =>
    onIssue(context, issue, (i) => apologize(context.core, i, context.person, reason)),
});
