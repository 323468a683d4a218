import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../adapters/slack/index.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type Fixture, LogCapture, quiet, S, SECRET, startFixture, tsAt } from './slack-fixture.ts';

let f: Fixture | undefined;

afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function fixture(options: Parameters<typeof startFixture>[0] = {}): Promise<Fixture> {
  f = await startFixture(options);
  return f;
}

function get(
  port: number,
  path: string,
  method = 'GET',
  body?: { type: string; data: string | Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = body
      ? { 'content-type': body.type, 'content-length': String(Buffer.byteLength(body.data)) }
      : {};
    const req = request({ host: '127.0.0.1', port, path, method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body?.data);
  });
}

describe('Slack deliveries', () => {
  it('answers the url_verification handshake', async () => {
    const { emu } = await fixture();
    const answer = await emu.urlVerification('challenge-123');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ challenge: 'challenge-123' });
  });

  it('turns Slack retries of one event into one issue and one acknowledgement', async () => {
    const { emu, heed, clock } = await fixture();
    const event = emu.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'Sync is stuck',
      ts: tsAt(clock.now()),
    });

    const statuses: number[] = [];
    for (const retryNum of [undefined, 1, 2, 3]) {
      const answer = await emu.deliverEvent(event, {
        eventId: 'Ev0SAMEEVENT',
        ...(retryNum !== undefined ? { retryNum, retryReason: 'http_timeout' } : {}),
      });
      statuses.push(answer.status);
    }

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(heed.issues.listOpen()).toHaveLength(1);
    expect(f!.posts(S.customerChannel, String(event.ts))).toHaveLength(1);
    expect(f!.posts(S.teamChannel)).toHaveLength(1);
  });

  it('keeps one issue when the same message arrives concurrently or under a new event id', async () => {
    const { emu, heed, clock } = await fixture();
    const event = emu.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'Exports time out',
      ts: tsAt(clock.now()),
    });

    const together = await Promise.all([
      emu.deliverEvent(event, { eventId: 'Ev0CONCURRENT' }),
      emu.deliverEvent(event, { eventId: 'Ev0CONCURRENT', retryNum: 1 }),
    ]);
    // After a restart the id set is empty: the core's per-message issue id still prevents a second issue.
    const anotherId = await emu.deliverEvent(event, { eventId: 'Ev0OTHERID' });

    expect([...together.map((a) => a.status), anotherId.status]).toEqual([200, 200, 200]);
    expect(heed.issues.listOpen()).toHaveLength(1);
    expect(f!.posts(S.customerChannel, String(event.ts))).toHaveLength(1);
  });

  it('refuses forged, stale and future-dated signatures with 401, logs why, and opens nothing', async () => {
    const logs = new LogCapture();
    const { emu, heed } = await fixture({ logger: logs.logger });
    emu.clearCalls();
    const now = Math.floor(Date.now() / 1000);
    const text = 'secret customer words';
    const event = () => emu.messageEvent({ channel: S.customerChannel, user: S.customer, text });

    const forged = await emu.deliverEvent(event(), { forge: true });
    const stale = await emu.deliverEvent(event(), { timestamp: now - 6 * 60 });
    const future = await emu.deliverEvent(event(), { timestamp: now + 6 * 60 });

    expect([forged.status, stale.status, future.status]).toEqual([401, 401, 401]);
    expect(heed.issues.listOpen()).toEqual([]);
    expect(emu.calls).toEqual([]);
    const refusals = logs.lines.filter(
      (line) => line.msg === 'refused a Slack request: signature check failed',
    );
    expect(refusals.map((line) => line.problem)).toEqual(['bad-signature', 'stale', 'future']);
    expect(logs.raw.join('\n')).not.toContain(SECRET);
    expect(logs.raw.join('\n')).not.toContain(text);
  });

  it('answers 500 while the store is down, so Slack retries, and opens the issue on the retry', async () => {
    const logs = new LogCapture();
    const { emu, heed, clock, store } = await fixture({ logger: logs.logger });
    const event = emu.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'Login loops',
      ts: tsAt(clock.now()),
    });

    store.broken = true;
    const first = await emu.deliverEvent(event, { eventId: 'Ev0STOREDOWN' });
    expect(first.status).toBe(500);
    expect(logs.messages()).toContain('could not store a Slack event; answered 500 so Slack retries');
    expect(f!.posts(S.customerChannel)).toEqual([]);

    store.broken = false;
    const retry = await emu.deliverEvent(event, {
      eventId: 'Ev0STOREDOWN',
      retryNum: 1,
      retryReason: 'http_error',
    });
    expect(retry.status).toBe(200);
    expect(heed.issues.listOpen()).toHaveLength(1);
    await quiet(emu);
    expect(f!.posts(S.customerChannel, String(event.ts))).toHaveLength(1);
  });

  it('acks as soon as the message is stored while the core still waits on a rate-limited channel', async () => {
    const { emu, heed } = await fixture();
    emu.rateLimit({ method: 'chat.postMessage', channel: S.teamChannel, times: 1, retryAfterSeconds: 4 });

    const started = Date.now();
    const answer = await f!.say('Search returns nothing');
    const answeredAfter = Date.now() - started;

    expect(answer.status).toBe(200);
    expect(answeredAfter).toBeLessThan(3_500);
    expect(heed.issues.listOpen()).toHaveLength(1);
    await emu.waitForCall('chat.postMessage', (c) => c.ok && c.args.channel === S.teamChannel, 8_000);
  }, 15_000);

  it('ignores joins, other bots and its own posts; an edit changes the issue, never opens another', async () => {
    const { emu, heed } = await fixture({ emulator: { echoBotMessages: true } });
    const original = await f!.say('Original question');
    const edited = emu.messageChangedEvent({
      channel: S.customerChannel,
      ts: original.ts,
      text: 'Edited question',
    });
    const joined = emu.messageEvent({
      channel: S.customerChannel,
      user: 'U0CUST02',
      text: 'joined',
      subtype: 'channel_join',
    });
    const otherBot = emu.messageEvent({
      channel: S.customerChannel,
      user: 'U0CUST02',
      text: 'beep',
      subtype: 'bot_message',
      botId: 'B0OTHERBOT',
    });

    for (const event of [edited, joined, otherBot]) expect((await emu.deliverEvent(event)).status).toBe(200);

    // Heed's own acknowledgement and card were echoed back as message events too.
    await expect
      .poll(() => emu.backgroundDeliveries.filter((d) => d.status === 200).length)
      .toBeGreaterThanOrEqual(2);
    expect(heed.issues.listOpen()).toHaveLength(1);
    expect((await heed.findIssue('#1'))?.subject).toBe('Edited question');
  });

  it('acks a slow command at once and answers through its response_url', async () => {
    const { emu, store } = await fixture();
    await f!.say('Dashboard page is blank');
    store.lagMs = 1_500;

    const answer = await emu.slashCommand({ text: 'claim #1', userId: S.staff, channelId: S.teamChannel });

    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.elapsedMs).toBeLessThan(2_900);
    const followUp = await emu.waitForCall('response_url', undefined, 10_000);
    expect(followUp.args).toMatchObject({ response_type: 'ephemeral', text: 'You now own *#1*.' });
    expect(emu.ephemerals.map((e) => e.text)).toContain('You now own *#1*.');
  }, 15_000);

  it('refuses to start with a bot token Slack rejects, saying which variable to fix', async () => {
    const { emu, heed } = await fixture();
    const wrong = createSlackAdapter({
      heed,
      botToken: 'xoxb-wrong',
      signingSecret: SECRET,
      apiUrl: emu.apiUrl,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      retryConfig: { retries: 0 },
    });
    await expect(wrong.start()).rejects.toThrow('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    await wrong.stop();
  });

  it('serves extra routes, and answers other paths and methods plainly', async () => {
    const { adapter } = await fixture();
    adapter.route('GET', '/healthz', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok queue=${adapter.queueDepth()}`);
    });
    const port = (adapter.httpServer.address() as { port: number }).port;

    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok queue=0' });
    expect((await get(port, '/nope')).status).toBe(404);
    expect((await get(port, '/slack/events')).status).toBe(405);
  });

  it('answers Slack’s unsigned ssl_check without acting, and refuses oversized bodies', async () => {
    const { adapter, heed } = await fixture();
    const port = (adapter.httpServer.address() as { port: number }).port;
    const form = 'application/x-www-form-urlencoded';

    expect(await get(port, '/slack/events', 'POST', { type: form, data: 'ssl_check=1&token=x' })).toEqual({
      status: 200,
      body: '',
    });
    expect((await get(port, '/slack/events', 'POST', { type: form, data: 'text=hi' })).status).toBe(401);
    const huge = Buffer.alloc(5 * 1024 * 1024, 'a');
    expect((await get(port, '/slack/events', 'POST', { type: 'application/json', data: huge })).status).toBe(
      413,
    );
    expect(heed.issues.listOpen()).toEqual([]);
  });
});
