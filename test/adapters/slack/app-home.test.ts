import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../emulators/slack/index.ts';
import { until as poll } from '../../support/until.ts';
import { type Fixture, LogCapture, quiet, S, startFixture, workspace } from './slack-fixture.ts';

const MINUTE = 60_000;
// Slack-sized gaps (seconds) shortened so the test runs in a moment; the rules are the same.
const FAST = { debounceMs: 150, minGapMs: 300, perMinute: 6_000 };
const MALLORY = 'U0MALLRY';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function start(options: Parameters<typeof startFixture>[0] = {}): Promise<Fixture> {
  const base = workspace();
  f = await startFixture({
    home: FAST,
    ...options,
    emulator: {
      ...base,
      // A customer whose name tries to ping everyone: the home must show it as text.
      users: [
        ...(base.users ?? []),
        { id: MALLORY, name: '<!channel> Mallory', realName: 'Mallory', teamId: 'T0ACME001' },
      ],
      ...options.emulator,
    },
  });
  return f;
}

/** Polls until `condition` holds; fails the test if it never does. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  expect(await poll(condition, timeoutMs)).toBe(true);
}

function publishesFor(fx: Fixture, user: string): CallRecord[] {
  return fx.emu.callsTo('views.publish').filter((call) => call.args.user_id === user);
}

/** Opens the Home tab as `user` and waits for the page Heed publishes in answer. */
async function openHome(fx: Fixture, user: string): Promise<{ call: CallRecord; text: string }> {
  const before = publishesFor(fx, user).length;
  await fx.emu.deliverEvent(fx.emu.appHomeOpenedEvent({ user }));
  await until(() => publishesFor(fx, user).length > before, 3_000);
  const call = publishesFor(fx, user).at(-1)!;
  return { call, text: fx.wire(call) };
}

type Block = { type: string; block_id?: string; accessory?: { action_id: string; value: string } };
const blocksOf = (call: CallRecord) => (call.args.view as { blocks: Block[] }).blocks;

