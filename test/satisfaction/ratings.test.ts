import { describe, expect, it } from 'vitest';
import { IDS } from '../support/test-config.ts';
import { MINUTE, S, startSatisfaction } from './satisfaction-harness.ts';

const rated = (history: readonly { kind: string }[]) => history.filter((e) => e.kind === 'rated');

describe('the customer rates the answer', () => {
  it('asks in the resolution message, with 👍 / 👎 buttons whose form has an optional comment', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    const resolution = h.chat.sent.filter((m) => m.op === 'reply').at(-1)!;
    expect(resolution.plain).toContain('*#1* is resolved: Restarted the export workers.');
    expect(resolution.thread).toBe(issue.conversation.thread);
    expect(resolution.message.actions).toEqual([
      {
        action: 'rate-up',
        issueId: issue.id,
        label: '👍 Helpful',
        form: {
          title: 'Rate #1',
          fields: [{ name: 'comment', label: 'Anything to add? (optional)', long: true, optional: true }],
        },
      },
      expect.objectContaining({
        action: 'rate-down',
        label: '👎 Not helpful',
        form: expect.objectContaining({ fields: [expect.objectContaining({ optional: true })] }),
      }),
    ]);
    // After a restart the adapters ask the core for the same form.
    expect(h.heed.formFor(issue, 'rate-down')?.fields[0]?.label).toBe(
      'What could we have done better? (optional)',
    );
  });

  it('records a 👍 with its comment as a `rated` event and thanks the customer privately', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    const reply = await h.press(S.customer, 'rate-up', issue, { comment: '  Quick and friendly, thanks!  ' });
    expect(reply).toEqual({
      visibility: 'ephemeral',
      text: 'Thanks for the 👍! We are glad *#1* is sorted.',
    });
    const events = rated((await h.issue(issue.id)).history);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'rated',
        actor: { platform: 'slack', id: S.customer },
        reason: 'Quick and friendly, thanks!',
        data: { score: 'up' },
        at: h.clock.now(),
      }),
    ]);
    // A 👍 hands nothing to the managers.
    expect(h.chat.sent.filter((m) => m.op === 'dm' && m.to === S.manager)).toEqual([]);
  });

  it('accepts an empty or missing comment', async () => {
    const h = await startSatisfaction();
    const first = await h.resolved();
    expect((await h.press(S.customer, 'rate-up', first, { comment: '   ' })).text).toContain('Thanks');
    const second = await h.resolved();
    expect((await h.press(S.customer, 'rate-up', second)).text).toContain('Thanks');
    for (const issue of [first, second]) {
      const [event] = rated((await h.issue(issue.id)).history);
      expect(event).toMatchObject({ data: { score: 'up' } });
      expect(event).not.toHaveProperty('reason');
    }
  });

  it('refuses anyone but the customer, politely, logs it, and records nothing', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    const before = await h.issue(issue.id);
    for (const [who, platform] of [
      [S.staff, 'slack'],
      ['U0CUST02', 'slack'],
      // The same id on the other platform is somebody else.
      [S.customer, 'discord'],
    ] as const) {
      const reply = await h.press(who, 'rate-down', issue, { comment: 'terrible' }, platform);
      expect(reply).toEqual({
        visibility: 'ephemeral',
        text: 'Thanks for looking! Only the customer who asked about #1 can rate its answer.',
      });
    }
    expect(await h.issue(issue.id)).toEqual(before);
    const refusals = h.logs.filter((line) => line.msg === 'rating refused');
    expect(refusals.map((line) => [line.code, line.user])).toEqual([
      ['not-customer', S.staff],
      ['not-customer', 'U0CUST02'],
      ['not-customer', S.customer],
    ]);
    expect(h.chat.sent.filter((m) => m.plain.includes('Recovery'))).toEqual([]);
  });

  it('keeps one rating per issue: a second click only says thanks', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    await h.press(S.customer, 'rate-down', issue, { comment: 'Took too long' });
    const sentBefore = h.chat.sent.length;
    for (const action of ['rate-up', 'rate-down']) {
      expect(await h.press(S.customer, action, issue)).toEqual({
        visibility: 'ephemeral',
        text: 'Thanks, you already rated this.',
      });
    }
    const history = (await h.issue(issue.id)).history;
    expect(rated(history)).toHaveLength(1);
    expect(history.filter((e) => e.data?.recovery === true)).toHaveLength(1);
    expect(h.chat.sent).toHaveLength(sentBefore);
  });

  it('hands a 👎 to the team leads: a DM to every manager and a post in the team channel', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    h.chat.clear();
    const reply = await h.press(S.customer, 'rate-down', issue, { comment: 'It broke again <!channel>' });
    expect(reply.text).toBe('Thanks for telling us. A team lead will look at *#1* and get back to you.');

    const stored = await h.issue(issue.id);
    const thread = stored.acknowledgement?.link;
    expect(thread).toMatch(/^https:\/\/acme\.slack\.test\//);
    const slackDm = h.chat.sent.find((m) => m.op === 'dm' && m.to === S.manager)!;
    const discordDm = h.chat.sent.find((m) => m.op === 'dm' && m.to === IDS.discord.manager)!;
    const post = h.chat.sent.find((m) => m.op === 'post' && m.to === S.teamChannel)!;
    for (const notice of [slackDm, discordDm, post]) {
      expect(notice.plain).toContain('👎 *Recovery needed* on *#1* · Dana rated the answer 👎');
      expect(notice.plain).toContain('“It broke again <!channel>”');
      expect(notice.plain).toContain('resolution: Restarted the export workers');
      expect(notice.plain).toContain(thread);
      expect(notice.plain).toContain('Please reach out to the customer and make it right.');
      // The customer's words never ping anyone.
      expect(notice.message.text).toContainEqual({ t: 'customer', v: 'It broke again <!channel>' });
    }
    // The owner is named where a mention can render: Slack, not Discord.
    expect(slackDm.plain).toContain(`resolved by @${S.staff}`);
    expect(discordDm.plain).not.toContain('resolved by');
    expect(h.chat.sent).toHaveLength(3);

    // Its own kind: not an SLA escalation (which metrics and reports count as alerts).
    expect(stored.history.filter((e) => e.kind === 'escalated')).toEqual([]);
    const recovery = stored.history.filter((e) => e.kind === 'recovery-requested');
    expect(recovery).toEqual([
      expect.objectContaining({
        actor: { platform: 'heed', id: 'heed' },
        reason: 'The customer rated the answer 👎: It broke again <!channel>',
        data: { recovery: true, score: 'down' },
      }),
    ]);
    expect(rated(stored.history)).toEqual([
      expect.objectContaining({ reason: 'It broke again <!channel>', data: { score: 'down' } }),
    ]);
  });

  it('waits for a resolution before it takes a rating', async () => {
    const h = await startSatisfaction();
    await h.say('Cannot log in');
    const issue = (await h.heed.findIssue('#1'))!;
    expect((await h.press(S.customer, 'rate-up', issue)).text).toBe(
      '#1 is not resolved yet; you can rate it once it is.',
    );
    expect(rated((await h.issue(issue.id)).history)).toEqual([]);
  });

  it('does not ask again when an issue rated before a reopen is resolved again', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    await h.press(S.customer, 'rate-up', issue);
    await h.say('Actually it is back', { thread: issue.conversation.thread! });
    const reopened = await h.issue(issue.id);
    expect(reopened.status).toBe('reopened');
    await h.heed.resolve(reopened, { platform: 'slack', id: S.staff }, 'Fixed the cache too');
    const resolution = h.chat.sent.filter((m) => m.op === 'reply').at(-1)!;
    expect(resolution.plain).toContain('Fixed the cache too');
    expect(resolution.message.actions).toBeUndefined();
  });
});

