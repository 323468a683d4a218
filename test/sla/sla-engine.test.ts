import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { InboundMessage } from '../../src/ports/inbound-port.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { IDS, testConfig, testConfigInput } from '../support/test-config.ts';

const S = IDS.slack;
const MIN = 60_000;
let seq = 0;

function message(h: Harness, text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  seq += 1;
  return {
    platform: 'slack',
    channel: S.customerChannel,
    messageId: `17639.${String(seq).padStart(6, '0')}`,
    text,
    at: h.clock.now(),
    author: { id: S.customer, name: 'Dana' },
    ...extra,
  };
}

async function open(h: Harness, text = 'The dashboard shows no data'): Promise<string> {
  const outcome = await h.heed.handleMessage(message(h, text));
  if (outcome.kind !== 'opened') throw new Error(`expected an issue, got ${outcome.kind}`);
  return outcome.issue.id;
}

async function slash(h: Harness, user: string, text: string): Promise<string> {
  const reply = await runCommand(h.heed, { person: { platform: 'slack', id: user }, input: { text } });
  return toPlainText(reply.text);
}

/** Moves the fake clock and lets the scheduler run, like real time passing. */
async function elapse(h: Harness, ms: number) {
  h.clock.advance(ms);
  return h.heed.scheduler.tick();
}

const kinds = async (h: Harness, id: string) => (await h.heed.issues.get(id))!.history.map((e) => e.kind);

/** A config whose office calendar is 24/7 so minute arithmetic stays obvious. */
function simpleConfig(escalation: unknown[], extra: Record<string, unknown> = {}) {
  const base = testConfigInput();
  return testConfig({
    sla: {
      calendars: [],
      policies: [{ firstResponse: '1h', nextResponse: '30m', resolution: '8h', calendar: 'always' }],
      warnAt: 0.75,
      escalation,
      ...extra,
    },
    routing: (base.routing as unknown[]).slice(1, 2),
  });
}

