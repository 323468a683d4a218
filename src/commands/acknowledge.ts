import { z } from 'zod';
import { args, defineCommand, onIssue } from './command.ts';

export const acknowledgeCommand = defineCommand({
  name: 'ack',
  summary: 'Acknowledge an SLA alert: stops the escalation chain for the current deadline.',
  access: 'staff',
  args: [{ name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' }],
  schema: z.object({ issue: args.issue }),
  run: (context, { issue }) => onIssue(context, issue, (i) => context.heed.acknowledge(i, context.person)),
});
