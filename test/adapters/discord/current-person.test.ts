/**
 * Reading a person's Discord roles afresh (`currentPerson`), as the web dashboard does every few
 * minutes: the real discord.js client against the strict emulator, with and without a gateway session.
 */
import { Client, GatewayIntentBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentPerson } from '../../../adapters/discord/people.ts';
import type { DiscordEmulator } from '../../emulators/discord/index.ts';
import { D, startEmulator } from './discord-fixture.ts';

let emulator: DiscordEmulator;
let client: Client;

beforeEach(async () => {
  emulator = await startEmulator();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
  client.rest.setToken(D.token);
});

afterEach(async () => {
  await client.destroy();
  await emulator.close();
});

const calls = (route: string) => emulator.calls.filter((call) => call.route === route).length;

describe('currentPerson', () => {
  it('reads the roles over REST without a gateway session, and sees a role taken away at once', async () => {
    expect(await currentPerson(client, D.sam, 'Sam')).toEqual({
      platform: 'discord',
      id: D.sam,
      roles: [D.staffRole],
      name: 'Sam',
    });
    expect(calls('GET /users/@me/guilds')).toBe(1);
    expect(calls('GET /guilds/:id/members/:uid')).toBe(1);

    emulator.updateMember({ guildId: D.guild, userId: D.sam, roles: [] });
    expect((await currentPerson(client, D.sam)).roles).toEqual([]);
  });

  it('gives someone who is in none of the bot’s guilds no roles', async () => {
    expect(await currentPerson(client, '1600000000000000099')).toEqual({
      platform: 'discord',
      id: '1600000000000000099',
      roles: [],
    });
  });

  it('uses the gateway’s guild list while a session is up, and still reads the member afresh', async () => {
    await client.login(D.token);
    await new Promise<void>((resolve) =>
      client.isReady() ? resolve() : client.once('clientReady', () => resolve()),
    );
    emulator.updateMember({ guildId: D.guild, userId: D.sam, roles: [D.enterpriseRole] });
    expect((await currentPerson(client, D.sam)).roles).toEqual([D.enterpriseRole]);
    expect(calls('GET /users/@me/guilds')).toBe(0);
  });

  it('throws an error safe to log when Discord cannot say', async () => {
    emulator.failHttp({ route: 'GET /guilds/:id/members/:uid', status: 500, times: 5 });
    const failure = currentPerson(client, D.sam);
    await expect(failure).rejects.toThrow(/reading a member’s roles: Discord answered 500/);
    await expect(failure).rejects.not.toThrow(D.token);
  });
});
