/**
 * The smallest Discord server the process-level tests need: a support text channel, a staff desk, one
 * staff member and customers, behind the Discord emulator.
 */
import { type DiscordEmulator, startDiscordEmulator } from '../emulators/discord/index.ts';

export const SMALL_DISCORD = {
  applicationId: '1000000000000000001',
  guild: '1700000000000000001',
  support: '1300000000000000001',
  staffDesk: '1100000000000000001',
  staff: '1200000000000000001',
} as const;

/** The Discord emulator with that server; `customers` are member ids with their user names. */
export function startSmallDiscord(options: {
  token: string;
  customers: readonly { id: string; username: string }[];
}): Promise<DiscordEmulator> {
  return startDiscordEmulator({
    token: options.token,
    applicationId: SMALL_DISCORD.applicationId,
    botUser: { id: '1000000000000000002', username: 'Heed' },
    heartbeatIntervalMs: 1_000,
    guilds: [
      {
        id: SMALL_DISCORD.guild,
        name: 'Community',
        channels: [
          { id: SMALL_DISCORD.support, name: 'support', type: 0 },
          { id: SMALL_DISCORD.staffDesk, name: 'staff-desk', type: 0 },
        ],
        roles: [],
        members: [
          { user: { id: SMALL_DISCORD.staff, username: 'riley' }, roles: [] },
          ...options.customers.map((user) => ({ user, roles: [] })),
        ],
      },
    ],
  });
}
