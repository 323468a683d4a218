import { z } from 'zod';
import { handOff } from '../operations/hand-off.ts';
import { args, defineCommand, onIssue } from './command.ts';

export const handoffCommand = defineCommand({
  name: 'handoff',
  summary: 'Hand an issue to a teammate, with a reason they will see.',
  access: 'staff',
  args: [
    { name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' },
    { name: 'user', kind: 'user', description: 'The teammate who takes it over' },
    { name: 'reason', kind: 'text', description: 'Why you hand it over', rest: true },
  ],
  schema: z.object({
    issue: args.issue,
    user: args.user('the teammate who takes it over, e.g. @alex'),
    reason: args.text('a reason for the hand-off'),
  }),
  run: (context, { issue, user, reason }) =>
    onIssue(context, issue, (i) => handOff(context.core, i, context.person, user, reason)),
});
