import { z } from 'zod';
import { claim } from '../operations/claim.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const claimCommand = defineCommand({
  name: 'claim',
  summary: 'Take ownership of an issue.',
  access: 'staff',
  args: [{ name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' }],
  schema: z.object({ issue: args.issue }),
  run: (context, { issue }) => onIssue(context, issue, (i) => claim(context.core, i, context.person)),
});
