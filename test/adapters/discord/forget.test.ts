/**
 * `/heed forget` through the real discord.js client against the Discord emulator: the `confirm` choice of the
 * sub-command, refused for staff, then no trace of the customer in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../../manifest/discord/deploy-commands.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { scanStore } from '../../support/store-scan.ts';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

const ANSWER = 'PATCH /webhooks/:app/:token/messages/@original';

let h: DiscordHarness;

beforeAll(async () => {
  h = await startDiscordHarness();
  await deployCommands({ token: D.token, applicationId: D.app, apiUrl: h.emulator.apiUrl, guildId: D.guild });
});

afterAll(async () => {
  await h.close();
});

/** `/heed forget user:<value> [confirm:confirm]` by `userId`; the deferred reply's content. */
async function forget(userId: string, user: string, confirm = false): Promise<string> {
  const command = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId,
    name: 'heed',
    subcommand: 'forget',
    options: [
      { name: 'user', type: 3, value: user },
      ...(confirm ? [{ name: 'confirm', type: 3, value: 'confirm' }] : []),
    ],
  });
  const interaction = await command;
  expect(interaction).toMatchObject({ type: 5, data: { flags: 64 } });
  const answer: RecordedCall = await h.emulator.waitForCall(ANSWER, (call) => call.path.includes(command.id));
  return String((answer.body as { content?: string }).content ?? '');
}

describe('forgetting a customer on Discord', () => {
  it('asks a manager to confirm, then leaves no trace of the customer in the store', async () => {
    const words = 'The leaderboard sync wipes my saved presets every night';
    const said = h.say(D.customer, words);
    const issue = await h.issueFor((said.d as { id: string }).id);
    const store = h.heed.customers.database;
    const terms = [D.customer, 'Dana Customer', words, issue.customer.profileId!];
    const before = await scanStore(store, terms);
    expect(new Set(before.found.map((found) => found.term))).toEqual(new Set(terms));

    const option = await h.emulator.waitForCall('PUT /applications/:app/guilds/:guild/commands', () => true);
    expect(JSON.stringify(option.body)).toContain('"name":"forget"');

    expect(await forget(D.staff, `<@${D.customer}>`)).toContain('is for managers');
    const preview = await forget(D.manager, `<@${D.customer}>`);
    expect(preview).toContain('removes their profile (1 identity, 0 e-mails, 0 notes)');
    expect(preview).toContain(`/heed forget discord:${D.customer} confirm`);
    expect((await scanStore(store, terms)).found.length).toBe(before.found.length);

    expect(await forget(D.manager, `<@${D.customer}>`, true)).toContain('Forgotten');
    const after = await scanStore(store, terms);
    expect(after.found, JSON.stringify(after.found.slice(0, 3), null, 1)).toEqual([]);
    expect((await h.heed.issues.get(issue.id))?.customer.id).toMatch(/^forgotten-/);
  });
});
