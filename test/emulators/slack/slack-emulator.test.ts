import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { type WebAPIHTTPError, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, type SlackEmulatorOptions, startSlackEmulator } from './index.ts';

const SECRET = 'emulator-signing-secret';
const BOT_TOKEN = 'xoxb-emulator-bot-token';
const APP_TOKEN = 'xapp-1-emulator-app-token';
const BOT_USER = 'U0HEEDBOT';
const BOT_ID = 'B0HEEDBOT';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function emulator(extra: Partial<SlackEmulatorOptions> = {}): Promise<SlackEmulator> {
  const emu = await startSlackEmulator({
    signingSecret: SECRET,
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    botUserId: BOT_USER,
    botId: BOT_ID,
    users: [
      { id: 'U0AGENT1', name: 'alice', realName: 'Alice Agent', email: 'alice@heed.test' },
      { id: 'U0CUST01', name: 'carol', realName: 'Carol Customer', teamId: 'T0ACME001' },
    ],
    channels: [
      { id: 'C0SUPPORT', name: 'support' },
      { id: 'C0SHARED1', name: 'acme-shared', isExtShared: true },
    ],
    ...extra,
  });
  cleanups.push(() => emu.close());
  return emu;
}

function httpApp(emu: SlackEmulator, extra: { ignoreSelf?: boolean } = {}): App {
  return new App({
    token: BOT_TOKEN,
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    ...extra,
  });
}

async function listen(app: App, emu: SlackEmulator): Promise<void> {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  cleanups.push(() => app.stop().then(() => undefined));
  emu.connectApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
  ]);
}

function client(emu: SlackEmulator, token = BOT_TOKEN, retries = 0): WebClient {
  return new WebClient(token, {
    slackApiUrl: emu.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries, minTimeout: 0, maxTimeout: 0 },
  });
}

