import { z } from 'zod';
import { acknowledge } from '../operations/acknowledge.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const acknowledgeCommand = defineCommand({
  name: 'ack',
  summary: 'Acknowledge an SLA alert: stops the escalation chain for the current deadline.',
  access: 'staff',
  args: [{ name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' }],
  schema: z.object({ issue: args.issue }),
  run: (context, { issue }) => onIssue(context, issue, (i) => acknowledge(context.core, i, context.person)),
});
