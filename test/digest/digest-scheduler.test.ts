import { afterEach, describe, expect, it, vi } from 'vitest';
import { Heed } from '../../src/boot/heed.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { DigestScheduler } from '../../src/digest/digest-scheduler.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { InboundMessage } from '../../src/ports/inbound-port.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const D = IDS.discord;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 2026-11-23, local time in Prague (UTC+1). */
const monday = (time: string) => Date.parse(`2026-11-23T${time}:00+01:00`);
let seq = 0;

const running: DigestScheduler[] = [];
afterEach(() => {
  for (const driver of running.splice(0)) driver.stop();
  vi.restoreAllMocks();
});

async function core(digest: Record<string, unknown> | undefined, options: { store?: HeedDatabase } = {}) {
  const store = options.store ?? (await openDatabase('memory://'));
  const clock = new FakeClock(monday('08:00'));
  const chat = new RecordingChatPort();
  const heed = new Heed({
    config: testConfig(digest ? { digest } : {}),
    database: store,
    chat,
    clock,
    logger: silentLogger(),
  });
  await heed.start();
  const driver = () => {
    const made = new DigestScheduler({ heed, database: store, clock, logger: silentLogger() });
    running.push(made);
    return made;
  };
  return { store, clock, chat, heed, driver };
}

function customer(text: string, at: number, thread?: string, author: string = S.customer): InboundMessage {
  seq += 1;
  return {
    platform: 'slack',
    channel: S.customerChannel,
    messageId: `1763880000.${String(seq).padStart(6, '0')}`,
    ...(thread ? { thread } : {}),
    text,
    at,
    author: { id: author, name: author === S.customer ? 'Dana Customer' : 'Staff' },
  };
}

const DAILY = { every: 'daily', at: '09:00', calendar: 'office' };