describe('SLA deadlines in business time', () => {
  it('promises Monday 09:25 for a 30-minute target on a Friday 17:55 issue (Prague office hours)', async () => {
    const config = testConfig({
      sla: {
        calendars: [{ id: 'office', timezone: 'Europe/Prague', hours: { 'mon-fri': '09:00-18:00' } }],
        policies: [{ firstResponse: '30m', resolution: '3d', calendar: 'office' }],
      },
    });
    const h = await startHarness({ config });
    h.clock.set(Date.parse('2026-11-20T17:55:00+01:00'));
    const id = await open(h);
    const issue = (await h.heed.issues.get(id))!;
    expect(issue.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-11-23T09:25:00+01:00'));
    expect(h.chat.sent.find((m) => m.op === 'reply')?.plain).toContain('by 2026-11-23T08:25:00Z');
    // Nothing fires over the weekend; the warning comes Monday morning.
    expect((await elapse(h, 2 * 86_400_000)).alerts).toBe(0);
    h.clock.set(Date.parse('2026-11-23T09:18:00+01:00'));
    const report = await h.heed.scheduler.tick();
    expect(report.alerts).toBe(1);
    expect(h.chat.find('⏳ *#1*')).toHaveLength(1);
  });

  it('keeps business hours in local wall-clock time across the daylight-saving changes', async () => {
    const config = testConfig({
      sla: {
        calendars: [{ id: 'office', timezone: 'Europe/Prague', hours: { 'mon-fri': '09:00-18:00' } }],
        policies: [{ firstResponse: '2h', resolution: '3d', calendar: 'office' }],
      },
    });
    const h = await startHarness({ config });
    // Autumn: opened Friday 17:00 CEST, one business hour that day, one more on Monday 09:00 CET.
    h.clock.set(Date.parse('2026-10-23T17:00:00+02:00'));
    const autumn = (await h.heed.issues.get(await open(h)))!;
    expect(autumn.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-10-26T10:00:00+01:00'));
    // Spring: opened Friday 17:30 CET, due Monday 10:30 CEST.
    h.clock.set(Date.parse('2026-03-27T17:30:00+01:00'));
    const spring = (await h.heed.issues.get(await open(h)))!;
    expect(spring.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-03-30T10:30:00+02:00'));
  });

  it('skips holidays and pauses the resolution clock while waiting on the customer', async () => {
    const config = testConfig({
      sla: {
        calendars: [
          {
            id: 'office',
            timezone: 'Europe/Prague',
            hours: { 'mon-fri': '09:00-18:00' },
            holidays: ['2026-12-24', '2026-12-25'],
          },
        ],
        policies: [{ firstResponse: '2h', resolution: '9h', calendar: 'office' }],
      },
    });
    const h = await startHarness({ config });
    h.clock.set(Date.parse('2026-12-23T17:00:00+01:00'));
    const id = await open(h);
    let issue = (await h.heed.issues.get(id))!;
    // 1h on the 23rd, then the 24th, 25th and the weekend are closed: due Monday 28th at 10:00.
    expect(issue.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-12-28T10:00:00+01:00'));
    expect(issue.sla.clocks.resolution?.dueAt).toBe(Date.parse('2026-12-28T17:00:00+01:00'));

    // Staff answer on the 28th at 09:30: first response stopped, the issue waits on the customer.
    h.clock.set(Date.parse('2026-12-28T09:30:00+01:00'));
    await h.heed.handleMessage({
      ...message(h, 'Looking'),
      thread: issue.conversation.thread,
      author: { id: S.staff },
    });
    issue = (await h.heed.issues.get(id))!;
    expect(issue.status).toBe('waiting');
    expect(issue.sla.clocks.firstResponse?.stoppedAt).toBeDefined();
    expect(issue.sla.clocks.resolution?.runningSince).toBeUndefined();
    expect(issue.sla.clocks.resolution?.elapsedMs).toBe(90 * MIN);

    // The customer answers two days later; the resolution clock resumes with 7.5h left.
    h.clock.set(Date.parse('2026-12-30T10:00:00+01:00'));
    await h.heed.handleMessage({ ...message(h, 'Here are the logs'), thread: issue.conversation.thread });
    issue = (await h.heed.issues.get(id))!;
    expect(issue.status).toBe('claimed');
    expect(issue.sla.clocks.resolution?.dueAt).toBe(Date.parse('2026-12-30T17:30:00+01:00'));
    // A next-response clock runs only when the policy has one: this policy has none.
    expect(issue.sla.clocks.nextResponse).toBeUndefined();
  });
});

describe('warnings, nags and escalation levels', () => {
  const chain = [
    { after: '0m', notify: ['owner'] },
    { after: '15m', notify: ['team'], repeat: 2, every: '15m' },
    { after: '1h', notify: ['managers'], when: 'not-acknowledged' },
    { after: '2h', notify: ['on-call', { user: { slack: 'U0DIRECT1' } }], when: 'not-resolved' },
  ];

  it('warns at 75%, nags at breach, then walks every level with its repeats', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    h.chat.clear();

    expect((await elapse(h, 44 * MIN)).alerts).toBe(0);
    expect((await elapse(h, 1 * MIN)).alerts).toBe(1); // 45m = 75% of 1h
    const warning = h.chat.sent.at(-1)!;
    expect(warning).toMatchObject({ op: 'dm', to: S.staff });
    expect(warning.plain).toMatch(/⏳ \*#1\* · Dana — first response due .* \(in 15m\) · owner @U0STAFF1/);

    await elapse(h, 15 * MIN); // breach
    const nag = h.chat.sent.at(-1)!;
    expect(nag).toMatchObject({ op: 'dm', to: S.staff });
    expect(nag.plain).toContain('⏰ *#1* · Dana — first response was due');
    expect(nag.message.actions?.map((a) => a.action)).toEqual(['acknowledge', 'apologize']);

    for (const minutes of [15, 30, 45]) {
      await elapse(h, 15 * MIN);
      const post = h.chat.sent.at(-1)!;
      expect(post).toMatchObject({ op: 'post', to: S.teamChannel });
      expect(post.plain).toContain(`overdue by ${minutes}m`);
      expect(post.plain).toContain('@U0STAFF1'); // the team channel post pings the owner
    }
    await elapse(h, 15 * MIN); // +1h: managers
    expect(h.chat.sent.at(-1)).toMatchObject({ op: 'dm', to: S.manager });
    await elapse(h, 60 * MIN); // +2h: on-call and a named user
    expect(
      h.chat.sent
        .slice(-2)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['U0DIRECT1', S.staff].sort());
    await elapse(h, 2 * 60 * MIN); // the first-response chain is exhausted: nothing more for it

    const issue = (await h.heed.issues.get(id))!;
    const ledger = issue.history.filter((e) => e.data?.clock === 'firstResponse').map((e) => e.kind);
    expect(ledger.filter((k) => k === 'warned')).toHaveLength(1);
    expect(ledger.filter((k) => k === 'nagged')).toHaveLength(1);
    expect(ledger.filter((k) => k === 'escalated')).toHaveLength(5);
  });

  it('warns the team channel when nobody owns the issue', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    await open(h);
    h.chat.clear();
    await elapse(h, 45 * MIN);
    expect(h.chat.sent.at(-1)).toMatchObject({ op: 'post', to: S.teamChannel });
    expect(h.chat.sent.at(-1)!.plain).toContain('nobody owns it yet');
    expect(h.chat.sent.at(-1)!.message.actions?.[0]?.action).toBe('claim');
  });

  it('stops not-acknowledged levels on Acknowledge but keeps not-resolved ones; resolving stops everything', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    await elapse(h, 61 * MIN);
    expect(await slash(h, S.staff, 'ack #1')).toContain('Acknowledged *#1*');
    h.chat.clear();
    await elapse(h, 2 * 60 * MIN + 5 * MIN);
    const recipients = h.chat.sent.map((m) => m.to);
    expect(recipients).not.toContain(S.manager); // not-acknowledged level skipped
    expect(recipients).toContain('U0DIRECT1'); // not-resolved level still fires
    expect(recipients).not.toContain(S.teamChannel); // level 1 is not-acknowledged (default)
    expect(await kinds(h, id)).toContain('acknowledged');

    await slash(h, S.staff, 'resolve #1 Fixed');
    h.chat.clear();
    expect((await elapse(h, 24 * 60 * MIN)).alerts).toBe(0);
    expect(h.chat.sent).toHaveLength(0);
  });

  it('snooze moves the deadline, is logged, and warns again for the moved deadline', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    await elapse(h, 45 * MIN); // warned
    expect(await slash(h, S.staff, 'snooze #1 2h waiting for the vendor')).toContain('Snoozed *#1* for 2h');
    const issue = (await h.heed.issues.get(id))!;
    const due = issue.sla.clocks.firstResponse!.dueAt!;
    expect(due).toBe(h.clock.now() + 15 * MIN + 2 * 60 * MIN);
    const snoozed = issue.history.find((e) => e.kind === 'snoozed');
    expect(snoozed).toMatchObject({ reason: 'waiting for the vendor', actor: { id: S.staff } });
    h.chat.clear();
    expect((await elapse(h, 20 * MIN)).alerts).toBe(0); // the old deadline passes quietly
    await elapse(h, 120 * MIN - 20 * MIN + 15 * MIN); // the new deadline
    expect(h.chat.sent.some((m) => m.plain.includes('⏰ *#1*'))).toBe(true);
  });

  it('sends one digest when many alerts fall due in one channel at once', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    for (let i = 0; i < 5; i += 1) await open(h, `Problem number ${i}`);
    h.chat.clear();
    const report = await elapse(h, 45 * MIN);
    expect(report.alerts).toBe(5);
    expect(report.messages).toBe(1);
    expect(h.chat.sent).toHaveLength(1);
    expect(h.chat.sent[0]!.plain).toContain('*5 SLA alerts need attention*');
    for (let n = 1; n <= 5; n += 1) expect(h.chat.sent[0]!.plain).toContain(`*#${n}*`);
  });

  it('never nags for an issue resolved just before its deadline', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    await open(h);
    await slash(h, S.staff, 'claim #1');
    h.clock.advance(60 * MIN - 1);
    // The due index still holds the old deadline; the scheduler must re-check the fresh issue.
    await slash(h, S.staff, 'resolve #1 Done in time');
    h.chat.clear();
    const report = await elapse(h, 1);
    expect(report.alerts).toBe(0);
    expect(h.chat.sent).toHaveLength(0);
  });

  it('fires repeats that fell due during an outage once, marked late', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    h.chat.clear();
    const report = await elapse(h, 60 * MIN + 50 * MIN); // warn, nag and three team repeats all due
    expect(report.alerts).toBe(2); // the nag and the latest repeat of level 1; the stale warning is dropped
    expect(h.chat.sent.every((m) => m.plain.includes('sent late'))).toBe(true);
    expect((await elapse(h, 1)).alerts).toBe(0);
    const issue = (await h.heed.issues.get(id))!;
    expect(issue.history.filter((e) => e.kind === 'escalated').map((e) => e.data?.late)).toEqual([true]);
  });

  it('heals a stale due index after a restart: nothing lost, nothing doubled', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    await elapse(h, 45 * MIN); // warning sent; the stored summary keeps the older alert time
    const again = await startHarness({ config: simpleConfig(chain), store: h.store, clock: h.clock });
    expect(again.heed.scheduler.pending).toBe(1);
    expect((await again.heed.scheduler.tick()).alerts).toBe(0); // stale entry: re-checked, re-tracked
    h.clock.advance(15 * MIN);
    expect((await again.heed.scheduler.tick()).alerts).toBe(1); // the nag, once
    const ledger = (await again.heed.issues.get(id))!.history.map((e) => e.kind);
    expect(ledger.filter((k) => k === 'warned')).toHaveLength(1);
    expect(ledger.filter((k) => k === 'nagged')).toHaveLength(1);
  });

  it('starts a next-response clock when the customer writes after an answer', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    const thread = (await h.heed.issues.get(id))!.conversation.thread;
    await elapse(h, 10 * MIN);
    await h.heed.handleMessage({ ...message(h, 'On it'), thread, author: { id: S.staff } });
    await elapse(h, 10 * MIN);
    await h.heed.handleMessage({ ...message(h, 'Any news?'), thread });
    const issue = (await h.heed.issues.get(id))!;
    expect(issue.sla.clocks.nextResponse?.dueAt).toBe(h.clock.now() + 30 * MIN);
    h.chat.clear();
    await elapse(h, 31 * MIN);
    expect(h.chat.sent.some((m) => m.plain.includes('next response was due'))).toBe(true);
  });

  it('re-targets running clocks when the priority changes', async () => {
    const config = testConfig();
    const h = await startHarness({ config });
    const id = await open(h, 'A quiet question');
    expect((await h.heed.issues.get(id))!.sla.clocks.firstResponse?.targetMs).toBe(4 * 60 * MIN);
    await slash(h, S.staff, 'priority #1 urgent customer escalated by phone');
    const issue = (await h.heed.issues.get(id))!;
    expect(issue.sla.clocks.firstResponse).toMatchObject({
      targetMs: 15 * MIN,
      gen: 1,
      dueAt: issue.openedAt + 15 * MIN,
    });
    expect(
      h.chat.sent.some((m) => m.op === 'dm' && m.to === S.staff && m.plain.includes('is now urgent')),
    ).toBe(true);
  });

  it('records the apology with its delay after the breach', async () => {
    const h = await startHarness({ config: simpleConfig(chain) });
    const id = await open(h);
    await slash(h, S.staff, 'claim #1');
    await elapse(h, 60 * MIN);
    h.clock.advance(7 * MIN);
    await slash(h, S.staff, 'apologize #1 We missed your message');
    const apology = (await h.heed.issues.get(id))!.history.find((e) => e.kind === 'apologized');
    expect(apology?.data).toMatchObject({ sinceBreachMs: 7 * MIN, breach: 'firstResponse:0' });
  });
});
