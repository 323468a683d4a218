import { z } from 'zod';
import { isStaffOf } from '../domain/access.ts';
import { rich } from '../messages/rich-text.ts';
import { defineCommand } from './command.ts';
import { issueList } from './issue-list.ts';

export const queueCommand = defineCommand({
  name: 'queue',
  summary: "List your teams' open issues, urgent and oldest first.",
  access: 'staff',
  args: [{ name: 'team', kind: 'word', description: 'Only this team (optional)', optional: true }],
  schema: z.object({ team: z.string().trim().min(1).optional() }),
  async run({ core, access }, { team }) {
    if (team && !core.config.teams.some((t) => t.id === team)) {
      const known = core.config.teams.map((t) => t.id).join(', ');
      return { visibility: 'ephemeral', text: rich`There is no team "${team}". Teams: ${known}.` };
    }
    const teams = team ? [team] : core.config.teams.map((t) => t.id).filter((id) => isStaffOf(access, id));
    const issues = core.issues.listOpen().filter((issue) => teams.includes(issue.team));
    const title = team ? `Open issues for ${team}` : 'Open issues';
    return {
      visibility: 'ephemeral',
      text: issueList(title, issues, 'Nothing open. Every customer has an answer. 🎉'),
    };
  },
});
