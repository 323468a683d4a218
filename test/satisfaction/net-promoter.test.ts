/**
 * NPS as customers and managers meet it: asked after a resolution when the trigger says so, at most once
 * per 90 days per customer; 0–10 buttons and an optional comment; a detractor opens a recovery task; the
 * report gives NPS per team, tier and period.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import { answerNps, npsDue, npsFigures, npsGroup } from '../../src/satisfaction/net-promoter.ts';
import { customerOpens, slashAs } from '../support/conversation.ts';
import { startHarness } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';
import { npsFormat, npsReportFor } from './nps-helpers.ts';

const S = IDS.slack;
const DAY = 86_400_000;

describe('NPS (pure)', () => {
  it('groups answers and scores them as promoters % minus detractors %', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
    // 3 promoters, 2 passives, 1 detractor of 6: (3 − 1) / 6 = 33%.
    expect(npsFigures([10, 9, 9, 8, 7, 2])).toEqual({
      answers: 6,
      promoters: 3,
      passives: 2,
      detractors: 1,
      score: 33,
    });
    expect(npsFigures([]).score).toBeNull();
  });

  it('is due on the trigger, never twice within 90 days', () => {
    const afterThree = { after: { resolvedIssues: 3 }, question: 'q' };
    expect(npsDue(afterThree, { resolvedIssues: 2, lastAskedAt: undefined }, 100 * DAY)).toBe(false);
    expect(npsDue(afterThree, { resolvedIssues: 3, lastAskedAt: undefined }, 100 * DAY)).toBe(true);
    expect(npsDue(afterThree, { resolvedIssues: 9, lastAskedAt: 20 * DAY }, 100 * DAY)).toBe(false);
    expect(npsDue(afterThree, { resolvedIssues: 9, lastAskedAt: 9 * DAY }, 100 * DAY)).toBe(true);
    const every = { after: { everyMs: 120 * DAY }, question: 'q' };
    expect(npsDue(every, { resolvedIssues: 1, lastAskedAt: undefined }, 5 * DAY)).toBe(true);
    expect(npsDue(every, { resolvedIssues: 1, lastAskedAt: 0 }, 100 * DAY)).toBe(false);
    expect(npsDue(every, { resolvedIssues: 1, lastAskedAt: 0 }, 120 * DAY)).toBe(true);
  });
});

describe('NPS in conversation', () => {
  const config = testConfig({ nps: { after: '2 resolved issues' } });

  it('asks after the second resolved issue, records the answer once, and recovers a detractor', async () => {
    const h = await startHarness({ config });
    const first = await customerOpens(h, 'How do I export?');
    await slashAs(h, S.staff, `resolve #${first.number} Explained the export`);
    expect(h.chat.find('How likely are you to recommend us')).toHaveLength(0);

    const second = await customerOpens(h, 'And how do I import?');
    h.chat.clear();
    await slashAs(h, S.staff, `resolve #${second.number} Explained the import`);
    const [question] = h.chat.find('How likely are you to recommend us');
    expect(question).toMatchObject({ op: 'reply', to: S.customerChannel });
    expect(question!.plain).toBe(
      'One more question, about us in general (we ask at most once a quarter): *How likely are you to recommend us to a friend or colleague?* (0 = not at all likely, 10 = extremely likely)',
    );
    expect(question!.message.actions?.map((a) => a.label)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect((await h.heed.customers.find({ platform: 'slack', id: S.customer }))?.npsAskedAt).toBe(
      h.clock.now(),
    );

    const press = (user: string, action: string, comment?: string) =>
      runAction(h.heed, {
        person: { platform: 'slack', id: user },
        action,
        issueId: second.id,
        ...(comment ? { fields: { comment } } : {}),
      }).then((reply) => toPlainText(reply.text));
    expect(await press(S.staff, 'nps-ten')).toContain('Only the customer who asked about #2 can answer this');
    h.chat.clear();
    expect(await press(S.customer, 'nps-three', 'Too slow, twice')).toBe(
      'Thank you for telling us; a team lead will look at #2.',
    );
    expect(await press(S.customer, 'nps-nine')).toBe('Thanks, you already answered.');
    const stored = (await h.heed.issues.get(second.id))!;
    expect(
      stored.history.filter((e) => e.kind === 'nps-answered').map((e) => [e.data?.score, e.reason]),
    ).toEqual([[3, 'Too slow, twice']]);
    expect(stored.history.some((e) => e.kind === 'recovery-requested' && e.data?.nps === 3)).toBe(true);
    const toManager = h.chat.sent.find((m) => m.op === 'dm' && m.to === S.manager)!;
    expect(toManager.plain).toContain(
      '*Recovery needed* on *#2* · Dana answered 3 of 10 on NPS: “Too slow, twice”',
    );

    // A third resolution within 90 days: not asked again.
    const third = await customerOpens(h, 'One more thing');
    h.chat.clear();
    await slashAs(h, S.staff, `resolve #${third.number} Done`);
    expect(h.chat.find('How likely are you to recommend us')).toHaveLength(0);
    // 91 days on, the next resolution asks again.
    h.clock.advance(91 * DAY);
    const fourth = await customerOpens(h, 'Back again');
    h.chat.clear();
    await slashAs(h, S.staff, `resolve #${fourth.number} Done`);
    expect(h.chat.find('How likely are you to recommend us')).toHaveLength(1);

    // The report: one detractor for the support team, on customers without a tier.
    const text = await npsFormat(h, { from: 0, to: h.clock.now() + 1 });
    expect(text).toContain('team support');
    expect(text).toMatch(/team support\s+NPS -100 \(1 answer: 0 promoters, 0 passives, 1 detractor\)/);
    expect(text).toMatch(/tier no tier\s+NPS -100/);
    expect((await npsReportFor(h, { from: 0, to: h.clock.now() + 1 })).total.answers).toBe(1);
  });

  it('refuses an answer where nothing was asked', () => {
    const issue = { history: [], customer: { platform: 'slack', id: S.customer }, number: 1 } as never;
    expect(answerNps(issue, { platform: 'slack', id: S.customer }, 5, undefined, 0)).toMatchObject({
      ok: false,
      code: 'not-asked',
    });
  });
});