describe('Slack emulator with a real Bolt app over HTTP', () => {
  it('answers the auth.test Bolt makes at construction', async () => {
    const emu = await emulator();
    httpApp(emu);
    const call = await emu.waitForCall('auth.test');
    expect(call.ok).toBe(true);
    const reply = await client(emu).auth.test();
    expect(reply).toMatchObject({ user_id: BOT_USER, bot_id: BOT_ID, team_id: 'T0HEED01' });
  });

  it('delivers a signed message event to app.message, with Slack Connect fields', async () => {
    const emu = await emulator();
    const app = httpApp(emu);
    const seen = deferred<{ event: Record<string, unknown>; body: Record<string, unknown> }>();
    app.message(async ({ event, body }) => {
      seen.resolve({
        event: event as unknown as Record<string, unknown>,
        body: body as Record<string, unknown>,
      });
    });
    await listen(app, emu);
    const event = emu.messageEvent({ channel: 'C0SHARED1', user: 'U0CUST01', text: 'my order is stuck' });
    const res = await emu.deliverEvent(event);
    expect(res.status).toBe(200);
    const { event: got, body } = await within(seen.promise);
    expect(got).toMatchObject({
      type: 'message',
      text: 'my order is stuck',
      channel_type: 'channel',
      user_team: 'T0ACME001',
      source_team: 'T0ACME001',
    });
    expect(body).toMatchObject({ type: 'event_callback', team_id: 'T0HEED01', is_ext_shared_channel: true });
    expect(String(body.event_id)).toMatch(/^Ev/);
    expect(emu.getMessage('C0SHARED1', String(got.ts))?.text).toBe('my order is stuck');
  });

  it('surfaces x-slack-retry-num / reason as context.retryNum / retryReason', async () => {
    const emu = await emulator();
    const app = httpApp(emu);
    const seen = deferred<{ retryNum: unknown; retryReason: unknown }>();
    app.message(async ({ context }) =>
      seen.resolve({ retryNum: context.retryNum, retryReason: context.retryReason }),
    );
    await listen(app, emu);
    const event = emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'again' });
    await emu.deliverEvent(event, { eventId: 'Ev0REPLAYED', retryNum: 1, retryReason: 'http_timeout' });
    expect(await within(seen.promise)).toEqual({ retryNum: 1, retryReason: 'http_timeout' });
  });

  it('rejects forged and stale signatures with 401 and accepts future-dated ones', async () => {
    const emu = await emulator();
    const app = httpApp(emu);
    const texts: string[] = [];
    app.message(async ({ message }) => {
      texts.push(String((message as { text?: string }).text));
    });
    await listen(app, emu);
    const now = Math.floor(Date.now() / 1000);
    const forged = await emu.deliverEvent(
      emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'forged' }),
      {
        forge: true,
      },
    );
    const stale = await emu.deliverEvent(
      emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'stale' }),
      {
        timestamp: now - 6 * 60,
      },
    );
    const future = await emu.deliverEvent(
      emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'future' }),
      {
        timestamp: now + 60 * 60,
      },
    );
    expect([forged.status, stale.status, future.status]).toEqual([401, 401, 200]);
    await expect.poll(() => texts).toEqual(['future']);
  });

  it('delivers a slash command, returns the ack body and records respond() on the response_url', async () => {
    const emu = await emulator();
    const app = httpApp(emu);
    app.command('/heed', async ({ ack, command, respond }) => {
      await ack({ text: `got ${command.text}` });
      await respond({ text: 'done', response_type: 'in_channel' });
    });
    await listen(app, emu);
    const res = await emu.slashCommand({ text: 'status 42', userId: 'U0AGENT1', channelId: 'C0SUPPORT' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: 'got status 42' });
    const call = await emu.waitForCall('response_url');
    expect(call).toMatchObject({ ok: true, args: { text: 'done', response_type: 'in_channel' } });
    expect(call.url).toBe(res.sent.response_url);
    expect(emu.messagesIn('C0SUPPORT').map((m) => m.text)).toContain('done');
  });

  it('records chat.postMessage / chat.update with decoded blocks and answers Slack errors', async () => {
    const emu = await emulator();
    const web = client(emu);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*New ticket*' } }];
    const posted = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'New ticket', blocks });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const second = await web.chat.postMessage({
      channel: 'C0SUPPORT',
      text: 'reply',
      thread_ts: String(posted.ts),
    });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));
    await web.chat.update({ channel: 'C0SUPPORT', ts: String(posted.ts), text: 'Claimed', blocks: [] });
    const [post] = emu.callsTo('chat.postMessage');
    expect(post?.args.blocks).toEqual(blocks);
    expect(emu.callsTo('chat.update')[0]?.args).toMatchObject({ ts: posted.ts, text: 'Claimed', blocks: [] });
    expect(emu.getMessage('C0SUPPORT', String(posted.ts))).toMatchObject({ text: 'Claimed', reply_count: 1 });
    const link = await web.chat.getPermalink({ channel: 'C0SUPPORT', message_ts: String(second.ts) });
    expect(link.permalink).toBe(
      `https://heed-test.slack.com/archives/C0SUPPORT/p${String(second.ts).replace('.', '')}?thread_ts=${posted.ts}&cid=C0SUPPORT`,
    );
    const dm = await web.conversations.open({ users: 'U0CUST01' });
    expect(dm.channel?.id).toBe('D0CUST01');
    const user = await web.users.info({ user: 'U0CUST01' });
    expect(user.user).toMatchObject({ team_id: 'T0ACME001', real_name: 'Carol Customer' });

    const errorOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: WebAPIPlatformError) => e.data.error,
      );
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await errorOf(web.chat.postMessage({ channel: 'C0SUPPORT', text: '' }))).toBe('no_text');
    expect(await errorOf(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await errorOf(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x', blocks: tooMany }))).toBe(
      'invalid_blocks',
    );
    expect(await errorOf(web.chat.update({ channel: 'C0SUPPORT', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(client(emu, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await errorOf(web.apiCall('nope.method'))).toBe('unknown_method');
    expect(
      emu
        .callsTo('chat.postMessage')
        .filter((c) => !c.ok)
        .map((c) => c.error),
    ).toEqual(['no_text', 'channel_not_found', 'invalid_blocks']);
  });

  it('delivers a block action and a view submission, with views.open in between', async () => {
    const emu = await emulator();
    const app = httpApp(emu);
    const clicked = deferred<{ value: unknown; messageTs: unknown }>();
    app.action('claim', async ({ ack, action, body, client: web }) => {
      await ack();
      const triggerId = (body as { trigger_id: string }).trigger_id;
      await web.views.open({
        trigger_id: triggerId,
        view: {
          type: 'modal',
          callback_id: 'claim_modal',
          private_metadata: 'ticket-7',
          title: { type: 'plain_text', text: 'Claim' },
          blocks: [],
        },
      });
      clicked.resolve({
        value: (action as { value?: string }).value,
        messageTs: (body as { message?: { ts: string } }).message?.ts,
      });
    });
    const submitted = deferred<{ metadata: string; values: unknown }>();
    app.view('claim_modal', async ({ ack, view }) => {
      submitted.resolve({ metadata: view.private_metadata, values: view.state.values });
      await ack({ response_action: 'errors', errors: { note: 'Too short' } });
    });
    await listen(app, emu);
    const posted = await app.client.chat.postMessage({
      channel: 'C0SUPPORT',
      text: 'ticket',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'claim',
              value: 'ticket-7',
              text: { type: 'plain_text', text: 'Claim' },
            },
          ],
        },
      ],
    });
    const res = await emu.blockAction({
      userId: 'U0AGENT1',
      channelId: 'C0SUPPORT',
      messageTs: String(posted.ts),
      actionId: 'claim',
    });
    expect(res.status).toBe(200);
    expect(await within(clicked.promise)).toEqual({ value: 'ticket-7', messageTs: posted.ts });
    const opened = await emu.waitForCall('views.open');
    expect(opened.ok).toBe(true);
    expect(emu.views[0]).toMatchObject({ method: 'views.open', userId: 'U0AGENT1' });
    const values = { note: { input: { type: 'plain_text_input', value: 'hi' } } };
    const answer = await emu.viewSubmission({
      userId: 'U0AGENT1',
      view: { callback_id: 'claim_modal', state: { values } },
    });
    expect(answer.body).toEqual({ response_action: 'errors', errors: { note: 'Too short' } });
    expect(await within(submitted.promise)).toEqual({ metadata: 'ticket-7', values });
  });

  it('echoes the bot’s own messages back as message events when asked', async () => {
    const emu = await emulator({ echoBotMessages: true });
    const app = httpApp(emu, { ignoreSelf: false });
    const seen = deferred<Record<string, unknown>>();
    app.message(async ({ message }) => seen.resolve(message as unknown as Record<string, unknown>));
    await listen(app, emu);
    await app.client.chat.postMessage({ channel: 'C0SUPPORT', text: 'hello from heed' });
    expect(await within(seen.promise)).toMatchObject({
      text: 'hello from heed',
      bot_id: BOT_ID,
      user: BOT_USER,
    });
  });
});

