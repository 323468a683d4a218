import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import { type DiscordEmulator, type DiscordEmulatorOptions, startDiscordEmulator } from './index.ts';

/** Ids used by the self-tests. */
export const ids = {
  token: 'emulator-bot-token.abc.def',
  app: '1600000000000000001',
  bot: '1600000000000000001',
  guild: '1000000000000000001',
  support: '1300000000000000001',
  staff: '1100000000000000001',
  forum: '1300000000000000002',
  category: '1300000000000000003',
  staffRole: '1200000000000000001',
  enterpriseRole: '1400000000000000001',
  tagBilling: '1700000000000000001',
  alice: '1500000000000000001',
  bob: '1500000000000000002',
} as const;

/** Variations of the test guild. */
export interface TestEmulatorOptions {
  /** @everyone's permissions (decimal string); Discord's defaults when omitted. */
  everyonePermissions?: string;
  /** The emulator's clock. */
  now?: () => number;
  /** Whether the Message Content intent is enabled "in the developer portal" (default: yes). */
  messageContent?: boolean;
  /** The emulator's rate limits (default: Discord's). */
  rateLimits?: DiscordEmulatorOptions['rateLimits'];
}

/** Starts an emulator with one guild: a category, a support text channel, a staff channel and a forum. */
export function startTestEmulator(options: TestEmulatorOptions = {}): Promise<DiscordEmulator> {
  return startDiscordEmulator({
    ...(options.now ? { now: options.now } : {}),
    ...(options.messageContent === false ? { privilegedIntents: { messageContent: false } } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    token: ids.token,
    applicationId: ids.app,
    botUser: { id: ids.bot, username: 'Heed' },
    heartbeatIntervalMs: 1000,
    guilds: [
      {
        id: ids.guild,
        name: 'Acme Community',
        channels: [
          { id: ids.category, name: 'Support', type: 4 },
          { id: ids.support, name: 'help', type: 0, parentId: ids.category },
          { id: ids.staff, name: 'support-team', type: 0, parentId: ids.category },
          {
            id: ids.forum,
            name: 'questions',
            type: 15,
            availableTags: [{ id: ids.tagBilling, name: 'billing' }],
          },
        ],
        roles: [
          ...(options.everyonePermissions !== undefined
            ? [{ id: ids.guild, name: '@everyone', permissions: options.everyonePermissions }]
            : []),
          { id: ids.staffRole, name: 'Staff' },
          { id: ids.enterpriseRole, name: 'Enterprise' },
        ],
        members: [
          { user: { id: ids.alice, username: 'alice', globalName: 'Alice' }, roles: [ids.enterpriseRole] },
          { user: { id: ids.bob, username: 'bob' }, roles: [ids.staffRole], nick: 'Bob (support)' },
        ],
      },
    ],
  });
}

/** The intents Heed uses. */
export const heedIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

/** A discord.js client pointed at the emulator (listeners must be added before `login`). */
export function createClient(emulator: DiscordEmulator, options: Partial<ClientOptions> = {}): Client {
  return new Client({ intents: heedIntents, rest: { api: emulator.apiUrl }, ...options });
}

/** Logs in and resolves once ClientReady fired. */
export async function loginAndWait(client: Client): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(ids.token);
  await ready;
}

/** Resolves with the first event emitted that satisfies the predicate, or rejects after timeoutMs. */
export function nextEvent<T extends unknown[]>(
  client: Client,
  event: string,
  predicate: (...args: T) => boolean = () => true,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!predicate(...(args as T))) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.on(event, listener);
  });
}

/** Waits a little (for "nothing else happens" assertions). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
