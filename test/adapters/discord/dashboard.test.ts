/**
 * `/heed dashboard` through the real discord.js client against the strict emulator: an ephemeral embed of
 * the person's desk (their issues, their teams' queue, their week), and for managers their teams' figures,
 * what is at risk and each person's load. Customer names in it never ping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';

interface Embed {
  title: string;
  description: string;
  fields: { name: string; value: string }[];
}

let h: DiscordHarness;

beforeAll(async () => {
  h = await startDiscordHarness();
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});

afterAll(async () => {
  await h.close();
});

async function dashboard(userId: string): Promise<RecordedCall> {
  const command = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId,
    name: 'heed',
    subcommand: 'dashboard',
    options: [],
  });
  await command;
  return h.emulator.waitForCall(ANSWER, (call) =>
    call.path.includes((command as unknown as { id: string }).id),
  );
}

const embedOf = (call: RecordedCall) => ((call.body as { embeds?: Embed[] }).embeds ?? [])[0]!;
const field = (embed: Embed, name: string) => embed.fields.find((f) => f.name.startsWith(name))?.value ?? '';

describe('/heed dashboard on Discord', () => {
  it('answers staff with an ephemeral embed of their issues, their teams’ queue and their week', async () => {
    const first = h.say(D.customer, 'The export fails');
    const one = await h.issueFor((first.d as { id: string }).id);
    const second = h.say(D.mallory, 'Please help');
    await h.issueFor((second.d as { id: string }).id);
    await h.heed.claim(one, { platform: 'discord', id: D.sam, roles: [D.staffRole] });

    const embed = embedOf(await dashboard(D.sam));
    expect(embed.title).toBe('Heed · your desk');
    expect(field(embed, 'Your open issues (1)')).toMatch(/\*\*#1\*\* 🟢 On time · due <t:\d+/);
    const queue = field(embed, "Unclaimed in your teams' queue (1)");
    expect(queue).toContain('**#2**');
    // The customer's nickname is shown, with its mentions broken.
    expect(queue).toContain('Mallory');
    expect(queue).not.toMatch(/@everyone|<@&1500000000000000001>/);
    expect(field(embed, 'Your last 7 days')).toContain('Claimed 1');
    expect(embed.fields.some((f) => f.name === 'Load')).toBe(false);
  });

  it('adds per-team attainment, what is at risk and each person’s load for managers', async () => {
    const embed = embedOf(await dashboard(D.manager));
    expect(embed.title).toBe('Heed · your desk and your teams');
    expect(field(embed, 'Your teams this week')).toContain('**Customer Support**: ');
    expect(field(embed, 'Your teams this week')).toContain('2 open (1 unclaimed)');
    expect(field(embed, 'Load')).toContain(`<@${D.sam}>: 1 open issue`);
    expect(embed.fields.some((f) => f.name === 'At risk and breached')).toBe(true);
  });

  it('refuses someone outside the teams', async () => {
    const answer = await dashboard(D.eve);
    expect((answer.body as { content?: string }).content).toContain('is for the support team');
  });
});
