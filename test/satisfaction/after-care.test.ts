import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load-config.ts';
import { DEFAULT_FOLLOW_UP_MESSAGE } from '../../src/config/schema.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { dueAfterCare, nextAfterCareAt, planAfterCare } from '../../src/satisfaction/after-care.ts';
import { nextDueAt } from '../../src/sla/schedule.ts';
import { testConfig, testConfigInput } from '../support/test-config.ts';
import { DAY, HOUR, MINUTE, S, type SatisfactionHarness, startSatisfaction } from './satisfaction-harness.ts';

const withFollowUp = (message?: string) =>
  testConfig({ followUp: { after: '3d', ...(message ? { message } : {}) } });

const followUps = (h: SatisfactionHarness) =>
  h.chat.sent.filter((m) => m.op === 'reply' && m.plain.includes('checking in'));

const kinds = (issue: Issue) => issue.history.map((e) => e.kind);

describe('after-care planning (pure)', () => {
  const config = withFollowUp();
  const resolved = { status: 'resolved' as const, resolvedAt: 1_000, sla: { fired: [] as string[] } };

  it('plans a follow-up and a close with stable ids for a resolved issue, nothing otherwise', () => {
    expect(planAfterCare(resolved, config)).toEqual([
      { id: 'resolved:1000:follow-up', kind: 'follow-up', at: 1_000 + 3 * DAY, resolvedAt: 1_000 },
      { id: 'resolved:1000:close', kind: 'close', at: 1_000 + 7 * DAY, resolvedAt: 1_000 },
    ]);
    expect(planAfterCare(resolved, testConfig()).map((s) => s.kind)).toEqual(['close']);
    for (const status of ['new', 'claimed', 'waiting', 'reopened', 'closed'] as const) {
      expect(planAfterCare({ ...resolved, status }, config)).toEqual([]);
    }
  });

  it('skips fired steps and drops a follow-up overtaken by the close', () => {
    expect(nextAfterCareAt(resolved, config)).toBe(1_000 + 3 * DAY);
    const checked = { ...resolved, sla: { fired: ['resolved:1000:follow-up'] } };
    expect(nextAfterCareAt(checked, config)).toBe(1_000 + 7 * DAY);
    expect(dueAfterCare(resolved, config, 1_000 + 3 * DAY)).toEqual({
      send: [expect.objectContaining({ kind: 'follow-up' })],
      fired: ['resolved:1000:follow-up'],
    });
    // Heed was down past both: only the close is carried out, both are recorded.
    expect(dueAfterCare(resolved, config, 1_000 + 8 * DAY)).toEqual({
      send: [expect.objectContaining({ kind: 'close' })],
      fired: ['resolved:1000:follow-up', 'resolved:1000:close'],
    });
  });

  it('folds after-care into the issue’s next due time beside its SLA alerts', () => {
    const sla = { clocks: {}, fired: [], acknowledged: [], breaches: [] };
    expect(nextDueAt({ ...resolved, sla }, config)).toBe(1_000 + 3 * DAY);
    expect(nextDueAt({ status: 'claimed', sla }, config)).toBeUndefined();
  });

  it('validates followUp: off by default, a default message, and before the reopen window ends', () => {
    expect(testConfig().followUp).toBeUndefined();
    expect(withFollowUp().followUp).toEqual({ after: 3 * DAY, message: DEFAULT_FOLLOW_UP_MESSAGE });
    const refuse = (followUp: unknown) => {
      try {
        parseConfig({ ...testConfigInput(), followUp }, 'heed.config.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refuse({ after: '8d' })).toContain('followUp.after');
    expect(refuse({ after: '8d' })).toContain('before the reopen window ends');
    expect(refuse({ after: 'soon' })).toContain('followUp.after');
    expect(refuse({ after: '1d', message: 'Hi', sendTwice: true })).toContain('sendTwice');
  });

  it('accepts the followUp block documented (commented out) in the shipped example', () => {
    const example = readFileSync('heed.config.example.yaml', 'utf8');
    const enabled = example.replace(/^# followUp:\n# {3}after: .*\n# {3}message: .*\n/m, (block) =>
      block.replace(/^# /gm, ''),
    );
    expect(enabled).not.toBe(example);
    const dir = mkdtempSync(join(tmpdir(), 'heed-follow-up-'));
    writeFileSync(join(dir, 'heed.config.yaml'), enabled);
    expect(loadConfigFile('heed.config.yaml', dir).followUp).toEqual({
      after: 3 * DAY,
      message: DEFAULT_FOLLOW_UP_MESSAGE,
    });
  });
});

describe('reopen window', () => {
  it('reopens on a customer message inside the window and tells the owner', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    h.chat.clear();
    await h.elapse(6 * DAY);
    await h.say('It fails again', { thread: issue.conversation.thread! });
    const reopened = await h.issue(issue.id);
    expect(reopened.status).toBe('reopened');
    expect(reopened.history.at(-1)).toMatchObject({ kind: 'reopened', actor: { id: S.customer } });
    expect(h.chat.sent.find((m) => m.op === 'reply')?.plain).toContain('*#1* is open again');
    expect(h.chat.sent.find((m) => m.op === 'dm' && m.to === S.staff)?.plain).toContain(
      '*#1* was reopened: Dana wrote again after it was resolved.',
    );
  });

  it('opens a new issue linked to the old one after the window', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    await h.elapse(8 * DAY);
    await h.say('A new question', { thread: issue.conversation.thread! });
    const next = (await h.heed.findIssue('#2'))!;
    expect(next.previousIssueId).toBe(issue.id);
    expect(next.history[0]).toMatchObject({ kind: 'opened', data: { followUpOf: 1 } });
    expect((await h.issue(issue.id)).status).toBe('closed');
  });
});

describe('auto-close', () => {
  it('closes a resolved issue nobody wrote in during the reopen window, once, as Heed', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    expect(issue.sla.nextAlertAt).toBe(issue.resolvedAt! + 7 * DAY);
    expect(h.heed.scheduler.pending).toBe(1);

    expect((await h.elapse(7 * DAY - MINUTE)).afterCare).toBe(0);
    expect((await h.issue(issue.id)).status).toBe('resolved');
    h.chat.clear();
    const tick = await h.elapse(MINUTE);
    expect(tick).toMatchObject({ alerts: 0, afterCare: 1 });

    const closed = await h.issue(issue.id);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).toBe(h.clock.now());
    expect(closed.history.at(-1)).toMatchObject({
      kind: 'closed',
      actor: { platform: 'heed', id: 'heed' },
      reason: 'no customer message within the reopen window (7d)',
      data: { automatic: true, late: false },
    });
    expect(closed.sla.fired).toContain(`resolved:${issue.resolvedAt}:close`);
    expect(closed.sla.nextAlertAt).toBeUndefined();
    // The card says so; the customer is not bothered.
    expect(h.chat.sent.map((m) => [m.op, m.plain.split(' [card')[0]])).toEqual([
      ['update', 'Issue *#1* · closed'],
    ]);
    expect(h.heed.issues.listOpen()).toEqual([]);
    expect(h.heed.scheduler.pending).toBe(0);
    expect((await h.elapse(30 * DAY)).afterCare).toBe(0);
    expect(kinds(await h.issue(issue.id)).filter((k) => k === 'closed')).toHaveLength(1);
  });

  it('does not close a reopened issue, and plans a new close for the next resolution', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    await h.elapse(2 * DAY);
    await h.say('Still broken', { thread: issue.conversation.thread! });
    await h.elapse(10 * DAY);
    const reopened = await h.issue(issue.id);
    expect(reopened.status).toBe('reopened');
    expect(kinds(reopened)).not.toContain('closed');

    const again = await h.heed.resolve(reopened, { platform: 'slack', id: S.staff }, 'Fixed for real');
    if (!again.ok) throw new Error('not resolved');
    await h.elapse(7 * DAY);
    const closed = await h.issue(issue.id);
    expect(closed.status).toBe('closed');
    expect(closed.sla.fired.filter((id) => id.endsWith(':close'))).toEqual([
      `resolved:${again.issue.resolvedAt}:close`,
    ]);
  });

  it('still lets the customer rate after the close', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    await h.elapse(7 * DAY);
    expect((await h.press(S.customer, 'rate-up', issue)).text).toContain('Thanks for the 👍');
    const closed = await h.issue(issue.id);
    expect(closed.status).toBe('closed');
    expect(closed.history.at(-1)).toMatchObject({ kind: 'rated', data: { score: 'up' } });
  });

  it('closes late, once, after Heed was down when the window ended', async () => {
    const h = await startSatisfaction();
    const issue = await h.resolved();
    h.clock.advance(9 * DAY); // Heed is down
    const after = await h.restart();
    expect((await after.heed.scheduler.tick()).afterCare).toBe(1);
    const closed = await after.issue(issue.id);
    expect(closed.status).toBe('closed');
    expect(closed.history.at(-1)).toMatchObject({ kind: 'closed', data: { late: true } });
    const again = await after.restart();
    expect(again.heed.scheduler.pending).toBe(0);
    expect((await again.heed.scheduler.tick()).afterCare).toBe(0);
  });
});

