/**
 * Catching up after downtime, with the real server (`src/main.ts` in a child process) on an SQLite file,
 * against the Slack and Discord emulators. Heed is killed with SIGKILL; while it is down customers on both
 * platforms write new messages and reply in their issues' threads, which neither platform delivers
 * (Slack gives up on the event, Discord replays nothing after a fresh IDENTIFY). After the restart each
 * new message opens exactly one issue with one acknowledgement, each reply joins its issue, and nothing
 * handled before the kill is acknowledged again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../emulators/discord/index.ts';
import type { SlackEmulator } from '../emulators/slack/index.ts';
import { type HeedProcess, killAllHeedProcesses, startHeedProcess } from '../support/heed-process.ts';
import { readStore } from '../support/read-store.ts';
import { SMALL_DISCORD, startSmallDiscord } from '../support/small-discord.ts';
import { startSmallSlack } from '../support/small-slack.ts';
import { sleep, until } from '../support/until.ts';

const SLACK_SECRET = 'outage-signing-secret';
const SLACK_TOKEN = 'xoxb-outage';
const DISCORD_TOKEN = 'outage-discord-token.abc.def';
const APP_ID = SMALL_DISCORD.applicationId;
const GUILD = SMALL_DISCORD.guild;
const D_SUPPORT = SMALL_DISCORD.support;
const D_STAFF_DESK = SMALL_DISCORD.staffDesk;
const D_CUSTOMER = '1600000000000000001';
const D_CUSTOMER_2 = '1600000000000000002';
const APOLOGY = 'Sorry for the delay: we were briefly offline.';

const CONFIG = `
teams:
  - id: support
    slack: { channel: C0TEAM01 }
    discord: { channel: "${D_STAFF_DESK}" }
    staff: { slack: [U0STAFF1], discord: ["1200000000000000001"] }
intake:
  - { platform: slack, channel: C0CUST01, team: support }
  - { platform: discord, channel: "${D_SUPPORT}", team: support }
sla:
  policies:
    - { firstResponse: 1h, resolution: 8h, calendar: always }
`;

afterAll(() => killAllHeedProcesses());

/** Heed's acknowledgements on Slack, by the thread (customer message) they answer. */
function slackAcks(slack: SlackEmulator): Map<string, string[]> {
  const acks = new Map<string, string[]>();
  for (const call of slack.callsTo('chat.postMessage')) {
    const text = String(call.args.text ?? '');
    if (call.args.channel !== 'C0CUST01' || !/This is \*#\d+\*/.test(text)) continue;
    const thread = String(call.args.thread_ts);
    acks.set(thread, [...(acks.get(thread) ?? []), text]);
  }
  return acks;
}

/** Heed's acknowledgements on Discord, by the thread they went to (the customer message's id). */
function discordAcks(discord: DiscordEmulator): Map<string, string[]> {
  const acks = new Map<string, string[]>();
  for (const call of discord.callsTo('POST /channels/:id/messages')) {
    const content = String((call.body as { content?: string }).content ?? '');
    if (!/This is \*\*#\d+\*\*/.test(content) || call.status >= 300) continue;
    const thread = call.path.split('/')[2] ?? '';
    acks.set(thread, [...(acks.get(thread) ?? []), content]);
  }
  return acks;
}

describe('what happens when Heed is down', () => {
  it('catches up on both platforms after kill -9: new messages open once, thread replies join, nothing is acknowledged twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-outage-'));
    writeFileSync(join(dir, 'heed.config.yaml'), CONFIG);
    const storeUrl = `sqlite://${join(dir, 'heed.sqlite')}`;
    const slack = await startSmallSlack({
      signingSecret: SLACK_SECRET,
      botToken: SLACK_TOKEN,
      customers: ['U0CUSTA1', 'U0CUSTB1'],
    });
    const discord = await startSmallDiscord({
      token: DISCORD_TOKEN,
      customers: [
        { id: D_CUSTOMER, username: 'lee' },
        { id: D_CUSTOMER_2, username: 'kim' },
      ],
    });
    const env = {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      HEED_CONFIG: join(dir, 'heed.config.yaml'),
      HEED_STORE_URL: storeUrl,
      PORT: '0',
    };
    const start = async (): Promise<HeedProcess> => {
      const server = await startHeedProcess({ cwd: dir, env });
      slack.connectApp(`http://127.0.0.1:${server.slackPort}/slack/events`);
      return server;
    };
    const caughtUp = (server: HeedProcess, platform: string) =>
      server.waitForLog(
        (line) => line.platform === platform && String(line.msg).startsWith('caught up on messages'),
        20_000,
      );
    try {
      // Live, before the outage: one customer on each platform, each answered once.
      let server = await start();
      await Promise.all([caughtUp(server, 'slack'), caughtUp(server, 'discord')]);
      const base = Math.floor(Date.now() / 1000);
      const liveSlack = slack.messageEvent({
        channel: 'C0CUST01',
        user: 'U0CUSTA1',
        text: 'Exports fail since this morning',
        ts: `${base}.000001`,
      });
      expect((await slack.deliverEvent(liveSlack)).status).toBe(200);
      const liveDiscord = discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER,
        content: 'I cannot log in',
      });
      const liveDiscordId = (liveDiscord.d as { id: string }).id;
      expect(
        await until(() => slackAcks(slack).size === 1 && discordAcks(discord).has(liveDiscordId), 15_000),
      ).toBe(true);

      // kill -9. Meanwhile customers write: two new messages and two replies in the open threads.
      await server.kill('SIGKILL');
      expect(await until(() => !discord.connected, 10_000)).toBe(true);
      const downSlackNew = slack.postWhileOffline({
        channel: 'C0CUST01',
        user: 'U0CUSTB1',
        text: 'Is the API down?',
      });
      const downSlackReply = slack.postWhileOffline({
        channel: 'C0CUST01',
        user: 'U0CUSTA1',
        text: 'It is the CSV export, by the way',
        threadTs: `${base}.000001`,
      });
      const downDiscordNew = discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER_2,
        content: 'Billing page is blank',
      });
      const downDiscordReply = discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        threadId: liveDiscordId,
        authorId: D_CUSTOMER,
        content: 'Still cannot log in, tried another browser',
      });
      const newDiscordId = (downDiscordNew.d as { id: string }).id;
      const replyDiscordId = (downDiscordReply.d as { id: string }).id;

      // Restart on the same file: the catch-up reads both platforms back.
      server = await start();
      const [slackPass, discordPass] = await Promise.all([
        caughtUp(server, 'slack'),
        caughtUp(server, 'discord'),
      ]);
      expect(slackPass).toMatchObject({ opened: 1, joined: 1, failed: 0 });
      expect(discordPass).toMatchObject({ opened: 1, joined: 1, failed: 0 });
      expect(await until(() => slackAcks(slack).size === 2 && discordAcks(discord).size === 2, 15_000)).toBe(
        true,
      );

      // Slack retries the missed event after all: it is handled once.
      const retried = slack.messageEvent({
        channel: 'C0CUST01',
        user: 'U0CUSTB1',
        text: 'Is the API down?',
        ts: String(downSlackNew.ts),
      });
      expect((await slack.deliverEvent(retried, { retryNum: 1, retryReason: 'http_error' })).status).toBe(
        200,
      );
      await sleep(500);

      // One acknowledgement per new message, with the apology only for the ones caught up on.
      const slackByThread = slackAcks(slack);
      expect(slackByThread.get(`${base}.000001`)).toHaveLength(1);
      expect(slackByThread.get(`${base}.000001`)?.[0]).not.toContain(APOLOGY);
      expect(slackByThread.get(String(downSlackNew.ts))).toHaveLength(1);
      expect(slackByThread.get(String(downSlackNew.ts))?.[0]).toContain(APOLOGY);
      const discordByThread = discordAcks(discord);
      expect(discordByThread.get(liveDiscordId)).toHaveLength(1);
      expect(discordByThread.get(newDiscordId)).toHaveLength(1);
      expect(discordByThread.get(newDiscordId)?.[0]).toContain(APOLOGY);

      // Four issues in all; the replies joined theirs, and the new issues' clocks started when written.
      await readStore(storeUrl, async (issues) => {
        expect(await issues.lastIssueNumber()).toBe(4);
        const slackIssue = await issues.getByConversation({
          platform: 'slack',
          channel: 'C0CUST01',
          thread: `${base}.000001`,
        });
        expect(slackIssue?.seenMessages).toContain(String(downSlackReply.ts));
        const discordIssue = await issues.getByConversation({
          platform: 'discord',
          channel: D_SUPPORT,
          thread: liveDiscordId,
        });
        expect(discordIssue?.seenMessages).toContain(replyDiscordId);
        const caught = await issues.getByConversation({
          platform: 'slack',
          channel: 'C0CUST01',
          thread: String(downSlackNew.ts),
        });
        expect(caught?.openedAt).toBe(Math.floor(Number(downSlackNew.ts) * 1000));
        expect(caught?.caughtUp?.quiet).toBe(false);
      });
      await server.kill('SIGTERM');
    } finally {
      await slack.close();
      await discord.close();
      killAllHeedProcesses();
    }
  }, 90_000);
});
