import { z } from 'zod';
import { sameUser } from '../domain/refs.ts';
import { defineCommand } from './command.ts';
import { issueList } from './issue-list.ts';

export const mineCommand = defineCommand({
  name: 'mine',
  summary: 'List the open issues you own.',
  access: 'staff',
  args: [],
  schema: z.object({}),
  async run({ core, person }) {
    const me = { platform: person.platform, id: person.id };
    const issues = core.issues.listOpen().filter((issue) => sameUser(issue.owner, me));
    return {
      visibility: 'ephemeral',
      text: issueList('Your open issues', issues, 'You own no open issues.'),
    };
  },
});