describe('follow-up check-in', () => {
  it('is sent once, N after the resolution, in the customer’s thread with the rating buttons', async () => {
    const h = await startSatisfaction({ config: withFollowUp() });
    const issue = await h.resolved();
    expect((await h.elapse(3 * DAY - MINUTE)).afterCare).toBe(0);
    expect(followUps(h)).toEqual([]);
    expect((await h.elapse(MINUTE)).afterCare).toBe(1);

    const [sent] = followUps(h);
    expect(sent?.plain).toBe(
      'Hi Dana, checking in on *#1*: is everything still working? If not, just reply here.',
    );
    expect(sent?.to).toBe(S.customerChannel);
    expect(sent?.thread).toBe(issue.conversation.thread);
    expect(sent?.message.actions?.map((a) => a.action)).toEqual(['rate-up', 'rate-down']);
    const stored = await h.issue(issue.id);
    expect(stored.status).toBe('resolved');
    expect(stored.history.at(-1)).toMatchObject({
      kind: 'noted',
      actor: { platform: 'heed', id: 'heed' },
      data: { followUp: true, late: false },
    });
    expect(stored.sla.fired).toContain(`resolved:${issue.resolvedAt}:follow-up`);

    await h.elapse(HOUR);
    await h.elapse(DAY);
    expect(followUps(h)).toHaveLength(1);
    // The close still comes at the end of the window.
    await h.elapse(3 * DAY);
    expect((await h.issue(issue.id)).status).toBe('closed');
    expect(followUps(h)).toHaveLength(1);
  });

  it('uses the configured template and leaves the buttons out once the customer rated', async () => {
    const h = await startSatisfaction({ config: withFollowUp('{customer}, all good with {ref}?') });
    const issue = await h.resolved();
    await h.press(S.customer, 'rate-up', issue);
    await h.elapse(3 * DAY);
    const sent = h.chat.sent.filter((m) => m.op === 'reply').at(-1)!;
    expect(sent.plain).toBe('Dana, all good with *#1*?');
    expect(sent.message.actions).toBeUndefined();
  });

  it('is not sent after a reopen', async () => {
    const h = await startSatisfaction({ config: withFollowUp() });
    const issue = await h.resolved();
    await h.elapse(DAY);
    await h.say('Hm, one more thing', { thread: issue.conversation.thread! });
    await h.elapse(5 * DAY);
    expect(followUps(h)).toEqual([]);
    expect(kinds(await h.issue(issue.id))).not.toContain('noted');
  });

  it('is not resent after a restart, and is sent late once when it fell due while Heed was down', async () => {
    const h = await startSatisfaction({ config: withFollowUp() });
    const first = await h.resolved();
    await h.elapse(3 * DAY);
    expect(followUps(h)).toHaveLength(1);

    const second = await h.resolved();
    h.clock.advance(3 * DAY + 2 * HOUR); // Heed is down when the second check-in falls due
    const after = await h.restart();
    expect(after.heed.scheduler.pending).toBe(2);
    expect((await after.heed.scheduler.tick()).afterCare).toBe(1);
    expect(followUps(after).map((m) => m.message.actions?.[0]?.issueId)).toEqual([second.id]);
    expect((await after.issue(second.id)).history.at(-1)).toMatchObject({
      kind: 'noted',
      data: { followUp: true, late: true },
    });

    const again = await after.restart();
    expect((await again.heed.scheduler.tick()).afterCare).toBe(0);
    expect(followUps(again)).toEqual([]);
    for (const issue of [first, second]) {
      expect(
        (await again.issue(issue.id)).history.filter((e) => e.kind === 'noted' && e.data?.followUp),
      ).toHaveLength(1);
    }
  });
});
