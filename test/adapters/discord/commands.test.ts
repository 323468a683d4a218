import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDiscordCommands } from '../../../manifest/discord/commands.ts';
import { deployCommands, describeReport } from '../../../manifest/discord/deploy-commands.ts';
import { HEED_PERMISSION_BITS, inviteUrl } from '../../../manifest/discord/permissions.ts';
import { COMMANDS } from '../../../src/commands/registry.ts';
import type { DiscordEmulator } from '../../emulators/discord/index.ts';
import { D, startEmulator } from './discord-fixture.ts';

const ROOT = join(import.meta.dirname, '../../..');
const NAME = /^[-_'\p{L}\p{N}]{1,32}$/u;

interface Option {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: Array<{ name: string; value: string }>;
  options?: Option[];
}

const [heed] = buildDiscordCommands() as Array<{ name: string; description: string; options: Option[] }>;

describe('the /heed command JSON, built from the registry', () => {
  it('has one sub-command per registry command, in order', () => {
    expect(buildDiscordCommands()).toHaveLength(1);
    expect(heed?.name).toBe('heed');
    expect(heed?.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const sub of heed?.options ?? []) {
      expect(sub.type).toBe(ApplicationCommandOptionType.Subcommand);
      expect(sub.description.length).toBeGreaterThan(0);
      expect(sub.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('types every option from its argument spec; required ones first', () => {
    for (const command of COMMANDS) {
      const sub = heed?.options.find((o) => o.name === command.name);
      const options = sub?.options ?? [];
      expect(options.map((o) => o.name).sort()).toEqual(command.args.map((a) => a.name).sort());
      const firstOptional = options.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).every((o) => !o.required)).toBe(true);
      for (const arg of command.args) {
        const option = options.find((o) => o.name === arg.name);
        const where = `/heed ${command.name} ${arg.name}`;
        expect(option?.name, where).toMatch(NAME);
        expect(option?.type, where).toBe(
          arg.kind === 'user' ? ApplicationCommandOptionType.User : ApplicationCommandOptionType.String,
        );
        expect(option?.required, where).toBe(!arg.optional && arg.kind !== 'issue');
        expect(option?.description.length, where).toBeLessThanOrEqual(100);
        if (arg.kind === 'priority') {
          expect(
            option?.choices?.map((c) => c.value),
            where,
          ).toEqual(['low', 'normal', 'high', 'urgent']);
        }
      }
    }
  });
});

describe('deploying the commands (a script, never at start-up)', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator.close();
  });

  const options = () => ({ token: D.token, applicationId: D.app, apiUrl: emulator.apiUrl });

  it('PUTs exactly the built JSON to the guild route, then reports nothing changed', async () => {
    const first = await deployCommands({ ...options(), guildId: D.guild });
    const put = emulator.callsTo('PUT /applications/:app/guilds/:guild/commands');
    expect(put.map((c) => c.path)).toEqual([`/applications/${D.app}/guilds/${D.guild}/commands`]);
    expect(put[0]?.body).toEqual(buildDiscordCommands());
    expect(first.scope).toBe(`guild ${D.guild}`);
    expect(first.added).toEqual(['/heed', ...COMMANDS.map((c) => `/heed ${c.name}`)]);
    expect(emulator.commands(D.guild).map((c) => c.name)).toEqual(['heed']);

    const again = await deployCommands({ ...options(), guildId: D.guild });
    expect(again).toMatchObject({ added: [], changed: [], removed: [] });
    expect(again.unchanged).toHaveLength(COMMANDS.length + 1);
    expect(describeReport(again)).toContain('nothing changed');
  });

  it('PUTs the same JSON to the global route, and reports what changed', async () => {
    const fewer = COMMANDS.filter((c) => c.name !== 'mine').map((c) =>
      c.name === 'claim' ? { ...c, summary: 'Take it.' } : c,
    );
    await deployCommands({ ...options(), commands: buildDiscordCommands(fewer) });
    const report = await deployCommands(options());
    const puts = emulator.callsTo('PUT /applications/:app/commands');
    expect(puts.at(-1)?.path).toBe(`/applications/${D.app}/commands`);
    expect(puts.at(-1)?.body).toEqual(buildDiscordCommands());
    expect(report).toMatchObject({
      scope: 'global',
      added: ['/heed mine'],
      changed: ['/heed claim'],
      removed: [],
    });
    expect(emulator.commands().map((c) => c.name)).toEqual(['heed']);
  });

  it('runs as `tsx manifest/discord/deploy-commands.ts --guild <id>` from the environment', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'manifest/discord/deploy-commands.ts'), '--guild', D.guild],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          DISCORD_TOKEN: D.token,
          DISCORD_APPLICATION_ID: D.app,
          DISCORD_API_URL: emulator.apiUrl,
        },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(output).toContain(`Discord commands deployed (guild ${D.guild}).`);
    expect(output).not.toContain(D.token);
    expect(code).toBe(0);
  });
});

describe('the setup guide', () => {
  it('invites the bot with exactly the permissions Heed needs', () => {
    const guide = readFileSync(join(ROOT, 'docs/setup-discord.md'), 'utf8');
    expect(HEED_PERMISSION_BITS).toBe(309237730304n);
    expect(guide).toContain(inviteUrl('YOUR_APPLICATION_ID'));
    expect(guide).toContain(HEED_PERMISSION_BITS.toString());
  });
});
