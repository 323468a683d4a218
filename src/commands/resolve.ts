import { z } from 'zod';
import { resolve } from '../operations/resolve.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const resolveCommand = defineCommand({
  name: 'resolve',
  summary: 'Mark an issue resolved, with a summary the customer sees.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'summary', kind: 'text', description: 'What fixed it', rest: true },
  ],
  schema: z.object({ issue: args.issue, summary: args.text('a summary of the fix') }),
  run: (context, { issue, summary }) =>
    onIssue(context, issue, (i) => resolve(context.core, i, context.person, summary)),
});