describe('Slack emulator Web API faults', () => {
  it('answers 429 with Retry-After, which WebClient honours before succeeding', async () => {
    const emu = await emulator();
    emu.rateLimit({ method: 'chat.postMessage', channel: 'C0SUPPORT', times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const res = await client(emu, BOT_TOKEN, 1).chat.postMessage({ channel: 'C0SUPPORT', text: 'hi' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emu.callsTo('chat.postMessage').map((c) => [c.status, c.ok, c.error])).toEqual([
      [429, false, 'ratelimited'],
      [200, true, undefined],
    ]);
  });

  it('fails the next calls with a Slack error or an HTTP status', async () => {
    const emu = await emulator();
    const web = client(emu);
    emu.failNext({ method: 'chat.update', error: 'edit_window_closed' });
    emu.failHttp({ method: 'users.info', status: 503 });
    const platform = await web.chat
      .update({ channel: 'C0SUPPORT', ts: '1.1', text: 'x' })
      .catch((e: WebAPIPlatformError) => e);
    expect((platform as WebAPIPlatformError).data.error).toBe('edit_window_closed');
    const http = await web.users.info({ user: 'U0AGENT1' }).catch((e: WebAPIHTTPError) => e);
    expect((http as WebAPIHTTPError).statusCode).toBe(503);
    expect((await web.users.info({ user: 'U0AGENT1' })).ok).toBe(true);
    expect(emu.calls.map((c) => `${c.method}:${c.status}:${c.ok}`)).toEqual([
      'chat.update:200:false',
      'users.info:503:false',
      'users.info:200:true',
    ]);
  });
});

describe('Slack emulator in Socket Mode', () => {
  it('delivers events and slash commands over the websocket and returns the acks', async () => {
    const emu = await emulator({ socketMode: true });
    const app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    });
    const seen = deferred<{ text: unknown; retryNum: unknown }>();
    app.message(async ({ message, context }) =>
      seen.resolve({ text: (message as { text?: string }).text, retryNum: context.retryNum }),
    );
    app.command('/heed', async ({ ack, command }) => {
      await ack({ text: `socket ${command.text}` });
    });
    await app.start();
    cleanups.push(() => app.stop().then(() => undefined));
    await emu.waitForSocket();
    expect(emu.callsTo('apps.connections.open')[0]?.ok).toBe(true);

    const eventAck = await emu.deliverEvent(
      emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'via socket' }),
    );
    expect(eventAck.ack?.envelope_id).toMatch(/[0-9a-f-]{36}/);
    expect(await within(seen.promise)).toEqual({ text: 'via socket', retryNum: 0 });

    const commandAck = await emu.slashCommand({ text: 'ping', userId: 'U0AGENT1', channelId: 'C0SUPPORT' });
    expect(commandAck.body).toEqual({ text: 'socket ping' });
  });

  it('lets the client reconnect after the emulator drops the socket', async () => {
    const emu = await emulator({ socketMode: true });
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      clientPingTimeout: 200,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } } },
    });
    const app = new App({
      token: BOT_TOKEN,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    });
    const texts: string[] = [];
    app.message(async ({ message }) => {
      texts.push(String((message as { text?: string }).text));
    });
    await app.start();
    cleanups.push(() => app.stop().then(() => undefined));
    await emu.waitForSocket();
    await emu.dropSocket();
    expect(emu.socketConnections).toBe(0);
    await emu.waitForSocket(3000);
    expect(emu.socketConnectionsAccepted).toBe(2);
    await emu.deliverEvent(
      emu.messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT1', text: 'after reconnect' }),
    );
    await expect.poll(() => texts).toEqual(['after reconnect']);
  });
});