describe('the manager digest', () => {
  it("DMs each team's managers their team's day at 09:00 local, once", async () => {
    const { clock, chat, heed, driver } = await core(DAILY);
    const digest = driver();
    expect(await digest.tick()).toBeUndefined(); // 08:00: nothing due; the baseline is stored

    // 08:10 a customer writes; 08:30 staff claim and answer; 08:45 it is resolved; 08:50 another waits.
    clock.set(monday('08:10'));
    const first = customer('The CSV export fails', clock.now());
    await heed.handleMessage(first);
    clock.set(monday('08:30'));
    await heed.handleMessage(customer('Looking into it', clock.now(), first.messageId, S.staff));
    clock.set(monday('08:45'));
    await runCommand(heed, {
      person: { platform: 'slack', id: S.staff },
      conversation: undefined,
      input: { text: 'resolve #1 Fixed the export' },
    });
    clock.set(monday('08:50'));
    await heed.handleMessage(customer('Where is my data?', clock.now()));
    chat.clear();

    clock.set(monday('08:59'));
    expect(await digest.tick()).toBeUndefined();
    clock.set(monday('09:00'));
    const run = await digest.tick();
    expect(run).toMatchObject({
      slot: monday('09:00'),
      period: { from: Date.parse('2026-11-22T09:00:00+01:00'), to: monday('09:00') },
      late: false,
      teams: ['support', 'billing'],
      messages: 3,
    });
    const dms = chat.sent.filter((m) => m.op === 'dm');
    expect(dms.map((m) => `${m.platform}:${m.to}`).sort()).toEqual([
      `discord:${D.manager}`,
      `slack:${S.manager}`,
      `slack:${S.manager}`,
    ]);
    const support = dms.find((m) => m.platform === 'slack' && m.plain.includes('Customer Support'))!;
    expect(support.plain).toBe(
      [
        '📊 *Customer Support*: daily digest, 2026-11-22T08:00:00Z to 2026-11-23T08:00:00Z',
        '*Team*: 1 claimed · 1 resolved · first response median 20m · SLA met 100.0% of 2 · 0 breaches · 0 apologies · CSAT -',
        `• @${S.staff}: 1 claimed · 1 resolved · first response median 20m · SLA met 100.0% of 2 · 0 breaches · 0 apologies · CSAT -`,
        'Open queue: *1 issue*, 1 unclaimed; oldest unclaimed: *#2* from Dana Customer, waiting 10m (since 2026-11-23T07:50:00Z)',
      ].join('\n'),
    );
    // On Discord the Slack owner cannot be mentioned: named as Heed saw them write, with their platform.
    const onDiscord = dms.find((m) => m.platform === 'discord')!;
    expect(onDiscord.plain).toContain('• Staff (Slack): 1 claimed');
    expect(onDiscord.plain).not.toContain(`slack:${S.staff}`);
    const billing = dms.find((m) => m.plain.includes('Billing'))!;
    expect(billing.plain).toContain('No activity in this period.');
    expect(billing.plain).toContain('Open queue: *0 issues*, 0 unclaimed');

    // Ticking again at 09:00 or later that day sends nothing more.
    expect(await digest.tick()).toBeUndefined();
    clock.set(monday('18:00'));
    expect(await digest.tick()).toBeUndefined();
    expect(chat.sent.filter((m) => m.op === 'dm')).toHaveLength(3);
  });

  it('after downtime sends the missed digest once on start, marked late, and never again', async () => {
    const { store, clock, chat, driver } = await core(DAILY);
    clock.set(monday('09:00'));
    expect((await driver().tick())?.slot).toBe(monday('09:00'));
    chat.clear();

    // Heed is down from Monday until Thursday 11:00: Tuesday, Wednesday and Thursday were missed.
    clock.set(Date.parse('2026-11-26T11:00:00+01:00'));
    const restarted = await core(DAILY, { store });
    restarted.clock.set(clock.now());
    const run = await restarted.driver().tick();
    expect(run).toMatchObject({
      slot: Date.parse('2026-11-26T09:00:00+01:00'),
      period: { from: Date.parse('2026-11-25T09:00:00+01:00'), to: Date.parse('2026-11-26T09:00:00+01:00') },
      late: true,
    });
    const late = restarted.chat.sent.filter((m) => m.op === 'dm');
    expect(late).toHaveLength(3);
    expect(late[0]?.plain).toContain('(sent late: Heed was not running when it was due)');

    // Another restart the same morning owes nothing.
    const again = await core(DAILY, { store });
    again.clock.set(clock.now() + 5 * MINUTE);
    expect(await again.driver().tick()).toBeUndefined();
    expect(again.chat.sent).toHaveLength(0);
    expect(await again.driver().nextAt()).toBe(Date.parse('2026-11-27T09:00:00+01:00'));
  });

  it('records the digest DMs in the outbox with the digest time: a failed send goes out later, once, marked late', async () => {
    const { clock, chat, heed, driver } = await core(DAILY);
    const digest = driver();
    await digest.tick();
    clock.set(monday('09:00'));
    chat.failWith = new Error('Slack is down');
    expect((await digest.tick())?.messages).toBe(3);
    expect(chat.sent).toHaveLength(0);
    expect((await heed.outbox.depth(clock.now())).unsent).toBe(3);
    chat.failWith = undefined;
    // The digest time is done: the next tick composes nothing new.
    clock.set(monday('09:01'));
    expect(await digest.tick()).toBeUndefined();
    // The outbox sends the three DMs (the scheduler's ticks do this too), once.
    expect(await heed.sendOwed()).toBe(3);
    expect(chat.sent.map((sent) => sent.op)).toEqual(['dm', 'dm', 'dm']);
    expect(chat.sent.every((sent) => sent.plain.includes('Sent late: Heed was interrupted'))).toBe(true);
    expect(await heed.sendOwed()).toBe(0);
    expect(chat.sent).toHaveLength(3);
  });

  it('a first start after the digest time owes nothing for that day', async () => {
    const { clock, chat, driver } = await core(DAILY);
    clock.set(monday('10:00'));
    expect(await driver().tick()).toBeUndefined();
    expect(chat.sent).toHaveLength(0);
    expect(await driver().nextAt()).toBe(Date.parse('2026-11-24T09:00:00+01:00'));
  });

  it('weekly: one digest a week on the configured day, covering the week; only the listed teams', async () => {
    const { clock, chat, driver } = await core({
      every: 'weekly',
      day: 'wed',
      at: '17:00',
      calendar: 'office',
      teams: ['billing'],
    });
    const digest = driver();
    const runs = [];
    for (let hour = 0; hour < 21 * 24; hour += 1) {
      clock.set(monday('00:00') + hour * HOUR);
      const run = await digest.tick();
      if (run) runs.push(run);
    }
    expect(runs.map((r) => new Date(r.slot).toISOString())).toEqual([
      '2026-11-25T16:00:00.000Z',
      '2026-12-02T16:00:00.000Z',
      '2026-12-09T16:00:00.000Z',
    ]);
    expect(runs.every((r) => r.period.to - r.period.from === 7 * 24 * HOUR)).toBe(true);
    expect(runs.every((r) => r.teams.join() === 'billing' && r.messages === 1)).toBe(true);
    expect(
      chat.sent.every((m) => m.op === 'dm' && m.to === S.manager && m.plain.includes('weekly digest')),
    ).toBe(true);
  });

  it('is off without a digest config', async () => {
    const { clock, chat, driver } = await core(undefined);
    const digest = driver();
    digest.start();
    clock.set(monday('09:00'));
    expect(await digest.tick()).toBeUndefined();
    expect(await digest.nextAt()).toBeUndefined();
    expect(chat.sent).toHaveLength(0);
  });

  it('on real timers: sends a missed digest right after start and never sleeps more than a minute', async () => {
    const { clock, chat, driver, store } = await core(DAILY);
    await driver().tick(); // baseline at Monday 08:00
    clock.set(Date.parse('2026-11-24T12:00:00+01:00'));
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const digest = driver();
    digest.start();
    await vi.waitFor(() => expect(chat.sent.filter((m) => m.op === 'dm')).toHaveLength(3));
    // Afterwards it sleeps until the next digest, a day away, in steps of at most a minute.
    await vi.waitFor(() => expect(timeouts.mock.calls.length).toBeGreaterThanOrEqual(2));
    const delays = timeouts.mock.calls.map((call) => Number(call[1] ?? 0));
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
    expect(delays.at(-1)).toBe(60_000);
    digest.stop();
    expect(await store.db.selectFrom('digests').selectAll().execute()).toEqual([
      { name: 'manager-digest', last_slot: Date.parse('2026-11-24T09:00:00+01:00'), sent_at: clock.now() },
    ]);
  });
});
