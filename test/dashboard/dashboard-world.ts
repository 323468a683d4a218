/**
 * The real Heed (src/main.ts: core, SQLite store, Bolt app, discord.js client) against the demo's
 * Slack and Discord emulators, with what the dashboard tests need: customers writing, staff running
 * `/heed dashboard` and the link Heed DMs them, and HTTP requests to the dashboard with or without a
 * session cookie.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISCORD, emulatorEnv, SLACK, startDiscord, startSlack } from '../../demo/workspace.ts';
import { parseEnv } from '../../src/config/env.ts';
import { loadConfigFile } from '../../src/config/load-config.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { issueIdFor } from '../../src/intake/conversation-keys.ts';
import { type Logger, silentLogger } from '../../src/logging/logger.ts';
import { type RunningHeed, startHeed } from '../../src/main.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import type { DiscordEmulator } from '../emulators/discord/index.ts';
import type { SlackEmulator, SlackMessage } from '../emulators/slack/index.ts';

export { DISCORD, SLACK };

const config = loadConfigFile(join(import.meta.dirname, '../../heed.config.example.yaml'));

/** A dashboard answer: status, headers and body. */
export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface DashboardWorld {
  readonly heed: RunningHeed;
  readonly slack: SlackEmulator;
  readonly discord: DiscordEmulator;
  readonly clock: FakeClock;
  /** `http://localhost:<port>` */
  readonly origin: string;
  /** Dana (BigCo) writes a new message in the Slack Connect channel; the issue it opened. */
  danaWrites(text: string): Promise<Issue>;
  /** Someone writes in an issue's Slack thread (staff answering, or the customer). */
  saysInThread(user: string, issue: Issue, text: string): Promise<void>;
  /** Lee writes a new message in the Discord support channel; the issue it opened. */
  leeWrites(text: string): Promise<Issue>;
  /** `/heed <text>` in Slack by `user`: Heed's answer. */
  slash(user: string, text: string): Promise<unknown>;
  /** The newest sign-in link Heed sent to a Slack user by DM (undefined when none). */
  slackLinkTo(user: string): Promise<string | undefined>;
  /** Opens a sign-in link: its answer, and the session cookie it set (`name=value`). */
  openLink(url: string): Promise<Page & { cookie: string | undefined }>;
  /** `/heed dashboard` by a Slack user, then the link: the session cookie. */
  signInOnSlack(user: string): Promise<string>;
  get(path: string, cookie?: string): Promise<Page>;
  close(): Promise<void>;
}

/** The sign-in link in a Slack mrkdwn text (`<url|label>`). */
export function linkIn(text: string): string | undefined {
  return /<(https?:\/\/[^|>]+\/dashboard\/sign-in\?token=[^|>]+)\|/.exec(text)?.[1];
}

export async function startDashboardWorld(
  options: { env?: Record<string, string>; at?: string; logger?: Logger } = {},
): Promise<DashboardWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'heed-dashboard-'));
  const slack = await startSlack();
  const discord = await startDiscord();
  const clock = new FakeClock(Date.parse(options.at ?? '2026-11-23T10:00:00+01:00'));
  const env = parseEnv({
    ...emulatorEnv(slack, discord),
    HEED_STORE_URL: `sqlite://${join(dir, 'heed.sqlite')}`,
    PORT: '0',
    ...options.env,
  });
  const heed = await startHeed({ env, config, clock, logger: options.logger ?? silentLogger() });
  slack.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);
  await heed.core.heed.caughtUp();
  const origin = new URL(heed.dashboardUrl).origin;
  let ts = 0;

  const get = async (path: string, cookie?: string): Promise<Page> => {
    const response = await fetch(new URL(path, origin), {
      redirect: 'manual',
      ...(cookie ? { headers: { cookie } } : {}),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };

  const world: DashboardWorld = {
    heed,
    slack,
    discord,
    clock,
    origin,
    async danaWrites(text) {
      ts += 1;
      const messageTs = `${Math.floor(clock.now() / 1000)}.${String(ts).padStart(6, '0')}`;
      await slack.deliverEvent(
        slack.messageEvent({
          channel: SLACK.customerChannel,
          user: SLACK.dana,
          text,
          ts: messageTs,
          userTeam: SLACK.bigco,
        }),
      );
      const issue = await heed.core.heed.issues.getByConversation({
        platform: 'slack',
        channel: SLACK.customerChannel,
        thread: messageTs,
      });
      if (!issue) throw new Error(`no issue for ${text}`);
      return issue;
    },
    async saysInThread(user, issue, text) {
      ts += 1;
      await slack.deliverEvent(
        slack.messageEvent({
          channel: issue.conversation.channel,
          user,
          text,
          ts: `${Math.floor(clock.now() / 1000)}.${String(ts).padStart(6, '0')}`,
          threadTs: issue.conversation.thread!,
          ...(user === SLACK.dana ? { userTeam: SLACK.bigco } : {}),
        }),
      );
    },
    async leeWrites(text) {
      ts += 1;
      // A snowflake of the fake clock's time, so the message is as new as the clock says.
      const id = String((BigInt(clock.now() - 1_420_070_400_000) << 22n) + BigInt(ts));
      discord.sendMessage({
        guildId: DISCORD.guild,
        channelId: DISCORD.supportChannel,
        authorId: DISCORD.lee,
        content: text,
        id,
      });
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const issue = await heed.core.heed.issues.get(issueIdFor('discord', DISCORD.supportChannel, id));
        if (issue?.card) return issue;
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      throw new Error(`no issue for ${text}`);
    },
    async slash(user, text) {
      const answer = await slack.slashCommand({
        command: '/heed',
        text,
        userId: user,
        channelId: SLACK.teamChannel,
      });
      return answer.body;
    },
    async slackLinkTo(user) {
      const links = (await slackDms(slack, user))
        .map((message) => linkIn(message.text ?? ''))
        .filter((url): url is string => url !== undefined);
      return links.at(-1);
    },
    async openLink(url) {
      const page = await get(new URL(url).pathname + new URL(url).search);
      const set = page.headers.get('set-cookie') ?? undefined;
      return { ...page, cookie: set?.split(';')[0] };
    },
    async signInOnSlack(user) {
      await world.slash(user, 'dashboard');
      const url = await world.slackLinkTo(user);
      if (!url) throw new Error(`no sign-in link reached ${user}`);
      const opened = await world.openLink(url);
      if (!opened.cookie) throw new Error(`the link did not sign ${user} in (${opened.status})`);
      return opened.cookie;
    },
    get,
    async close() {
      await heed.stop();
      await slack.close();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** What Heed said in its DM with a Slack user (the DM channel as Slack's Web API opens it). */
export async function slackDms(slack: SlackEmulator, user: string): Promise<SlackMessage[]> {
  const response = await fetch(`${slack.apiUrl}conversations.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SLACK.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ users: user }),
  });
  const opened = (await response.json()) as { ok: boolean; channel?: { id: string } };
  if (!opened.ok || !opened.channel) throw new Error(`could not open a DM with ${user}`);
  return slack.messagesIn(opened.channel.id);
}
