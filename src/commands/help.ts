import { z } from 'zod';
import { isAnyStaff } from '../domain/access.ts';
import { bold, code, joinRich, rich } from '../messages/rich-text.ts';
import { type CommandDefinition, defineCommand, usage } from './command.ts';

/** `help` needs the registry, which needs `help`: the registry hands itself in. */
export function helpCommand(all: () => readonly CommandDefinition[]) {
  return defineCommand({
    name: 'help',
    summary: 'Show the commands you can use.',
    access: 'anyone',
    args: [],
    schema: z.object({}),
    async run({ access }) {
      const staff = isAnyStaff(access);
      const visible = all().filter((command) => command.access === 'anyone' || staff);
      const lines = visible.map((command) => rich`${code(usage(command))} — ${command.summary}`);
      const footer = staff
        ? rich`\nIssue references look like #42; inside an issue's thread you can leave them out.`
        : rich`\nTo get help from the team, just write your question in the support channel.`;
      return {
        visibility: 'ephemeral',
        text: rich`${bold('Heed commands')}\n${joinRich(lines, '\n')}${footer}`,
      };
    },
  });
}