// ---- Slack's rules: Block Kit, views and the per-channel posting limit ------------------------------

type Json = Record<string, unknown>;

/** A raw Web API call (JSON body, bot token): the HTTP status, `Retry-After` and the parsed answer. */
async function api(
  emu: SlackEmulator,
  method: string,
  body: Json,
): Promise<{ status: number; retryAfter: string | null; body: Json }> {
  const res = await fetch(`${emu.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Json };
}

const x = (length: number) => 'x'.repeat(length);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (extra: Json = {}) => ({ type: 'button', action_id: 'go', text: plain('Go'), ...extra });
const actions = (...elements: Json[]) => ({ type: 'actions', elements });
const section = (text: string, blockId?: string) => ({
  type: 'section',
  text: mrkdwn(text),
  ...(blockId !== undefined ? { block_id: blockId } : {}),
});
const times = <T>(count: number, make: (i: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i));

interface Rule {
  rule: string;
  /** Just within the rule: Slack accepts it. */
  ok: unknown[];
  /** Just past it: Slack refuses it with this sentence. */
  bad: unknown[];
  says: string;
}

const MESSAGE_RULES: Rule[] = [
  {
    rule: 'button text: 75 characters',
    ok: [actions(button({ text: plain(x(75)) }))],
    bad: [actions(button({ text: plain(x(76)) }))],
    says: 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
  },
  {
    rule: 'button text: plain_text only',
    ok: [actions(button({ text: plain('*Go*') }))],
    bad: [actions(button({ text: mrkdwn('*Go*') }))],
    says: 'must be one of: plain_text [json-pointer:/blocks/0/elements/0/text/type]',
  },
  {
    rule: 'button value: 2000 characters',
    ok: [actions(button({ value: x(2000) }))],
    bad: [actions(button({ value: x(2001) }))],
    says: 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
  },
  {
    rule: 'action_id: 255 characters',
    ok: [actions(button({ action_id: x(255) }))],
    bad: [actions(button({ action_id: x(256) }))],
    says: 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
  },
  {
    rule: 'action_id: unique within its block (not across blocks)',
    ok: [actions(button({ action_id: 'a' })), actions(button({ action_id: 'a' }))],
    bad: [actions(button({ action_id: 'a' }), button({ action_id: 'a' }))],
    says: 'duplicate action_id: a [json-pointer:/blocks/0/elements/1/action_id]',
  },
  {
    rule: 'block_id: unique within the message',
    ok: [section('one', 'a'), section('two', 'b')],
    bad: [section('one', 'a'), section('two', 'a')],
    says: 'duplicate block_id: a [json-pointer:/blocks/1/block_id]',
  },
  {
    rule: 'block_id: 255 characters',
    ok: [section('one', x(255))],
    bad: [section('one', x(256))],
    says: 'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
  },
  {
    rule: 'section text: 3000 characters',
    ok: [section(x(3000))],
    bad: [section(x(3001))],
    says: 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    rule: 'section text: at least 1 character',
    ok: [section('x')],
    bad: [section('')],
    says: 'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    rule: 'section fields: 10 items',
    ok: [{ type: 'section', fields: times(10, () => mrkdwn('f')) }],
    bad: [{ type: 'section', fields: times(11, () => mrkdwn('f')) }],
    says: 'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
  },
  {
    rule: 'section field: 2000 characters',
    ok: [{ type: 'section', fields: [mrkdwn(x(2000))] }],
    bad: [{ type: 'section', fields: [mrkdwn(x(2001))] }],
    says: 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
  },
  {
    rule: 'header: 150 characters',
    ok: [{ type: 'header', text: plain(x(150)) }],
    bad: [{ type: 'header', text: plain(x(151)) }],
    says: 'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    rule: 'header: plain_text only',
    ok: [{ type: 'header', text: plain('Title') }],
    bad: [{ type: 'header', text: mrkdwn('Title') }],
    says: 'must be one of: plain_text [json-pointer:/blocks/0/text/type]',
  },
  {
    rule: 'context: 10 elements',
    ok: [{ type: 'context', elements: times(10, () => mrkdwn('c')) }],
    bad: [{ type: 'context', elements: times(11, () => mrkdwn('c')) }],
    says: 'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    rule: 'actions: 25 elements',
    ok: [actions(...times(25, (i) => button({ action_id: `b${i}` })))],
    bad: [actions(...times(26, (i) => button({ action_id: `b${i}` })))],
    says: 'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    rule: 'blocks: 50 per message',
    ok: times(50, () => ({ type: 'divider' })),
    bad: times(51, () => ({ type: 'divider' })),
    says: 'no more than 50 items allowed [json-pointer:/blocks]',
  },
];

describe('Slack emulator Block Kit rules in messages (invalid_blocks)', () => {
  it.each(MESSAGE_RULES)('$rule', async ({ ok, bad, says }) => {
    const emu = await emulator();
    const accepted = await api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', text: 'fine', blocks: ok });
    expect(accepted.body).toMatchObject({ ok: true });

    const refused = await api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', text: 'bad', blocks: bad });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(refused.body.errors).toContain(says);
    expect((refused.body.response_metadata as { messages: string[] }).messages).toContain(`[ERROR] ${says}`);
    expect(emu.messagesIn('C0SUPPORT').map((m) => m.text)).toEqual(['fine']);
  });

  it('applies the same rules to chat.update, chat.postEphemeral and response_url answers', async () => {
    const emu = await emulator();
    const tooLong = [actions(button({ text: plain(x(76)) }))];
    const posted = await api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', text: 'first' });
    const ts = String(posted.body.ts);
    const update = await api(emu, 'chat.update', { channel: 'C0SUPPORT', ts, text: 'x', blocks: tooLong });
    expect(update.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(emu.getMessage('C0SUPPORT', ts)?.text).toBe('first');
    const ephemeral = await api(emu, 'chat.postEphemeral', {
      channel: 'C0SUPPORT',
      user: 'U0AGENT1',
      text: 'x',
      blocks: tooLong,
    });
    expect(ephemeral.body).toMatchObject({ ok: false, error: 'invalid_blocks' });

    const app = httpApp(emu);
    const answered = deferred<unknown>();
    app.command('/heed', async ({ ack, respond }) => {
      await ack();
      answered.resolve(await respond({ text: 'x', blocks: tooLong as never }).catch((e: unknown) => e));
    });
    await listen(app, emu);
    await emu.slashCommand({ text: 'go', userId: 'U0AGENT1', channelId: 'C0SUPPORT' });
    await within(answered.promise);
    expect(emu.callsTo('response_url')[0]).toMatchObject({ status: 400, ok: false, error: 'invalid_blocks' });
    expect(emu.ephemerals).toEqual([]);
  });

  it('answers invalid_blocks_format when blocks is not an array', async () => {
    const emu = await emulator();
    const refused = await api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', blocks: { type: 'divider' } });
    expect(refused.body).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });
});

const modal = (extra: Json = {}): Json => ({ type: 'modal', title: plain('Report'), blocks: [], ...extra });
const input = (extra: Json = {}) => ({
  type: 'input',
  block_id: 'field',
  label: plain('Why?'),
  element: { type: 'plain_text_input', action_id: 'value' },
  ...extra,
});

/** Static selects in a modal: at most 100 options, option text 75 and value 150, an initial option among them. */
function selectRules(): Array<{ rule: string; ok: Json; bad: Json; says: string }> {
  const option = (text: string, value: string) => ({ text: plain(text), value });
  const withSelect = (element: Json) =>
    modal({
      submit: plain('Send'),
      blocks: [input({ element: { type: 'static_select', action_id: 'value', ...element } })],
    });
  return [
    {
      rule: 'static_select options: at most 100',
      ok: withSelect({ options: times(100, (i) => option(`o${i}`, `v${i}`)) }),
      bad: withSelect({ options: times(101, (i) => option(`o${i}`, `v${i}`)) }),
      says: 'no more than 100 items allowed [json-pointer:/view/blocks/0/element/options]',
    },
    {
      rule: 'static_select option text: plain_text, 75 characters',
      ok: withSelect({ options: [option(x(75), 'a')] }),
      bad: withSelect({ options: [option(x(76), 'a')] }),
      says: 'must be less than 76 characters [json-pointer:/view/blocks/0/element/options/0/text/text]',
    },
    {
      rule: 'static_select option value: 150 characters',
      ok: withSelect({ options: [option('a', x(150))] }),
      bad: withSelect({ options: [option('a', x(151))] }),
      says: 'must be less than 151 characters [json-pointer:/view/blocks/0/element/options/0/value]',
    },
    {
      rule: 'static_select initial_option: one of the options',
      ok: withSelect({ options: [option('A', 'a'), option('B', 'b')], initial_option: option('B', 'b') }),
      bad: withSelect({ options: [option('A', 'a')], initial_option: option('B', 'b') }),
      says: 'must match one of the provided options [json-pointer:/view/blocks/0/element/initial_option]',
    },
    {
      rule: 'plain_text_input initial_value: 3000 characters',
      ok: modal({
        submit: plain('Send'),
        blocks: [input({ element: { type: 'plain_text_input', initial_value: x(3000) } })],
      }),
      bad: modal({
        submit: plain('Send'),
        blocks: [input({ element: { type: 'plain_text_input', initial_value: x(3001) } })],
      }),
      says: 'must be less than 3001 characters [json-pointer:/view/blocks/0/element/initial_value]',
    },
  ];
}

const VIEW_RULES: Array<{ rule: string; ok: Json; bad: Json; says: string }> = [
  ...selectRules(),
  {
    rule: 'title: 24 characters',
    ok: modal({ title: plain(x(24)) }),
    bad: modal({ title: plain(x(25)) }),
    says: 'must be less than 25 characters [json-pointer:/view/title/text]',
  },
  {
    rule: 'title: plain_text only',
    ok: modal({ title: plain('*Report*') }),
    bad: modal({ title: mrkdwn('*Report*') }),
    says: 'must be one of: plain_text [json-pointer:/view/title/type]',
  },
  {
    rule: 'title: required',
    ok: modal(),
    bad: { type: 'modal', blocks: [] },
    says: 'missing required field [json-pointer:/view/title]',
  },
  {
    rule: 'submit: 24 characters, plain_text',
    ok: modal({ submit: plain(x(24)) }),
    bad: modal({ submit: plain(x(25)) }),
    says: 'must be less than 25 characters [json-pointer:/view/submit/text]',
  },
  {
    rule: 'close: 24 characters, plain_text',
    ok: modal({ close: plain(x(24)) }),
    bad: modal({ close: mrkdwn('Cancel') }),
    says: 'must be one of: plain_text [json-pointer:/view/close/type]',
  },
  {
    rule: 'private_metadata: 3000 characters',
    ok: modal({ private_metadata: x(3000) }),
    bad: modal({ private_metadata: x(3001) }),
    says: 'must be less than 3001 characters [json-pointer:/view/private_metadata]',
  },
  {
    rule: 'callback_id: 255 characters',
    ok: modal({ callback_id: x(255) }),
    bad: modal({ callback_id: x(256) }),
    says: 'must be less than 256 characters [json-pointer:/view/callback_id]',
  },
  {
    rule: 'blocks: 100 in a modal',
    ok: modal({ blocks: times(100, () => ({ type: 'divider' })) }),
    bad: modal({ blocks: times(101, () => ({ type: 'divider' })) }),
    says: 'no more than 100 items allowed [json-pointer:/view/blocks]',
  },
  {
    rule: 'an input block needs submit',
    ok: modal({ submit: plain('Send'), blocks: [input()] }),
    bad: modal({ blocks: [input()] }),
    says: 'must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0]',
  },
  {
    rule: 'input label: plain_text, 2000 characters',
    ok: modal({ submit: plain('Send'), blocks: [input({ label: plain(x(2000)) })] }),
    bad: modal({ submit: plain('Send'), blocks: [input({ label: plain(x(2001)) })] }),
    says: 'must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]',
  },
  {
    rule: 'placeholder: 150 characters',
    ok: modal({
      submit: plain('Send'),
      blocks: [input({ element: { type: 'plain_text_input', placeholder: plain(x(150)) } })],
    }),
    bad: modal({
      submit: plain('Send'),
      blocks: [input({ element: { type: 'plain_text_input', placeholder: plain(x(151)) } })],
    }),
    says: 'must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]',
  },
  {
    rule: 'block_id: unique within the view, the same action_id in each input block is fine',
    ok: modal({ submit: plain('Send'), blocks: [input({ block_id: 'a' }), input({ block_id: 'b' })] }),
    bad: modal({ submit: plain('Send'), blocks: [input({ block_id: 'a' }), input({ block_id: 'a' })] }),
    says: 'duplicate block_id: a [json-pointer:/view/blocks/1/block_id]',
  },
];

describe('Slack emulator view rules (invalid_arguments)', () => {
  it.each(VIEW_RULES)('$rule', async ({ ok, bad, says }) => {
    const emu = await emulator();
    const open = (view: Json) =>
      api(emu, 'views.open', { trigger_id: emu.workspace.issueTrigger('U0AGENT1'), view });
    expect((await open(ok)).body).toMatchObject({ ok: true });

    const refused = await open(bad);
    expect(refused.body).toMatchObject({ ok: false, error: 'invalid_arguments' });
    const messages = (refused.body.response_metadata as { messages: string[] }).messages;
    expect(messages[0]).toBe('[ERROR] failed to match all allowed schemas [json-pointer:/view]');
    expect(messages).toContain(`[ERROR] ${says}`);
    expect(emu.views).toHaveLength(1);
  });

  it('checks views.push, views.update and views.publish too', async () => {
    const emu = await emulator();
    const tooLong = modal({ title: plain(x(25)) });
    const opened = await api(emu, 'views.open', {
      trigger_id: emu.workspace.issueTrigger('U0AGENT1'),
      view: modal(),
    });
    const viewId = String((opened.body.view as Json).id);
    const answers = [
      await api(emu, 'views.push', { trigger_id: emu.workspace.issueTrigger('U0AGENT1'), view: tooLong }),
      await api(emu, 'views.update', { view_id: viewId, view: tooLong }),
      await api(emu, 'views.publish', {
        user_id: 'U0AGENT1',
        view: { type: 'home', blocks: [section('one', 'a'), section('two', 'a')] },
      }),
    ];
    expect(answers.map((answer) => answer.body.error)).toEqual([
      'invalid_arguments',
      'invalid_arguments',
      'invalid_arguments',
    ]);
    expect(emu.views.map((view) => view.method)).toEqual(['views.open']);
  });
});

describe('Slack emulator per-channel posting limit (chat.postMessage)', () => {
  it('lets a short burst through, then answers 429 with Retry-After; other channels are unaffected', async () => {
    const emu = await emulator();
    const post = (channel: string, text: string) => api(emu, 'chat.postMessage', { channel, text });
    const burst = [];
    for (let i = 0; i < 4; i += 1) burst.push(await post('C0SUPPORT', `burst ${i}`));
    expect(burst.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);

    const over = await post('#support', 'one too many');
    expect(over).toEqual({ status: 429, retryAfter: '1', body: { ok: false, error: 'ratelimited' } });
    expect((await post('C0SHARED1', 'elsewhere')).status).toBe(200);
    expect(emu.callsTo('chat.postMessage').map((call) => call.status)).toEqual([
      200, 200, 200, 200, 429, 200,
    ]);
    // A refused post is not stored; updates are not limited per channel.
    expect(emu.messagesIn('C0SUPPORT')).toHaveLength(4);
    const ts = String(burst[0]?.body.ts);
    expect((await api(emu, 'chat.update', { channel: 'C0SUPPORT', ts, text: 'edited' })).status).toBe(200);

    emu.resetRateLimits();
    expect((await post('C0SUPPORT', 'after a reset')).status).toBe(200);
  });

  it('gives a channel about one post a second back', async () => {
    const emu = await emulator({ postRateLimit: { burst: 1, perSecond: 10 } });
    const post = () => api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', text: 'tick' });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await post()).status).toBe(200);
  });

  it('is switched off with postRateLimit: false', async () => {
    const emu = await emulator({ postRateLimit: false });
    const answers = await Promise.all(
      times(20, (i) => api(emu, 'chat.postMessage', { channel: 'C0SUPPORT', text: `post ${i}` })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });
});
