import { z } from 'zod';
import { escalate } from '../operations/escalate.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const escalateCommand = defineCommand({
  name: 'escalate',
  summary: "Escalate an issue to the team's managers now.",
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'reason', kind: 'text', description: 'Why it needs a manager', rest: true },
  ],
  schema: z.object({ issue: args.issue, reason: args.text('a reason for the escalation') }),
  run: (context, { issue, reason }) =>
    onIssue(context, issue, (i) => escalate(context.core, i, context.person, reason)),
});
