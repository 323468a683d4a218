import type { z } from 'zod';
import type { Core } from '../core/core.ts';
import { failureReference, friendlyFailure } from '../core/errors.ts';
import { accessOf } from '../core/people.ts';
import { isAnyStaff } from '../domain/access.ts';
import { code, rich } from '../messages/rich-text.ts';
import type {
  CommandReply,
  CommandRequest,
  RawArgs,
  Suggestion,
  SuggestRequest,
} from '../ports/inbound-port.ts';
import type { CommandContext, CommandDefinition } from './command.ts';
import { usage } from './command.ts';
import { namePeople, parsePositional } from './parse-arguments.ts';
import { peopleReader } from './people-reader.ts';
import { COMMANDS, findCommand } from './registry.ts';

function ephemeral(text: CommandReply['text']): CommandReply {
  return { visibility: 'ephemeral', text };
}

function describeProblem(command: CommandDefinition, error: z.ZodError): CommandReply {
  const first = error.issues[0];
  const spec = command.args.find((arg) => arg.name === first?.path[0]);
  const what = spec ? `${spec.name}: ` : '';
  return ephemeral(
    rich`That didn't work — ${what}${first?.message ?? 'the arguments are not right'}.\nUsage: ${code(usage(command))}${spec ? rich`\n${spec.name}: ${spec.description}` : ''}`,
  );
}

function allowed(command: CommandDefinition, context: CommandContext): boolean {
  if (command.access === 'anyone') return true;
  if (command.access === 'manager') return context.access.managerOf.size > 0;
  return isAnyStaff(context.access);
}

/** How many suggestions an argument offers at most (Discord shows 25). */
export const MAX_SUGGESTIONS = 25;

/** Suggestions for an argument as the person types it: staff commands suggest nothing to others. */
export function suggestFor(core: Core, request: SuggestRequest): Suggestion[] {
  const command = findCommand(request.command);
  const spec = command?.args.find((arg) => arg.name === request.argument);
  if (!command || !spec?.suggest) return [];
  const context = { access: accessOf(core.config, request.person) };
  if (command.access !== 'anyone' && !isAnyStaff(context.access)) return [];
  return spec
    .suggest(core, request.typed.trim())
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => ({ name: s.name.slice(0, 100), value: s.value.slice(0, 100) }));
}

/**
 * Runs one command for a person: finds it in the registry, checks who may run it, parses and validates
 * the arguments with the command's schema, and turns every failure into a friendly reply.
 */
export async function runCommand(core: Core, request: CommandRequest): Promise<CommandReply> {
  const logger = core.rootLogger.child({ module: 'commands', platform: request.person.platform });
  let name: string;
  let raw: RawArgs;
  let leftover: string | undefined;
  const people = peopleReader(request.references ?? [], request.person.platform);
  if ('text' in request.input) {
    const trimmed = request.input.text.trim();
    const space = trimmed.search(/\s/);
    name = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase() || 'help';
    const command = findCommand(name);
    if (!command) return unknown(name);
    const parsed = parsePositional(command.args, space < 0 ? '' : trimmed.slice(space + 1), people);
    raw = parsed.args;
    leftover = parsed.leftover;
  } else {
    name = request.input.name;
    raw = request.input.options;
  }
  const command = findCommand(name);
  if (!command) return unknown(name);
  const context: CommandContext = {
    core,
    person: request.person,
    access: accessOf(core.config, request.person),
    conversation: request.conversation,
    people,
  };
  if (!allowed(command, context)) {
    logger.warn({ command: command.name, user: request.person.id }, 'refused: not staff');
    if (command.access === 'manager' && isAnyStaff(context.access)) {
      return ephemeral(rich`Sorry, ${code(`/heed ${command.name}`)} is for managers.`);
    }
    return ephemeral(
      rich`Sorry, ${code(`/heed ${command.name}`)} is for the support team. If you need help, just write in the support channel and someone will pick it up.`,
    );
  }
  if (leftover !== undefined) {
    return ephemeral(rich`I didn't understand "${leftover}". Usage: ${code(usage(command))}`);
  }
  const parsed = command.schema.safeParse(namePeople(command.args, raw, people));
  if (!parsed.success) return describeProblem(command, parsed.error);
  try {
    return await command.run(context, parsed.data);
  } catch (error) {
    const reference = failureReference(error);
    logger.error({ err: error, command: command.name, reference }, 'command failed');
    return ephemeral(rich`${friendlyFailure(reference)}`);
  }
}

function unknown(name: string): CommandReply {
  const names = COMMANDS.map((c) => c.name).join(', ');
  return ephemeral(rich`There is no Heed command "${name}". Commands: ${names}. Try ${code('/heed help')}.`);
}
