/**
 * Registers Heed's Discord commands. Development (one guild, instant):
 *   tsx manifest/discord/deploy-commands.ts --guild <guild id>
 * Production (every guild; Discord may take a moment to show changes):
 *   tsx manifest/discord/deploy-commands.ts
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID and optionally DISCORD_API_URL (environment or .env).
 * Heed never registers commands at start-up.
 */
import { pathToFileURL } from 'node:url';
import {
  type APIApplicationCommand,
  REST,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { parseEnv } from '../../src/config/env.ts';
import { buildDiscordCommands } from './commands.ts';

export interface DeployOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiUrl?: string | undefined;
  /** Register in this guild only (development); omitted: globally (production). */
  readonly guildId?: string | undefined;
  readonly commands?: RESTPutAPIApplicationCommandsJSONBody;
}

/** What a deployment changed, by command path (`/heed`, `/heed claim`, …). */
export interface DeployReport {
  readonly scope: string;
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const COMPARED = [
  'type',
  'name',
  'description',
  'required',
  'choices',
  'value',
  'min_length',
  'max_length',
  'min_value',
  'max_value',
  'autocomplete',
  'channel_types',
  'contexts',
  'integration_types',
  'default_member_permissions',
  'nsfw',
];

// The fields that matter to users, with Discord's defaults dropped, so a fetched and a built command compare.
function normalise(value: unknown): Json {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value as Json;
  const out: { [key: string]: Json } = {};
  for (const key of COMPARED) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined || field === null || field === false) continue;
    out[key] = normalise(field);
  }
  return out;
}

interface CommandShape {
  readonly name: string;
  readonly options?: readonly { readonly type: number; readonly name: string }[] | undefined;
}

const SUBCOMMAND = 1;

function entries(commands: readonly CommandShape[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const command of commands) {
    const subs = (command.options ?? []).filter((option) => option.type === SUBCOMMAND);
    const own = {
      ...command,
      options: (command.options ?? []).filter((option) => option.type !== SUBCOMMAND),
    };
    out.set(`/${command.name}`, JSON.stringify(normalise(own)));
    for (const sub of subs) out.set(`/${command.name} ${sub.name}`, JSON.stringify(normalise(sub)));
  }
  return out;
}

/** Compares what is registered with what will be, per command and sub-command. */
export function diffCommands(
  before: readonly CommandShape[],
  after: readonly CommandShape[],
): Omit<DeployReport, 'scope'> {
  const old = entries(before);
  const next = entries(after);
  const report = {
    added: [] as string[],
    changed: [] as string[],
    removed: [] as string[],
    unchanged: [] as string[],
  };
  for (const [path, shape] of next) {
    const previous = old.get(path);
    if (previous === undefined) report.added.push(path);
    else if (previous !== shape) report.changed.push(path);
    else report.unchanged.push(path);
  }
  for (const path of old.keys()) if (!next.has(path)) report.removed.push(path);
  return report;
}

/** Overwrites the application's commands in one guild or globally (PUT), and reports what changed. */
export async function deployCommands(options: DeployOptions): Promise<DeployReport> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const commands = options.commands ?? buildDiscordCommands();
  const before = (await rest.get(route)) as APIApplicationCommand[];
  await rest.put(route, { body: commands });
  return {
    scope: options.guildId ? `guild ${options.guildId}` : 'global',
    ...diffCommands(before, commands as readonly CommandShape[]),
  };
}

/** Human summary of a deployment. */
export function describeReport(report: DeployReport): string {
  const list = (label: string, paths: string[]) => (paths.length ? [`  ${label}: ${paths.join(', ')}`] : []);
  const changes = [
    ...list('added', report.added),
    ...list('changed', report.changed),
    ...list('removed', report.removed),
  ];
  return [
    `Discord commands deployed (${report.scope}).`,
    ...(changes.length ? changes : ['  nothing changed']),
    `  unchanged: ${report.unchanged.length}`,
  ].join('\n');
}

function guildArgument(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--guild');
  if (index < 0) return undefined;
  const id = argv[index + 1];
  if (!id || !/^\d{5,25}$/.test(id))
    throw new Error('--guild needs a guild id (right-click the server → Copy Server ID)');
  return id;
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const env = parseEnv(process.env);
    if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
      throw new Error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see docs/setup-discord.md).');
    }
    const report = await deployCommands({
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
      guildId: guildArgument(process.argv.slice(2)),
    });
    console.log(describeReport(report));
  } catch (error) {
    console.error(`Could not deploy the Discord commands: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
