import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.ts';
import { OUTBOX_MAX_ATTEMPTS } from '../../src/core/outbox.ts';
import type { Harness } from '../support/harness.ts';
import { startHarness } from '../support/harness.ts';
import { IDS, testConfig, testConfigInput } from '../support/test-config.ts';

const S = IDS.slack;
const MIN = 60_000;

/** 24/7, 1h first response, warned at 45m, nagged at 1h, the team channel 15m after. */
function config(coalesce = '10s') {
  const base = testConfigInput();
  return testConfig({
    sla: {
      calendars: [],
      policies: [{ firstResponse: '1h', resolution: '8h', calendar: 'always' }],
      warnAt: 0.75,
      coalesce,
      escalation: [
        { after: '0m', notify: ['owner'] },
        { after: '15m', notify: ['team'] },
      ],
    },
    routing: (base.routing as unknown[]).slice(1, 2),
  });
}

async function openAndClaim(h: Harness): Promise<string> {
  const outcome = await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    messageId: '1763900000.000100',
    text: 'The dashboard shows no data',
    at: h.clock.now(),
    author: { id: S.customer, name: 'Dana' },
  });
  if (outcome.kind !== 'opened') throw new Error(`expected an issue, got ${outcome.kind}`);
  await runCommand(h.heed, { person: { platform: 'slack', id: S.staff }, input: { text: 'claim #1' } });
  h.chat.clear();
  return outcome.issue.id;
}

const warnings = (h: Harness) => h.chat.sent.filter((sent) => /first response due/.test(sent.plain));

