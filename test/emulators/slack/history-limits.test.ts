import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, H, historyEmulator, postMany, webClient } from './history-fixture.ts';
import type { SlackEmulator, SlackEmulatorOptions } from './index.ts';

const running: SlackEmulator[] = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

async function emulator(extra: Partial<SlackEmulatorOptions> = {}): Promise<SlackEmulator> {
  const emu = await historyEmulator(extra);
  running.push(emu);
  return emu;
}

type RawBody = { ok?: boolean; error?: string; messages?: unknown[]; has_more?: boolean };

/** A raw form POST, to see the status, headers and body WebClient hides. */
async function rawCall(emu: SlackEmulator, method: string, args: Record<string, string>) {
  const res = await fetch(`${emu.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${H.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args).toString(),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as RawBody,
  };
}

/** A URL nothing listens on: the app is down. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/slack/events`;
}

describe('rate limits of the history methods', () => {
  it('allows Tier 3 (50 per method per window), then answers 429 with Retry-After and ratelimited', async () => {
    const emu = await emulator();
    postMany(emu, 2);
    const args = { channel: H.support, limit: '1' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => rawCall(emu, 'conversations.history', args)),
    );
    expect(answers.every((a) => a.status === 200 && a.body.ok === true)).toBe(true);
    const over = await rawCall(emu, 'conversations.history', args);
    expect(over).toMatchObject({ status: 429, body: { ok: false, error: 'ratelimited' } });
    expect(Number(over.retryAfter)).toBeGreaterThanOrEqual(59);
    // Per method: replies has its own allowance.
    const parent = emu.messagesIn(H.support)[0]?.ts ?? '';
    expect((await rawCall(emu, 'conversations.replies', { channel: H.support, ts: parent })).status).toBe(
      200,
    );
    emu.resetRateLimits();
    expect((await rawCall(emu, 'conversations.history', args)).status).toBe(200);
  });

  it('lets WebClient wait out the 429 (Retry-After) and page on, with a shortened window', async () => {
    const emu = await emulator({ history: { callsPerWindow: 2, windowMs: 1000 } });
    const posted = postMany(emu, 5);
    const started = Date.now();
    const seen: string[] = [];
    for await (const page of webClient(emu, 2).paginate('conversations.history', {
      channel: H.support,
      limit: 2,
    })) {
      seen.push(...((page as { messages?: { ts: string }[] }).messages ?? []).map((m) => m.ts));
    }
    expect(seen).toEqual([...posted].reverse());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emu.callsTo('conversations.history').map((c) => c.status)).toEqual([200, 200, 429, 200]);
  });

  it("models Slack's 2025 regime for non-Marketplace apps: 1 call per window, pages of 15", async () => {
    const emu = await emulator({ history: { distribution: 'non-marketplace' } });
    postMany(emu, 40);
    const first = await rawCall(emu, 'conversations.history', { channel: H.support, limit: '200' });
    expect(first.body.messages).toHaveLength(15);
    expect(first.body.has_more).toBe(true);
    const second = await rawCall(emu, 'conversations.history', { channel: H.support });
    expect(second).toMatchObject({ status: 429, body: { error: 'ratelimited' } });
    expect(Number(second.retryAfter)).toBeGreaterThan(50);
    const parent = emu.messagesIn(H.support)[0]?.ts ?? '';
    const replies = await rawCall(emu, 'conversations.replies', { channel: H.support, ts: parent });
    expect(replies.status).toBe(200);
    emu.resetRateLimits();
    expect((await rawCall(emu, 'conversations.history', { channel: H.support })).body.messages).toHaveLength(
      15,
    );
  });

  it('leaves other methods alone', async () => {
    // Only the history tier is under test here: Slack's per-channel posting limit (tested on its own in
    // slack-emulator.test.ts) would answer the fifth post 429 by itself.
    const emu = await emulator({ history: { callsPerWindow: 1 }, postRateLimit: false });
    const web = webClient(emu);
    for (let i = 0; i < 5; i += 1) await web.chat.postMessage({ channel: H.support, text: `post ${i}` });
    expect(await errorOf(web.conversations.history({ channel: H.support }))).toBe('ok');
    expect(emu.callsTo('chat.postMessage').every((c) => c.status === 200)).toBe(true);
  });
});

describe('messages written while the app is down', () => {
  it('postWhileOffline stores channel and thread messages for history without delivering them', async () => {
    const emu = await emulator();
    emu.connectApp(await deadUrl());
    const root = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'anyone there?' });
    const reply = emu.postWhileOffline({
      channel: H.support,
      user: H.carol,
      text: 'hello?',
      threadTs: String(root.ts),
    });
    expect(emu.undelivered.map((u) => [u.reason, u.event.ts])).toEqual([
      ['app_offline', root.ts],
      ['app_offline', reply.ts],
    ]);
    expect(emu.undelivered[0]?.eventId).toMatch(/^Ev/);
    const web = webClient(emu);
    const history = await web.conversations.history({ channel: H.support });
    expect(history.messages?.map((m) => m.text)).toEqual(['anyone there?']);
    const thread = await web.conversations.replies({ channel: H.support, ts: String(root.ts) });
    expect(thread.messages?.map((m) => m.text)).toEqual(['anyone there?', 'hello?']);
  });

  it('keeps a message in history when its delivery fails, and notes why', async () => {
    const emu = await emulator({ deliveryTimeoutMs: 300 });
    emu.connectApp(await deadUrl());
    const event = emu.messageEvent({ channel: H.support, user: H.carol, text: 'lost in transit' });
    await expect(emu.deliverEvent(event)).rejects.toThrow();
    expect(emu.undelivered).toMatchObject([{ reason: 'connection_failed', event: { ts: event.ts } }]);

    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    emu.connectApp(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/slack/events`);
    const late = emu.messageEvent({ channel: H.support, user: H.carol, text: 'too slow' });
    await expect(emu.deliverEvent(late)).rejects.toThrow(/did not answer/);
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));

    const failing = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', () => resolve()));
    emu.connectApp(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/slack/events`);
    const refused = emu.messageEvent({ channel: H.support, user: H.carol, text: 'server error' });
    expect((await emu.deliverEvent(refused)).status).toBe(500);
    await new Promise<void>((resolve) => failing.close(() => resolve()));

    expect(emu.undelivered.map((u) => [u.reason, u.status])).toEqual([
      ['connection_failed', undefined],
      ['http_timeout', undefined],
      ['http_error', 500],
    ]);
    const { messages } = await webClient(emu).conversations.history({ channel: H.support });
    expect(messages?.map((m) => m.text)).toEqual(['server error', 'too slow', 'lost in transit']);
  });
});

describe("the emulator's clock", () => {
  it('stamps messages from the injected clock, strictly increasing even when time stands still', async () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const emu = await emulator({ now: () => now });
    const first = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'at nine' });
    const second = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'same instant' });
    now += 20 * 60_000;
    const third = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'twenty past' });
    now -= 60 * 60_000;
    const fourth = emu.postWhileOffline({ channel: H.support, user: H.carol, text: 'clock went back' });
    expect([first.ts, second.ts, third.ts, fourth.ts]).toEqual([
      '1767603600.000000',
      '1767603600.000100',
      '1767604800.000000',
      '1767604800.000100',
    ]);
    const { messages } = await webClient(emu).conversations.history({
      channel: H.support,
      oldest: '1767603600.000100',
    });
    expect(messages?.map((m) => m.text)).toEqual(['clock went back', 'twenty past']);
  });
});
