import { z } from 'zod';
import { snooze } from '../operations/snooze.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const snoozeCommand = defineCommand({
  name: 'snooze',
  summary: 'Push the deadlines back by a duration (30m, 2h, 1d), with a reason.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'duration', kind: 'duration', description: 'How long, e.g. 30m, 2h, 1d' },
    { name: 'reason', kind: 'text', description: 'Why', rest: true },
  ],
  schema: z.object({
    issue: args.issue,
    duration: args.duration,
    reason: args.text('a reason for the snooze'),
  }),
  run: (context, { issue, duration, reason }) =>
    onIssue(context, issue, (i) => snooze(context.core, i, context.person, duration, reason)),
});
