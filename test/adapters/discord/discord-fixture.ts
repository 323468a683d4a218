import { Writable } from 'node:stream';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.ts';
import { Heed } from '../../../src/boot/heed.ts';
import type { HeedConfig } from '../../../src/config/schema.ts';
import type { Issue } from '../../../src/domain/issue.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { PlatformRouter } from '../../../src/ports/platform-router.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { FakeClock } from '../../doubles/fake-clock.ts';
import {
  type DiscordEmulator,
  type DiscordEmulatorOptions,
  type DispatchPayload,
  startDiscordEmulator,
} from '../../emulators/discord/index.ts';
import type { RecordedCall } from '../../emulators/discord/types.ts';
import { MONDAY_10AM } from '../../support/harness.ts';
import { IDS, testConfig, testConfigInput } from '../../support/test-config.ts';

/** The Discord ids of the test config plus the guild, the bot and the people in it. */
export const D = {
  ...IDS.discord,
  guild: '1000000000000000001',
  forum: '1300000000000000002',
  bot: '1900000000000000001',
  app: '1900000000000000001',
  token: 'heed-discord-test-token.abc.def',
  /** Staff by role. */
  sam: '1700000000000000001',
  /** A member who is neither staff nor the customer. */
  eve: '1600000000000000002',
  /** A customer whose display name tries to ping everyone. */
  mallory: '1600000000000000003',
} as const;

/** Config with the support forum as a second Discord intake channel. */
export function discordTestConfig(): HeedConfig {
  const input = testConfigInput();
  return testConfig({
    intake: [...(input.intake as unknown[]), { platform: 'discord', channel: D.forum, team: 'support' }],
  });
}

/** One line the adapter logged. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** The emulated guild: support channel, team channel, support forum, staff role, and the people. */
export function startEmulator(overrides: Partial<DiscordEmulatorOptions> = {}): Promise<DiscordEmulator> {
  return startDiscordEmulator({
    token: D.token,
    applicationId: D.app,
    botUser: { id: D.bot, username: 'Heed' },
    heartbeatIntervalMs: 1000,
    guilds: [
      {
        id: D.guild,
        name: 'Acme Community',
        channels: [
          { id: D.customerChannel, name: 'help', type: 0 },
          { id: D.teamChannel, name: 'support-team', type: 0 },
          { id: D.forum, name: 'questions', type: 15 },
        ],
        roles: [
          { id: D.staffRole, name: 'Staff', mentionable: true },
          { id: D.enterpriseRole, name: 'Enterprise' },
        ],
        members: [
          { user: { id: D.customer, username: 'dana', globalName: 'Dana Customer' }, roles: [] },
          { user: { id: D.sam, username: 'sam' }, roles: [D.staffRole], nick: 'Sam (support)' },
          { user: { id: D.staff, username: 'olivia', globalName: 'Olivia' }, roles: [D.staffRole] },
          { user: { id: D.manager, username: 'max', globalName: 'Max Manager' }, roles: [] },
          { user: { id: D.eve, username: 'eve' }, roles: [] },
          {
            user: { id: D.mallory, username: 'mallory' },
            roles: [],
            nick: '@everyone Mallory <@&1500000000000000001>',
          },
        ],
      },
    ],
    ...overrides,
  });
}

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A snowflake at a given time, so a message's createdTimestamp follows the fake clock. */
export function snowflakeAt(at: number): string {
  increment = (increment + 1n) & 0x3fffffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** A running emulator, the real core on a memory store with a fake clock, and the adapter between them. */
export interface DiscordHarness {
  readonly emulator: DiscordEmulator;
  readonly heed: Heed;
  readonly adapter: DiscordAdapter;
  readonly clock: FakeClock;
  readonly logs: LogLine[];
  /** A member writes in the support channel (or a thread under it) at the fake clock's time. */
  say(
    authorId: string,
    content: string,
    options?: { threadId?: string; channelId?: string },
  ): DispatchPayload;
  /** Waits until the issue opened by a message is acknowledged and has its card. */
  issueFor(messageId: string, channel?: string): Promise<Issue>;
  /** Messages Heed sent by DM to a user, oldest first. */
  dmsTo(userId: string): RecordedCall[];
  /** Calls whose body is a message send or edit (channels, threads, DMs, interaction answers). */
  messagePayloads(): RecordedCall[];
  /**
   * Stops the adapter and starts a new one on the same core, as after a process restart; `whileDown`
   * runs in between (what members write then reaches no gateway session) and the first catch-up ends
   * before this resolves.
   */
  restart(whileDown?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts everything; `close()` stops the adapter first, then the emulator. `emulator` changes the
 * emulator's options (say why where a test changes its rate limits).
 */
export async function startDiscordHarness(
  options: { config?: HeedConfig; emulator?: Partial<DiscordEmulatorOptions> } = {},
): Promise<DiscordHarness> {
  const emulator = await startEmulator(options.emulator);
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const clock = new FakeClock(MONDAY_10AM);
  const router = new PlatformRouter();
  const store = await openDatabase('memory://');
  const heed = new Heed({
    config: options.config ?? discordTestConfig(),
    database: store,
    chat: router,
    clock,
    logger,
  });
  await heed.start();
  const startAdapter = async (): Promise<DiscordAdapter> => {
    const started = createDiscordAdapter({
      heed,
      token: D.token,
      applicationId: D.app,
      apiUrl: emulator.apiUrl,
      logger,
    });
    router.register('discord', started.chatPort);
    await started.start();
    await heed.caughtUp();
    return started;
  };
  let adapter = await startAdapter();

  const harness: DiscordHarness = {
    emulator,
    heed,
    get adapter() {
      return adapter;
    },
    clock,
    logs,
    say(authorId, content, where = {}) {
      return emulator.sendMessage({
        guildId: D.guild,
        channelId: where.channelId ?? D.customerChannel,
        authorId,
        content,
        id: snowflakeAt(clock.now()),
        ...(where.threadId ? { threadId: where.threadId } : {}),
      });
    },
    async issueFor(messageId, channel = D.customerChannel) {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const issue = await heed.issues.getByConversation({
          platform: 'discord',
          channel,
          thread: messageId,
        });
        if (issue?.acknowledgement && issue.card) return issue;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no acknowledged issue with a card for message ${messageId}`);
    },
    dmsTo(userId) {
      return emulator.callsTo('POST /channels/:id/messages').filter((call) => {
        const channel = emulator.channel(call.path.split('/')[2] ?? '');
        const recipients = (channel?.recipients ?? []) as Array<{ id: string }>;
        return channel?.type === 1 && recipients.some((r) => r.id === userId);
      });
    },
    messagePayloads() {
      return emulator.calls.filter(
        (call) =>
          /^(POST|PATCH) \/channels\/:id\/messages(\/:mid)?$/.test(call.route) ||
          /^(POST|PATCH) \/webhooks\//.test(call.route),
      );
    },
    async restart(whileDown) {
      await adapter.stop();
      await whileDown?.();
      adapter = await startAdapter();
    },
    async close() {
      await adapter.stop();
      await emulator.close();
      await store.close();
    },
  };
  return harness;
}
