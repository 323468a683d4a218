import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/logging/logger.ts';
import { D, type DiscordHarness, startDiscordHarness } from '../adapters/discord/discord-fixture.ts';
import {
  APP_TOKEN,
  BOT_TOKEN,
  type Fixture,
  LogCapture,
  S,
  SECRET,
  startFixture,
} from '../adapters/slack/slack-fixture.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let slack: Fixture | undefined;
let discord: DiscordHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await discord?.close();
  slack = undefined;
  discord = undefined;
});

/** Customer words that must never reach a log line (each is unique enough to search for). */
const WORDS = {
  first: 'Zanzibar export fails with my report 4417',
  second: 'Quokka rotate keys please',
  reply: 'Kestrel fix is rolling out',
  thanks: 'Ptarmigan works now thanks',
  apology: 'Narwhal sorry we broke it',
  resolution: 'Axolotl rolled back the change',
  discord: 'Pangolin dashboard shows nothing',
  discordReply: 'Wombat try a hard refresh',
};

function expectClean(raw: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(raw, `a log line holds "${secret}"`).not.toContain(secret);
  for (const words of Object.values(WORDS)) expect(raw, `a log line holds "${words}"`).not.toContain(words);
}

describe('logs of a real conversation', () => {
  it('Slack: structured per module and issue, with no token, secret or customer text', async () => {
    const logs = new LogCapture('trace');
    slack = await startFixture({ logger: logs.logger });
    const { emu, heed, clock } = slack;

    const dana = await slack.say(WORDS.first);
    const one = (await heed.findIssue('#1'))!;
    await emu.blockAction({
      userId: S.staff,
      channelId: S.teamChannel,
      messageTs: one.card!.id,
      actionId: 'heed:claim',
    });
    await emu.waitForCall('chat.update');
    await slack.say(WORDS.second, { user: 'U0CUST02' });
    // A Web API failure and an HTTP error while Heed answers: the errors are logged, not the payloads.
    emu.failNext({ method: 'chat.postMessage', error: 'channel_not_found' });
    await emu.slashCommand({ text: `reply #1 ${WORDS.reply}`, userId: S.staff, channelId: S.teamChannel });
    emu.failHttp({ method: 'chat.update', status: 500 });
    clock.advance(MINUTE);
    await slack.say(WORDS.thanks, { thread: dana.ts });
    clock.advance(5 * HOUR);
    await heed.scheduler.tick();
    await emu.slashCommand({
      text: `apologize #2 ${WORDS.apology}`,
      userId: S.staff,
      channelId: S.teamChannel,
    });
    await emu.slashCommand({
      text: `resolve #1 ${WORDS.resolution}`,
      userId: S.staff,
      channelId: S.teamChannel,
    });
    await expect
      .poll(() => emu.callsTo('chat.postMessage').some((c) => slack!.wire(c).includes('Axolotl')))
      .toBe(true);

    const raw = logs.raw.join('\n');
    expectClean(raw, [BOT_TOKEN, SECRET, APP_TOKEN]);
    expect(
      logs.lines.some((line) => line.msg === 'chat effect failed; state is stored, will not retry now'),
    ).toBe(true);
    // Lines about an issue carry the module, the platform and the issue number.
    const opened = logs.lines.find((line) => line.msg === 'issue opened');
    expect(opened).toMatchObject({
      app: 'heed',
      module: 'core',
      platform: 'slack',
      issue: 1,
      team: 'support',
    });
    const applied = logs.lines.filter((line) => line.msg === 'operation applied');
    expect(applied.map((line) => line.issue)).toEqual(expect.arrayContaining([1, 2]));
    expect(applied.every((line) => line.module === 'core' && line.platform === 'slack')).toBe(true);
    const alerts = logs.lines.find((line) => line.msg === 'SLA alerts due');
    expect(alerts).toMatchObject({ module: 'sla', platform: 'slack', issue: 2 });
  });

  it('Discord: no bot token, no interaction token, no customer text', async () => {
    discord = await startDiscordHarness();
    const h = discord;
    const said = h.say(D.customer, WORDS.discord);
    const issue = await h.issueFor((said.d as { id: string }).id);
    h.say(D.staff, WORDS.discordReply, { threadId: issue.conversation.thread! });
    await expect.poll(async () => (await h.heed.findIssue('#1'))?.status).toBe('waiting');
    // The answer to a command fails: its webhook URL holds the interaction token.
    h.emulator.failHttp({ route: /webhooks|interactions/, status: 500, times: 6 });
    const command = h.emulator.slashCommand({
      guildId: D.guild,
      channelId: D.teamChannel,
      userId: D.sam,
      name: 'heed',
      subcommand: 'mine',
    });
    command.catch(() => undefined);
    await expect.poll(() => h.logs.some((line) => line.msg === 'interaction failed')).toBe(true);
    const raw = h.logs.map((line) => JSON.stringify(line)).join('\n');
    expectClean(raw, [D.token, command.token]);
    expect(raw).not.toContain('/webhooks/');
    expect(h.logs.find((line) => line.msg === 'issue opened')).toMatchObject({
      module: 'core',
      platform: 'discord',
      issue: 1,
    });
  });
});

describe('redaction of platform errors', () => {
  it('blanks request bodies, client configs and the secret parts of URLs, keeping the rest', () => {
    const logs = new LogCapture();
    class DiscordLikeError extends Error {
      url =
        'https://discord.com/api/v10/webhooks/1000000000000000001/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original';
      requestBody = { files: [], json: { content: WORDS.discord } };
      code = 50027;
    }
    logs.logger.warn({ err: new DiscordLikeError('Invalid Webhook Token') }, 'send failed');
    const original = Object.assign(new Error('socket hang up'), {
      config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` }, data: `text=${WORDS.first}` },
    });
    logs.logger.error(
      { err: Object.assign(new Error('A request error occurred'), { original }) },
      'request failed',
    );
    logs.logger.info({ url: 'https://hooks.slack.com/commands/T0HEED01/123/ResponseSecret' }, 'responded');
    logs.logger.info(
      { store: { url: 'postgres://heed:hunter2@db:5432/heed?sslmode=require&token=abc' } },
      'x',
    );

    const raw = logs.raw.join('\n');
    expectClean(raw, [BOT_TOKEN, 'aW50ZXJhY3Rpb24tdG9rZW4', 'ResponseSecret', 'hunter2', 'token=abc']);
    type Line = { err: { original: unknown }; url: string; store: { url: string } };
    const [discordLine, requestLine, slackLine, storeLine] = logs.lines as unknown as Line[];
    expect(discordLine?.err).toMatchObject({
      message: 'Invalid Webhook Token',
      code: 50027,
      url: 'https://discord.com/api/v10/webhooks/1000000000000000001/[redacted]/messages/@original',
      requestBody: '[redacted]',
    });
    expect(requestLine?.err.original).toMatchObject({ message: 'socket hang up', config: '[redacted]' });
    expect(slackLine?.url).toBe('https://hooks.slack.com/commands/[redacted]');
    expect(storeLine?.store.url).toBe('postgres://[redacted]@db:5432/heed?sslmode=require&token=[redacted]');
  });

  it('redactUrl leaves URLs without secrets alone', () => {
    expect(redactUrl('https://slack.com/api/chat.postMessage')).toBe(
      'https://slack.com/api/chat.postMessage',
    );
    expect(redactUrl('https://discord.com/api/v10/channels/1/messages')).toBe(
      'https://discord.com/api/v10/channels/1/messages',
    );
  });
});
