import { z } from 'zod';
import { respond } from '../operations/respond.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const replyCommand = defineCommand({
  name: 'reply',
  summary: 'Answer the customer in their thread (counts as a response for the SLA).',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'message', kind: 'text', description: 'What the customer will read', rest: true },
  ],
  schema: z.object({ issue: args.issue, message: args.text('the message for the customer') }),
  run: (context, { issue, message }) =>
    onIssue(context, issue, (i) => respond(context.core, i, context.person, message)),
});
