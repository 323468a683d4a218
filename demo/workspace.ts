/**
 * The people and channels of the demo: a Slack workspace with a Slack Connect channel shared with
 * BigCo, and a Discord community server. Ids match heed.config.example.yaml, which the demo runs on.
 */
import { type DiscordEmulator, startDiscordEmulator } from '../test/emulators/discord/index.ts';
import { type SlackEmulator, startSlackEmulator } from '../test/emulators/slack/index.ts';

export const SLACK = {
  signingSecret: 'demo-signing-secret',
  botToken: 'xoxb-demo-bot-token',
  botUserId: 'U0HEEDBOT',
  botId: 'B0HEEDBOT',
  customerChannel: 'C0CUST01',
  teamChannel: 'C0TEAM01',
  billingChannel: 'C0BILL01',
  dana: 'U0DANA001',
  alex: 'U0STAFF1',
  sam: 'U0STAFF2',
  morgan: 'U0MGR001',
  bea: 'U0BILL01',
  bigco: 'T0BIGCO1',
} as const;

export const DISCORD = {
  token: 'demo-discord-token.abc.def',
  applicationId: '1000000000000000001',
  bot: '1000000000000000002',
  guild: '1700000000000000001',
  supportChannel: '1300000000000000001',
  staffChannel: '1100000000000000001',
  staffRole: '1500000000000000001',
  enterpriseRole: '1400000000000000001',
  riley: '1200000000000000001',
  morgan: '1200000000000000009',
  lee: '1600000000000000001',
  kim: '1600000000000000002',
} as const;

/**
 * Who `@name` means when typed at the demo prompt, as Slack would send it in a command (`<@U…|name>`,
 * with "escape usernames" on, as Heed's manifest sets) or, for someone only on Discord, as Heed's
 * commands accept people from the other platform (`discord:<id>`). Slack people win a clash (Morgan):
 * the prompt's commands run in Slack.
 */
export const PROMPT_PEOPLE: ReadonlyMap<string, string> = new Map([
  ['dana', `<@${SLACK.dana}|dana>`],
  ['alex', `<@${SLACK.alex}|alex>`],
  ['sam', `<@${SLACK.sam}|sam>`],
  ['morgan', `<@${SLACK.morgan}|morgan>`],
  ['bea', `<@${SLACK.bea}|bea>`],
  ['riley', `discord:${DISCORD.riley}`],
  ['lee', `discord:${DISCORD.lee}`],
  ['kim', `discord:${DISCORD.kim}`],
]);

/** A command line typed at the demo prompt with its `@name`s as the platforms would carry them. */
export function withMentions(text: string): string {
  return text.replace(/(^|\s)@([a-z]+)\b/gi, (whole, space: string, name: string) => {
    const person = PROMPT_PEOPLE.get(name.toLowerCase());
    return person ? `${space}${person}` : whole;
  });
}

/** The environment that points Heed at the running emulators with the demo's credentials. */
export function emulatorEnv(slack: SlackEmulator, discord: DiscordEmulator): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: SLACK.botToken,
    SLACK_SIGNING_SECRET: SLACK.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: DISCORD.token,
    DISCORD_APPLICATION_ID: DISCORD.applicationId,
    DISCORD_API_URL: discord.apiUrl,
  };
}

/** Display names for the transcript. */
export const NAMES: Record<string, string> = {
  [SLACK.customerChannel]: '#bigco-support (Slack Connect)',
  [SLACK.teamChannel]: '#support-team',
  [SLACK.billingChannel]: '#billing-team',
  [SLACK.dana]: 'Dana (BigCo)',
  [SLACK.alex]: 'Alex',
  [SLACK.sam]: 'Sam',
  [SLACK.morgan]: 'Morgan (manager)',
  [SLACK.bea]: 'Bea (billing)',
  [DISCORD.supportChannel]: '#support',
  [DISCORD.staffChannel]: '#staff-desk',
  [DISCORD.riley]: 'Riley',
  [DISCORD.morgan]: 'Morgan (manager)',
  [DISCORD.lee]: 'Lee',
  [DISCORD.kim]: 'Kim',
};

export async function startSlack(): Promise<SlackEmulator> {
  return startSlackEmulator({
    signingSecret: SLACK.signingSecret,
    botToken: SLACK.botToken,
    botUserId: SLACK.botUserId,
    botId: SLACK.botId,
    teamName: 'Acme Support',
    externalTeams: [{ id: SLACK.bigco, name: 'BigCo' }],
    users: [
      { id: SLACK.dana, name: 'Dana', realName: 'Dana Novak', email: 'dana@bigco.com', teamId: SLACK.bigco },
      { id: SLACK.alex, name: 'alex', realName: 'Alex Support' },
      { id: SLACK.sam, name: 'sam', realName: 'Sam Support' },
      { id: SLACK.morgan, name: 'morgan', realName: 'Morgan Lead' },
      { id: SLACK.bea, name: 'bea', realName: 'Bea Billing' },
    ],
    channels: [
      { id: SLACK.customerChannel, name: 'bigco-support', isExtShared: true },
      { id: SLACK.teamChannel, name: 'support-team' },
      { id: SLACK.billingChannel, name: 'billing-team' },
    ],
  });
}

export async function startDiscord(): Promise<DiscordEmulator> {
  return startDiscordEmulator({
    token: DISCORD.token,
    applicationId: DISCORD.applicationId,
    botUser: { id: DISCORD.bot, username: 'Heed' },
    heartbeatIntervalMs: 5_000,
    guilds: [
      {
        id: DISCORD.guild,
        name: 'Acme Community',
        channels: [
          { id: DISCORD.supportChannel, name: 'support', type: 0 },
          { id: DISCORD.staffChannel, name: 'staff-desk', type: 0 },
        ],
        roles: [
          { id: DISCORD.staffRole, name: 'Support Staff' },
          { id: DISCORD.enterpriseRole, name: 'Enterprise' },
        ],
        members: [
          { user: { id: DISCORD.riley, username: 'riley', globalName: 'Riley' }, roles: [DISCORD.staffRole] },
          {
            user: { id: DISCORD.morgan, username: 'morgan', globalName: 'Morgan' },
            roles: [DISCORD.staffRole],
          },
          { user: { id: DISCORD.lee, username: 'lee', globalName: 'Lee' }, roles: [] },
          { user: { id: DISCORD.kim, username: 'kim', globalName: 'Kim' }, roles: [DISCORD.enterpriseRole] },
        ],
      },
    ],
  });
}
