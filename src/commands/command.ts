import { z } from 'zod';
import { durationString } from '../config/schema.ts';
import type { Core } from '../core/core.ts';
import { findIssue, issueIn } from '../core/find-issue.ts';
import type { Access } from '../domain/access.ts';
import type { Issue } from '../domain/issue.ts';
import { prioritySchema } from '../domain/issue.ts';
import { type ConversationRef, platformSchema } from '../domain/refs.ts';
import { code, rich } from '../messages/rich-text.ts';
import type { OperationResult } from '../operations/operate.ts';
import type { CommandReply, PersonFacts } from '../ports/inbound-port.ts';
import type { PeopleReader } from './people-reader.ts';

/** How an argument is typed, parsed and offered on each platform (Discord option types, Slack text). */
export type ArgKind = 'issue' | 'user' | 'identity' | 'text' | 'duration' | 'priority' | 'period' | 'word';

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly description: string;
  /** May be left out. Issue arguments are also filled in from the thread the command runs in. */
  readonly optional?: boolean;
  /** Takes the rest of the line (only the last argument). */
  readonly rest?: boolean;
  /** How the usage line shows it, when not derived from the kind (`@user|team`). */
  readonly label?: string;
  /** Read only when the named argument was not given: the command takes one or the other. */
  readonly alternativeTo?: string;
  /** The words it may be (a Discord choice list); in text, a token is taken only when it is one of them. */
  readonly choices?: readonly string[];
  /** In text, a token is taken only when it matches (so optional arguments can be left out). */
  readonly pattern?: RegExp;
  /** Values to offer while the person types (Discord autocomplete), best first; the runner cuts the list. */
  readonly suggest?: (core: Core, typed: string) => readonly { name: string; value: string }[];
}

/** Who may run a command. */
export type CommandAccess = 'anyone' | 'staff' | 'manager';

export interface CommandContext {
  readonly core: Core;
  readonly person: PersonFacts;
  readonly access: Access;
  /** Where the command was run; an issue thread makes the issue argument optional. */
  readonly conversation?: ConversationRef | undefined;
  /** Reads people named in free text (mentions, ids), through the platforms' parsers. */
  readonly people: PeopleReader;
}

/** One command, defined once, feeding the Slack `/heed` text parser and the Discord sub-commands. */
export interface CommandDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  readonly access: CommandAccess;
  readonly args: readonly ArgSpec[];
  /** How help shows it, when the forms are clearer than the argument list (`/heed oncall [team]`, …). */
  readonly usage?: readonly string[];
  readonly schema: S;
  run(context: CommandContext, args: z.output<S>): Promise<CommandReply>;
}

/** Identity helper that keeps the schema's output type for `run`. */
export function defineCommand<S extends z.ZodType>(definition: CommandDefinition<S>): CommandDefinition<S> {
  return definition;
}

// -------------------------------------------------------------- argument schemas, shared by commands

const userFields = {
  platform: platformSchema,
  id: z.string().min(1),
  roles: z.array(z.string()).optional(),
};

export const args = {
  issue: z
    .string()
    .regex(/^#?\d{1,9}$/, 'an issue reference looks like #42')
    .optional(),
  user: (what: string) =>
    z.object(userFields, {
      error: (issue) =>
        issue.input === undefined ? `say who: ${what}` : `that is not a person; mention them (${what})`,
    }),
  /**
   * A person on any platform, as the runner read them from a mention, `slack:U0123ABC`,
   * `discord:123456789012345678` or a bare id (see `namePeople`): `{ platform, id }`.
   */
  identity: (what: string) =>
    z.object(
      { platform: userFields.platform, id: userFields.id },
      {
        error: (issue) =>
          issue.input === undefined
            ? `say who: ${what}`
            : `that is not a person; mention them or write slack:U0123ABC or discord:123456789012345678 (${what})`,
      },
    ),
  text: (what: string) =>
    z
      .string({ error: `add ${what}` })
      .trim()
      .min(1, `add ${what}`)
      .max(3000, `${what} is too long (3000 characters at most)`),
  optionalText: z.string().trim().max(3000).optional(),
  duration: durationString,
  priority: z.string({ error: 'say which priority: low, normal, high or urgent' }).pipe(prioritySchema),
} as const;

function argLabel(arg: ArgSpec): string {
  if (arg.label) return arg.label;
  if (arg.kind === 'issue') return '#issue';
  if (arg.kind === 'user') return '@user';
  if (arg.kind === 'identity') return `@${arg.name}`;
  return arg.name;
}

export function usage(command: Pick<CommandDefinition, 'name' | 'args' | 'usage'>): string {
  if (command.usage) return command.usage.join(' · ');
  const parts = command.args
    .filter((arg) => arg.alternativeTo === undefined)
    .map((arg) => {
      const choices = [arg, ...command.args.filter((other) => other.alternativeTo === arg.name)];
      const label = choices.map(argLabel).join('|');
      return arg.optional || arg.kind === 'issue' ? `[${label}]` : `<${label}>`;
    });
  return ['/heed', command.name, ...parts].join(' ');
}

/** The issue named by the argument, or the one whose thread the command was run in. */
export async function targetIssue(
  context: CommandContext,
  reference: string | undefined,
): Promise<{ issue: Issue } | { reply: CommandReply }> {
  const issue = reference
    ? await findIssue(context.core, reference)
    : await issueIn(context.core, context.conversation);
  if (issue) return { issue };
  return {
    reply: {
      visibility: 'ephemeral',
      text: reference
        ? rich`I can't find issue ${reference}. ${code('/heed queue')} lists the open ones.`
        : rich`Which issue? Add its reference (for example ${code('#42')}), or run the command inside the issue's thread.`,
    },
  };
}

export function operationReply(result: OperationResult): CommandReply {
  return { visibility: 'ephemeral', text: result.ok ? result.reply : rich`Not done: ${result.reply}` };
}

/** Runs `operation` on the targeted issue, or explains why it cannot. */
export async function onIssue(
  context: CommandContext,
  reference: string | undefined,
  operation: (issue: Issue) => Promise<OperationResult>,
): Promise<CommandReply> {
  const target = await targetIssue(context, reference);
  if ('reply' in target) return target.reply;
  return operationReply(await operation(target.issue));
}
