import { z } from 'zod';
import { reopen } from '../operations/reopen.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const reopenCommand = defineCommand({
  name: 'reopen',
  summary: 'Reopen a resolved or closed issue.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'reason', kind: 'text', description: 'Why it is reopened', rest: true },
  ],
  schema: z.object({ issue: args.issue, reason: args.text('a reason for reopening') }),
  run: (context, { issue, reason }) =>
    onIssue(context, issue, (i) => reopen(context.core, i, context.person, reason)),
});