describe('the Slack App Home', () => {
  it('shows staff their open issues with SLA state, the unclaimed queue oldest first with Claim buttons, and their week', async () => {
    const fx = await start();
    await fx.say('First: the export fails');
    fx.clock.advance(MINUTE);
    await fx.say('Second: the upload is slow', { user: 'U0CUST02' });
    fx.clock.advance(MINUTE);
    await fx.say('Third: please help', { user: MALLORY });
    await fx.heed.claim(await fx.issue(1), { platform: 'slack', id: S.staff });
    await quiet(fx.emu);

    const { call, text } = await openHome(fx, S.staff);
    expect(call.ok).toBe(true);
    expect(text).toContain('Your open issues (1)');
    expect(text).toMatch(/\*#1\* 🟢 On time · due <!date\^/);
    expect(text).toContain("Unclaimed in your teams' queue (2)");
    expect(text).toContain('Your last 7 days');
    expect(text).toContain('Claimed 1');
    // The queue: oldest first (#2 before #3), each with a Claim button carrying the issue id.
    const claims = blocksOf(call).filter((block) => block.accessory?.action_id.startsWith('heed:claim'));
    expect(claims.map((block) => block.accessory!.value)).toEqual([
      (await fx.issue(2)).id,
      (await fx.issue(3)).id,
    ]);
    // Customer text never pings: the name is escaped, as on cards.
    expect(text).toContain('&lt;!channel&gt; Mallory');
    expect(text).not.toContain('<!channel>');
    // Staff see no manager figures.
    expect(text).not.toContain('Load');
  });

  it('marks an issue at risk within the hour before its deadline, and breached after it', async () => {
    const fx = await start();
    await fx.say('The export fails');
    await fx.heed.claim(await fx.issue(1), { platform: 'slack', id: S.staff });
    // Monday 10:00, first response due in 4 business hours: 14:00.
    fx.clock.advance(3.5 * 60 * MINUTE);
    expect((await openHome(fx, S.staff)).text).toMatch(/\*#1\* 🟠 At risk · due/);
    fx.clock.advance(60 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, FAST.minGapMs));
    expect((await openHome(fx, S.staff)).text).toMatch(/\*#1\* 🔴 Breached · was due/);
  });

  it('shows managers per-team attainment and breaches, what is at risk, each person’s load and open 👎 recovery tasks', async () => {
    const fx = await start();
    await fx.say('The export fails');
    await fx.say('Still broken', { user: 'U0CUST02' });
    const one = await fx.issue(1);
    await fx.heed.claim(one, { platform: 'slack', id: S.staff });
    await fx.heed.claim(await fx.issue(2), { platform: 'slack', id: S.staff2 });
    await fx.heed.resolve(await fx.issue(1), { platform: 'slack', id: S.staff }, 'Fixed the export');
    await fx.heed.runAction({
      person: { platform: 'slack', id: S.customer },
      action: 'rate-down',
      issueId: one.id,
      fields: { comment: 'Took too long' },
    });
    fx.clock.advance(3.5 * 60 * MINUTE);
    await quiet(fx.emu);

    const { call, text } = await openHome(fx, S.manager);
    expect(call.ok).toBe(true);
    expect(text).toContain('Your teams this week');
    expect(text).toMatch(
      /\*Customer Support\*: SLA met 100% · 0 breaches this week · 1 open \(0 unclaimed\) · 1 at risk · 0 breached now/,
    );
    expect(text).toContain('*Billing*: no deadline settled');
    expect(text).toContain('At risk and breached');
    expect(text).toMatch(
      /\*#2\* 🟠 At risk · due <!date[^·]*· normal · Lee[^·]*· Customer Support · <@U0STAFF2>/,
    );
    expect(text).toContain('<@U0STAFF2>: 1 open issue · 1 at risk');
    expect(text).toContain('👎 Recovery tasks still open');
    expect(text).toMatch(/👎 \*#1\* · Dana/);

    // A note by staff on the issue follows the recovery up: the task leaves the list.
    await fx.emu.slashCommand({
      text: 'note #1 Called Dana, all good',
      userId: S.manager,
      channelId: S.teamChannel,
    });
    await until(() => publishesFor(fx, S.manager).length >= 2, 3_000);
    const after = fx.wire(publishesFor(fx, S.manager).at(-1)!);
    expect(after).toContain('No recovery task open.');
  });

  it('shows anyone outside the teams a short page about Heed, and nothing of the desk', async () => {
    const fx = await start();
    await fx.say('The export fails');
    const { call, text } = await openHome(fx, 'U0CUST02');
    expect(call.ok).toBe(true);
    expect(text).toContain('Heed makes sure no customer is left waiting');
    expect(text).not.toContain('#1');
    expect(blocksOf(call).some((block) => block.accessory)).toBe(false);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const fx = await start();
    await fx.emu.deliverEvent(fx.emu.appHomeOpenedEvent({ user: S.staff, tab: 'messages' }));
    await quiet(fx.emu);
    expect(publishesFor(fx, S.staff)).toEqual([]);
  });

  it('claims from the Home tab like the card’s Claim button: the card updates and the page shows the answer', async () => {
    const fx = await start();
    await fx.say('The export fails');
    const issue = await fx.issue(1);
    const { call } = await openHome(fx, S.staff);
    const viewId = fx.emu.views
      .filter((view) => view.method === 'views.publish' && view.userId === S.staff)
      .at(-1)!.id;
    const claim = blocksOf(call).find((block) => block.accessory?.value === issue.id)!;
    const updatesBefore = fx.emu.callsTo('chat.update').length;

    await fx.emu.blockAction({
      userId: S.staff,
      channelId: '',
      viewId,
      actionId: claim.accessory!.action_id,
      blockId: claim.block_id!,
      value: issue.id,
    });
    await until(() => publishesFor(fx, S.staff).length >= 2, 3_000);

    expect((await fx.issue(1)).owner).toEqual({ platform: 'slack', id: S.staff });
    await until(() => fx.emu.callsTo('chat.update').length > updatesBefore, 3_000);
    const card = fx.emu.callsTo('chat.update').at(-1)!;
    expect(card.args.ts).toBe(issue.card!.id);
    expect(fx.wire(card)).toContain('<@U0STAFF1>');
    const page = fx.wire(publishesFor(fx, S.staff).at(-1)!);
    expect(page).toContain('You now own *#1*.');
    expect(page).toContain('Your open issues (1)');
    expect(page).toContain("Unclaimed in your teams' queue (0)");
  });

  it('coalesces a burst of changes into few publishes, and only for people who opened the tab', async () => {
    // Slack's posting pace would spread the ten cards over seconds; this is about the Home's own pace.
    const fx = await start({ emulator: { postRateLimit: false } });
    await openHome(fx, S.staff);
    const before = publishesFor(fx, S.staff).length;
    const events = Array.from({ length: 10 }, (_, i) =>
      fx.emu.messageEvent({ channel: S.customerChannel, user: S.customer, text: `Problem ${i + 1}` }),
    );
    await Promise.all(events.map((event) => fx.emu.deliverEvent(event)));
    await until(async () => (await fx.heed.findIssue('#10')) !== undefined, 3_000);
    await quiet(fx.emu);
    await new Promise((resolve) => setTimeout(resolve, FAST.debounceMs + FAST.minGapMs * 2));

    const after = publishesFor(fx, S.staff).slice(before);
    // Ten changes (and their cards) made at most two publishes, the last one showing all ten.
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThanOrEqual(2);
    expect(fx.wire(after.at(-1)!)).toContain("Unclaimed in your teams' queue (10)");
    expect(publishesFor(fx, S.manager)).toEqual([]);
  });

  it('logs a clear error and stops publishing when Slack says the Home tab is not enabled', async () => {
    const logs = new LogCapture('info');
    const fx = await start({ logger: logs.logger, emulator: { homeTabEnabled: false } });
    await fx.emu.deliverEvent(fx.emu.appHomeOpenedEvent({ user: S.staff }));
    await until(() => publishesFor(fx, S.staff).length === 1, 3_000);
    expect(publishesFor(fx, S.staff)[0]).toMatchObject({ ok: false, error: 'not_enabled' });
    await until(() => logs.messages().some((line) => line.includes('enable the Home tab')), 3_000);

    await fx.say('The export fails');
    await new Promise((resolve) => setTimeout(resolve, FAST.debounceMs + FAST.minGapMs));
    expect(publishesFor(fx, S.staff)).toHaveLength(1);
  });
});
