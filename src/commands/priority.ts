import { z } from 'zod';
import { setPriority } from '../operations/set-priority.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const priorityCommand = defineCommand({
  name: 'priority',
  summary: 'Change the priority: low, normal, high or urgent (urgent pages on-call).',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'level', kind: 'priority', description: 'low, normal, high or urgent' },
    { name: 'reason', kind: 'text', description: 'Why (optional)', optional: true, rest: true },
  ],
  schema: z.object({ issue: args.issue, level: args.priority, reason: args.optionalText }),
  run: (context, { issue, level, reason }) =>
    onIssue(context, issue, (i) => setPriority(context.core, i, context.person, level, reason)),
});
