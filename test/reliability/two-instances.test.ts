/**
 * Shared mode with two real servers (`src/main.ts` in two child processes) on the machine's PostgreSQL and
 * nothing else, against the Slack and Discord emulators. Slack requests land on either instance, as behind
 * a load balancer; one instance holds the Discord gateway. Then the gateway holder is killed -9 with
 * deadlines of its own issues still pending, and a customer writes before the survivor takes the gateway
 * over: the survivor's new session reads that message back.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from '../emulators/discord/index.ts';
import type { SlackEmulator } from '../emulators/slack/index.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { type HeedProcess, killAllHeedProcesses, startHeedProcess } from '../support/heed-process.ts';
import { SMALL_DISCORD, startSmallDiscord } from '../support/small-discord.ts';
import { startSmallSlack } from '../support/small-slack.ts';
import { sleep, until } from '../support/until.ts';

const SLACK_SECRET = 'two-instances-signing-secret';
const SLACK_TOKEN = 'xoxb-two-instances';
const DISCORD_TOKEN = 'two-instances-discord-token.abc.def';
const APP_ID = SMALL_DISCORD.applicationId;
const GUILD = SMALL_DISCORD.guild;
const D_SUPPORT = SMALL_DISCORD.support;
const D_STAFF_DESK = SMALL_DISCORD.staffDesk;
const D_CUSTOMER = '1600000000000000001';

const CONFIG = `
teams:
  - id: support
    slack: { channel: C0TEAM01 }
    discord: { channel: "${D_STAFF_DESK}" }
    staff: { slack: [U0STAFF1], discord: ["1200000000000000001"] }
    managers: { slack: [U0MGR001] }
intake:
  - { platform: slack, channel: C0CUST01, team: support }
  - { platform: discord, channel: "${D_SUPPORT}", team: support }
sla:
  policies:
    - { firstResponse: 4s, resolution: 1h, calendar: always }
  escalation:
    - { after: 0m, notify: [team] }
`;

afterAll(() => killAllHeedProcesses());

/** `#n` of every nag line Heed sent on either platform. */
function nagsSent(slack: SlackEmulator, discord: DiscordEmulator): string[] {
  const texts = [
    // Posts Slack accepted: one answered 429 (its per-channel limit) and sent again is one nag.
    ...slack
      .callsTo('chat.postMessage')
      .filter((call) => call.ok)
      .map((call) => String(call.args.text ?? '')),
    ...discord
      .callsTo('POST /channels/:id/messages')
      .map((call) => String((call.body as { content?: string } | undefined)?.content ?? '')),
  ];
  return texts.flatMap((text) => [...text.matchAll(/⏰ \*{1,2}#(\d+)\*{1,2}/g)].map((m) => `#${m[1]}`));
}

function slackAcks(slack: SlackEmulator): string[] {
  return slack
    .callsTo('chat.postMessage')
    .filter(
      (call) =>
        call.ok && call.args.channel === 'C0CUST01' && /This is \*#\d+\*/.test(String(call.args.text)),
    )
    .map((call) => String(call.args.thread_ts));
}

describe('two Heed instances on one PostgreSQL', () => {
  it('share Slack traffic and deadlines, hold the Discord gateway once, and take over when one dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-two-'));
    writeFileSync(join(dir, 'heed.config.yaml'), CONFIG);
    const slack = await startSmallSlack({
      signingSecret: SLACK_SECRET,
      botToken: SLACK_TOKEN,
      customers: ['U0CUSTA1'],
    });
    const discord = await startSmallDiscord({
      token: DISCORD_TOKEN,
      customers: [{ id: D_CUSTOMER, username: 'lee' }],
    });
    const schema = testSchema('two_instances');
    const env = {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      HEED_CONFIG: join(dir, 'heed.config.yaml'),
      HEED_STORE_URL: postgresStoreUrl(schema),
      PORT: '0',
    };
    try {
      const servers = [await startHeedProcess({ cwd: dir, env }), await startHeedProcess({ cwd: dir, env })];
      const urlOf = (server: HeedProcess) => `http://127.0.0.1:${server.slackPort}/slack/events`;

      // Exactly one instance takes the Discord gateway.
      const leaseTaken = (line: Record<string, unknown>) => line.msg === 'lease taken';
      expect(
        await until(() => servers.some((s) => s.logs.some(leaseTaken)) && discord.connected, 15_000),
      ).toBe(true);
      await sleep(3_000);
      expect(servers.filter((s) => s.logs.some(leaseTaken))).toHaveLength(1);
      expect(discord.identifyCount).toBe(1);
      const holder = servers.find((s) => s.logs.some(leaseTaken))!;
      const standby = servers.find((s) => s !== holder)!;

      // A Slack event and its three retries, landing on alternating instances: one issue, one acknowledgement.
      const base = Math.floor(Date.now() / 1000);
      const event = (n: number) =>
        slack.messageEvent({
          channel: 'C0CUST01',
          user: 'U0CUSTA1',
          text: `Problem ${n}: exports fail`,
          ts: `${base}.00000${n}`,
        });
      for (let retry = 0; retry <= 3; retry += 1) {
        slack.connectApp(urlOf(servers[retry % 2]!));
        const answer = await slack.deliverEvent(event(1), {
          eventId: 'EvTWO1',
          ...(retry ? { retryNum: retry } : {}),
        });
        expect(answer.status, `delivery ${retry}`).toBe(200);
      }
      // Four more issues, alternating instances.
      for (let n = 2; n <= 5; n += 1) {
        slack.connectApp(urlOf(servers[n % 2]!));
        expect((await slack.deliverEvent(event(n))).status).toBe(200);
      }
      discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER,
        content: 'Discord: login loops',
      });
      expect(await until(() => slackAcks(slack).length >= 5, 10_000)).toBe(true);
      expect(slackAcks(slack).filter((ts) => ts === `${base}.000001`)).toHaveLength(1);

      // The deadlines (4 s) fall due on both instances' watch: each nag goes out exactly once.
      expect(await until(() => new Set(nagsSent(slack, discord)).size >= 6, 20_000)).toBe(true);
      await sleep(2_500);
      const firstNags = nagsSent(slack, discord);
      expect(firstNags.sort()).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);

      // Two more issues open on the gateway holder (one from Slack, one from Discord), and it dies -9
      // before their deadlines: the survivor takes the gateway over and sends their nags, once each.
      const opened = () =>
        servers.reduce((sum, s) => sum + s.logs.filter((line) => line.msg === 'issue opened').length, 0);
      slack.connectApp(urlOf(holder));
      expect((await slack.deliverEvent(event(7))).status).toBe(200);
      discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER,
        content: 'Discord: second question',
      });
      expect(await until(() => opened() >= 8, 10_000)).toBe(true);
      const killedAt = Date.now();
      await holder.kill('SIGKILL');
      // A customer writes in the gap before the survivor holds the gateway: Discord delivers it to nobody,
      // and the survivor's new session reads it back.
      discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER,
        content: 'Discord: written during the takeover',
      });
      expect(
        await until(
          () => standby.logs.some(leaseTaken) && discord.identifyCount === 2 && discord.connected,
          20_000,
        ),
      ).toBe(true);
      const takeoverMs = Date.now() - killedAt;
      console.log(`Discord gateway takeover after kill -9: ${takeoverMs} ms`);
      expect(takeoverMs).toBeLessThan(10_000);
      expect(await until(() => new Set(nagsSent(slack, discord)).size >= 9, 20_000)).toBe(true);
      const gapAcks = () =>
        discord
          .callsTo('POST /channels/:id/messages')
          .filter((call) => /This is \*\*#9\*\*/.test(String((call.body as { content?: string }).content)));
      expect(await until(() => gapAcks().length > 0, 10_000)).toBe(true);
      await sleep(500);
      expect(gapAcks()).toHaveLength(1);
      expect(String((gapAcks()[0]!.body as { content?: string }).content)).toContain(
        'we were briefly offline',
      );

      // Discord traffic now flows through the survivor, and its deadlines are watched there.
      discord.sendMessage({
        guildId: GUILD,
        channelId: D_SUPPORT,
        authorId: D_CUSTOMER,
        content: 'Discord: third question',
      });
      expect(await until(() => new Set(nagsSent(slack, discord)).size >= 10, 20_000)).toBe(true);
      await sleep(2_500);
      const allNags = nagsSent(slack, discord);
      expect(allNags.sort()).toEqual(['#1', '#10', '#2', '#3', '#4', '#5', '#6', '#7', '#8', '#9']);
      await standby.kill('SIGTERM');
    } finally {
      await slack.close();
      await discord.close();
      killAllHeedProcesses();
      await dropPostgresSchema(schema);
    }
  }, 120_000);
});
