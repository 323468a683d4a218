/**
 * On-call through the real discord.js client: `/heed oncall` with its action choices, a staff member
 * (staff by role) covering with an override, and the urgent page going to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { testConfig, testConfigInput } from '../../support/test-config.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';
const contentOf = (call: RecordedCall) => (call.body as { content?: string }).content ?? '';

let h: DiscordHarness;

beforeAll(async () => {
  const base = testConfigInput();
  h = await startDiscordHarness({
    config: testConfig({
      schedules: [
        {
          id: 'support-oncall',
          timezone: 'Europe/Prague',
          layers: [{ name: 'office', people: { discord: [D.staff] } }],
        },
      ],
      teams: (base.teams as Record<string, unknown>[]).map((team) =>
        team.id === 'support' ? { ...team, onCall: { schedule: 'support-oncall' } } : team,
      ),
    }),
  });
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});

afterAll(async () => {
  await h.close();
});

async function oncall(userId: string, options: { name: string; type: number; value: string }[]) {
  const command = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId,
    name: 'heed',
    subcommand: 'oncall',
    options,
  });
  await command;
  return contentOf(
    await h.emulator.waitForCall(ANSWER, (call) =>
      call.path.includes((command as unknown as { id: string }).id),
    ),
  );
}

describe('/heed oncall on Discord', () => {
  it('says who is on call, lets a staff member (by role) cover, and pages them for an urgent issue', async () => {
    expect(await oncall(D.sam, [])).toContain(`<@${D.staff}> (office)`);
    const set = await oncall(D.sam, [
      { name: 'action', type: 3, value: 'override' },
      { name: 'user', type: 6, value: D.sam },
      { name: 'period', type: 3, value: '3h' },
      { name: 'reason', type: 3, value: 'covering the @everyone meeting' },
    ]);
    expect(set).toContain(`✅ Override **#1**: <@${D.sam}> is on call for **Customer Support** on Discord`);
    expect(await oncall(D.sam, [{ name: 'action', type: 3, value: 'overrides' }])).toContain(
      `covers support on Discord`,
    );
    const said = h.say(D.customer, 'Everything is down, outage!');
    await h.issueFor((said.d as { id: string }).id);
    await expect.poll(() => h.dmsTo(D.sam).some((call) => contentOf(call).startsWith('🚨'))).toBe(true);
    expect(h.dmsTo(D.staff).filter((call) => contentOf(call).startsWith('🚨'))).toHaveLength(0);
  });

  it('refuses a member who is not staff', async () => {
    expect(await oncall(D.eve, [])).toContain('is for the support team');
  });
});