describe('SLA alerts through the outbox: recorded with the change, sent at least once', () => {
  it('keeps an alert whose send failed, and sends it once on a later pass, marked late', async () => {
    const h = await startHarness({ config: config() });
    await openAndClaim(h);
    h.chat.failWith = new Error('Slack is unreachable');
    h.clock.advance(45 * MIN);
    expect((await h.heed.scheduler.tick()).alerts).toBe(1);
    expect(h.chat.sent).toHaveLength(0);
    expect(await h.heed.outbox.depth(h.clock.now())).toEqual({ unsent: 1, oldestAgeMs: 0 });

    // Slack is back. Within the first send's claim nothing is sent twice; after it, the alert goes out.
    h.chat.failWith = undefined;
    h.clock.advance(10_000);
    await h.heed.scheduler.tick();
    expect(warnings(h)).toHaveLength(0);
    h.clock.advance(30_000);
    await h.heed.scheduler.tick();
    expect(warnings(h)).toHaveLength(1);
    expect(warnings(h)[0]!.plain).toContain('Sent late: Heed was interrupted before it could send this.');
    expect(await h.heed.outbox.depth(h.clock.now())).toEqual({ unsent: 0, oldestAgeMs: 0 });

    h.clock.advance(MIN);
    await h.heed.scheduler.tick();
    expect(warnings(h)).toHaveLength(1);
  });

  it('sends what the previous process recorded and never sent when Heed starts again, once', async () => {
    const h = await startHarness({ config: config() });
    const id = await openAndClaim(h);
    // The alert is recorded as fired, then the process dies before the send completes.
    h.chat.failWith = new Error('killed');
    h.clock.advance(45 * MIN);
    await h.heed.scheduler.tick();
    const fired = (await h.heed.issues.get(id))!.history.filter((event) => event.kind === 'warned');
    expect(fired).toHaveLength(1);

    // A new process on the same store: the old claim is dropped at start and the first tick sends it.
    const again = await startHarness({ config: config(), store: h.store, clock: h.clock });
    await again.heed.scheduler.tick();
    expect(warnings(again)).toHaveLength(1);
    expect(warnings(again)[0]).toMatchObject({ op: 'dm', to: S.staff });
    await again.heed.scheduler.tick();
    expect(warnings(again)).toHaveLength(1);
    // Not fired again: the ledger still has the one warning.
    const after = (await again.heed.issues.get(id))!.history.filter((event) => event.kind === 'warned');
    expect(after).toHaveLength(1);
  });

  it('gathers what one destination is owed in one pass into one digest, marked sent together', async () => {
    const h = await startHarness({ config: config() });
    for (const n of [1, 2, 3]) {
      await h.heed.handleMessage({
        platform: 'slack',
        channel: S.customerChannel,
        messageId: `1763900000.00010${n}`,
        text: `Problem ${n}`,
        at: h.clock.now(),
        author: { id: S.customer, name: 'Dana' },
      });
    }
    h.chat.clear();
    h.clock.advance(45 * MIN);
    const report = await h.heed.scheduler.tick();
    expect(report.alerts).toBe(3);
    // Unowned: the three warnings go to the team channel, as one message.
    const posts = h.chat.sent.filter((sent) => sent.to === S.teamChannel);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.plain.match(/#\d/g)?.sort()).toEqual(['#1', '#2', '#3']);
    expect((await h.heed.outbox.depth(h.clock.now())).unsent).toBe(0);
  });

  it('coalesces alerts to one person that fall due within sla.coalesce into one message, without delaying the first', async () => {
    const sent = async (coalesce: string) => {
      const h = await startHarness({ config: config(coalesce) });
      // Three issues owned by Sam, opened 3 s apart: their warnings fall due 3 s apart.
      for (const n of [1, 2, 3]) {
        await h.heed.handleMessage({
          platform: 'slack',
          channel: S.customerChannel,
          messageId: `1763900000.00020${n}`,
          text: `Problem ${n}`,
          at: h.clock.now(),
          author: { id: S.customer, name: 'Dana' },
        });
        await runCommand(h.heed, {
          person: { platform: 'slack', id: S.staff },
          input: { text: `claim #${n}` },
        });
        h.clock.advance(3_000);
      }
      h.chat.clear();
      const firstDue = h.clock.now() - 9_000 + 45 * MIN;
      const dmsAt: number[][] = [];
      for (const at of [0, 3_000, 6_000, 10_000, 20_000]) {
        h.clock.set(firstDue + at);
        await h.heed.scheduler.tick();
        dmsAt.push(warnings(h).map((dm) => (dm.plain.match(/#\d/g) ?? []).length));
      }
      return { dmsAt, last: warnings(h).at(-1)?.plain ?? '' };
    };
    // The first warning goes at once; the two that follow within 10 s wait for the window and go together.
    const coalesced = await sent('10s');
    expect(coalesced.dmsAt).toEqual([[1], [1], [1], [1, 2], [1, 2]]);
    expect(coalesced.last).toMatch(/#2[\s\S]*#3/);
    expect(coalesced.last).not.toContain('Sent late');
    // Off: one message per warning, each at its own time.
    expect((await sent('0s')).dmsAt).toEqual([[1], [1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]);
  });

  it('stops trying an entry the platform keeps refusing after OUTBOX_MAX_ATTEMPTS sends, and keeps counting it', async () => {
    const h = await startHarness({ config: config() });
    await openAndClaim(h);
    h.chat.failWith = new Error('channel_not_found');
    h.clock.advance(45 * MIN);
    await h.heed.scheduler.tick();
    let passes = 0;
    for (;;) {
      h.clock.advance(31_000);
      const claimed = await h.heed.outbox.claimLeftovers(h.clock.now());
      if (claimed.length === 0) break;
      await h.heed.outbox.send(claimed, h.clock.now(), true);
      passes += 1;
      if (passes > OUTBOX_MAX_ATTEMPTS + 5) break;
    }
    expect(passes).toBe(OUTBOX_MAX_ATTEMPTS);
    expect((await h.heed.outbox.depth(h.clock.now())).unsent).toBe(1);
    expect(h.chat.sent).toHaveLength(0);
  });
});
