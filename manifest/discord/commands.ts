import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { ArgSpec, CommandDefinition } from '../../src/commands/command.ts';
import { COMMANDS, ROOT_COMMAND } from '../../src/commands/registry.ts';
import { PRIORITIES } from '../../src/domain/issue.ts';

const DESCRIPTION_LENGTH = 100;
// Longest free text a command takes (the registry's text schema caps it at 3000).
const TEXT_LENGTH = 3000;

function describe(text: string): string {
  return text.length <= DESCRIPTION_LENGTH ? text : `${text.slice(0, DESCRIPTION_LENGTH - 1)}…`;
}

/** An argument is required unless it is optional or an issue (inside a thread the thread names the issue). */
export function isRequired(arg: ArgSpec): boolean {
  return !arg.optional && arg.kind !== 'issue';
}

/** One typed option of a sub-command. */
export function optionFor(arg: ArgSpec): APIApplicationCommandBasicOption {
  const base = { name: arg.name, description: describe(arg.description), required: isRequired(arg) };
  if (arg.kind === 'user') return { ...base, type: ApplicationCommandOptionType.User };
  if (arg.kind === 'priority') {
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      choices: PRIORITIES.map((priority) => ({ name: priority, value: priority })),
    };
  }
  if (arg.choices) {
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      choices: arg.choices.map((choice) => ({ name: choice, value: choice })),
    };
  }
  if (arg.kind === 'text')
    return { ...base, type: ApplicationCommandOptionType.String, max_length: TEXT_LENGTH };
  // A person on either platform (`<@id>`, `slack:U…`, `discord:…`): a Discord user option could not name
  // a Slack user, so it is a string the command's schema reads.
  if (arg.kind === 'identity') return { ...base, type: ApplicationCommandOptionType.String };
  // issue, duration, period and word arguments are strings, parsed and validated by the command's schema;
  // an argument with suggestions asks Discord to autocomplete it as the person types.
  return {
    ...base,
    type: ApplicationCommandOptionType.String,
    ...(arg.suggest ? { autocomplete: true } : {}),
  };
}

/** A registry command as a sub-command; Discord wants required options before optional ones. */
export function subcommandFor(command: CommandDefinition): APIApplicationCommandSubcommandOption {
  const options = [...command.args.filter(isRequired), ...command.args.filter((arg) => !isRequired(arg))].map(
    optionFor,
  );
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: command.name,
    description: describe(command.summary),
    ...(options.length > 0 ? { options } : {}),
  };
}

/**
 * The application commands Heed registers: one `/heed` chat-input command in guilds, with one
 * sub-command per registry command. Who may run what is Heed's access rules, not Discord permissions.
 */
export function buildDiscordCommands(
  commands: readonly CommandDefinition[] = COMMANDS,
): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: ROOT_COMMAND,
      description: 'Heed support desk: claim, answer, resolve and track customer issues.',
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: commands.map(subcommandFor),
    },
  ];
}
