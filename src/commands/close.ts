import { z } from 'zod';
import { close } from '../operations/close.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const closeCommand = defineCommand({
  name: 'close',
  summary: 'Close a resolved issue for good (a later message opens a new issue).',
  access: 'staff',
  args: [{ name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' }],
  schema: z.object({ issue: args.issue }),
  run: (context, { issue }) => onIssue(context, issue, (i) => close(context.core, i, context.person)),
});
