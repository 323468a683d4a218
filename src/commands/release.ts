import { z } from 'zod';
import { release } from '../operations/release.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const releaseCommand = defineCommand({
  name: 'release',
  summary: 'Give an issue back to the team queue.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'reason', kind: 'text', description: 'Why (optional)', optional: true, rest: true },
  ],
  schema: z.object({ issue: args.issue, reason: args.optionalText }),
  run: (context, { issue, reason }) =>
    onIssue(context, issue, (i) => release(context.core, i, context.person, reason)),
});