describe('the resolution notice', () => {
  it('goes through the outbox: refused by the platform, it goes out on the next pass, once, with its buttons', async () => {
    const h = await startSatisfaction();
    await h.say('The CSV export fails with error 500');
    const issue = (await h.heed.issues.getByConversation({
      platform: 'slack',
      channel: S.customerChannel,
      thread: h.chat.sent.find((m) => m.op === 'reply')!.thread!,
    }))!;
    const staff = { platform: 'slack' as const, id: S.staff };
    await h.heed.claim(issue, staff);
    h.chat.failWith = new Error('Slack is unreachable');
    const result = await h.heed.resolve(await h.issue(issue.id), staff, 'Restarted the export workers');
    // The resolution is stored; only the notice did not reach the customer.
    expect(result.ok).toBe(true);
    h.chat.failWith = undefined;
    const notices = () => h.chat.sent.filter((m) => m.op === 'reply' && m.plain.includes('is resolved'));
    expect(notices()).toHaveLength(0);
    await h.elapse(MINUTE);
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.plain).toContain('*#1* is resolved: Restarted the export workers.');
    // For the customer: no note about Heed's interruption, and the rating buttons.
    expect(notices()[0]!.plain).not.toContain('Sent late');
    expect(notices()[0]!.message.actions?.map((a) => a.action)).toEqual(['rate-up', 'rate-down']);
    await h.elapse(MINUTE);
    expect(notices()).toHaveLength(1);
  });
});
