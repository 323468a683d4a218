/**
 * Saved replies as staff use them: the card suggests the one that fits the customer's words, `/heed
 * answer` and the Answer button send it with its placeholders filled in, `then: resolve` resolves, and
 * the ledger records which reply was used (and whether it was edited).
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import { customerText, toPlainText } from '../../src/messages/rich-text.ts';
import { keywordHits, rankReplies, renderReply, suggestReply } from '../../src/replies/saved-replies.ts';
import type { ReportIssue } from '../../src/reports/report.ts';
import { formatSavedReplies, savedReplyReport } from '../../src/reports/saved-reply-report.ts';
import { customerOpens, slashAs } from '../support/conversation.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const REPLIES = [
  {
    id: 'reset-2fa',
    title: 'Reset two-factor',
    text: "Hi {customer}, I've reset two-factor on your account; log in again and you'll be asked to set it up. ({ref})",
    keywords: ['2fa', 'two-factor', 'authenticator'],
    ...Object.fromEntries([['then', 'resolve']]),
  },
  {
    id: 'export-limits',
    title: 'CSV export limits',
    text: 'Hi {customer}, exports are capped at 100k rows; split the date range and it will work. ({ref})',
    keywords: ['export', 'csv'],
  },
];

describe('matching saved replies (pure)', () => {
  const replies = testConfig({ replies: REPLIES }).replies;

  it('counts whole-word keyword hits and suggests the best match', () => {
    expect(keywordHits(replies[0]!, 'My 2FA app (authenticator) is gone')).toBe(2);
    expect(keywordHits(replies[0]!, 'I lost my phone, two-factor codes do not work')).toBe(1);
    expect(keywordHits(replies[1]!, 'exporting fails')).toBe(0); // whole words only
    expect(suggestReply(replies, 'The CSV export stops at 100k')?.id).toBe('export-limits');
    expect(suggestReply(replies, 'Hello, how are you?')).toBeUndefined();
    expect(rankReplies(replies, 'export please').map((r) => r.id)).toEqual(['export-limits', 'reset-2fa']);
  });

  it('neutralises the words of a reply a person edited, and keeps placeholders working', () => {
    const values = { customer: 'Dana', ref: '#4' };
    expect(
      renderReply('Hi {customer} <!channel> ({ref})', values, true).filter((s) => s.t === 'text'),
    ).toEqual([]);
    expect(toPlainText(renderReply('Hi {customer} ({ref})', values, true))).toBe('Hi Dana (#4)');
    expect(renderReply('Hi {customer}', values, false)[0]).toEqual({ t: 'text', v: 'Hi ' });
    expect(renderReply('Hi {customer}', values, true)[1]).toEqual(customerText('Dana'));
  });
});

const toCustomer = (h: Harness) => h.chat.sent.filter((m) => m.op === 'reply').map((m) => m.plain);

describe('answering with a saved reply', () => {
  it('suggests the reply on the card, sends it with /heed answer, resolves when it says so, and logs which', async () => {
    const h = await startHarness({ config: testConfig({ replies: REPLIES }) });
    const issue = await customerOpens(h, 'My authenticator app is gone and 2FA locks me out');
    const card = h.chat.sent.find((m) => m.message.card)!.message.card!;
    expect(card.suggestedReply).toEqual({ id: 'reset-2fa', title: 'Reset two-factor' });
    const answer = card.actions.find((a) => a.action === 'answer')!;
    expect(answer.form?.fields[0]).toMatchObject({
      name: 'reply',
      initial: 'reset-2fa',
      choices: [
        { value: 'reset-2fa', label: 'Reset two-factor' },
        { value: 'export-limits', label: 'CSV export limits' },
      ],
    });
    h.chat.clear();

    const said = await slashAs(h, S.staff, `answer #${issue.number} reset-2fa`);
    expect(said).toBe(
      'Sent the saved reply *Reset two-factor* to the customer on *#1*. Resolved *#1*. The customer can reply within 7d to reopen it.',
    );
    expect(toCustomer(h)[0]).toBe(
      "@U0STAFF1: Hi Dana, I've reset two-factor on your account; log in again and you'll be asked to set it up. (*#1*)",
    );
    expect(toCustomer(h)[1]).toContain('*#1* is resolved: Reset two-factor.');
    const stored = (await h.heed.issues.get(issue.id))!;
    expect(stored.status).toBe('resolved');
    expect(stored.history.find((e) => e.kind === 'responded')?.data).toMatchObject({
      via: 'saved-reply',
      reply: 'reset-2fa',
      edited: false,
      first: true,
    });
  });

  it('sends an edited reply from the Answer form, neutralised, with its placeholders filled in', async () => {
    const h = await startHarness({ config: testConfig({ replies: REPLIES }) });
    const issue = await customerOpens(h, 'The CSV export stops halfway');
    h.chat.clear();
    const reply = await runAction(h.heed, {
      person: { platform: 'slack', id: S.staff2 },
      action: 'answer',
      issueId: issue.id,
      fields: {
        reply: 'export-limits',
        message: 'Hi {customer}, split the export by month <!channel> ({ref})',
      },
    });
    expect(toPlainText(reply.text)).toContain(
      'Sent the saved reply *CSV export limits* to the customer on *#1* (edited).',
    );
    const sent = h.chat.sent.find((m) => m.op === 'reply')!;
    expect(sent.plain).toBe('@U0STAFF2: Hi Dana, split the export by month <!channel> (*#1*)');
    // Only the reference and the signature are Heed's; the words are the person's, so adapters neutralise them.
    expect(sent.message.text.filter((s) => s.t === 'text').map((s) => (s as { v: string }).v)).toEqual([
      ': ',
    ]);
    const stored = (await h.heed.issues.get(issue.id))!;
    expect(stored.status).toBe('waiting'); // no `then`: the answer counts as a response
    expect(stored.history.find((e) => e.kind === 'responded')?.data).toMatchObject({
      reply: 'export-limits',
      edited: true,
    });
  });

  it('lists the saved replies, explains an unknown one, and refuses customers', async () => {
    const h = await startHarness({ config: testConfig({ replies: REPLIES }) });
    const issue = await customerOpens(h, 'Hello');
    expect(await slashAs(h, S.staff, 'answer')).toContain('`reset-2fa` — Reset two-factor (then resolve)');
    expect(await slashAs(h, S.staff, `answer #${issue.number} refund`)).toContain(
      'There is no saved reply "refund". Saved replies: reset-2fa, export-limits.',
    );
    expect(await slashAs(h, S.customer, `answer #${issue.number} reset-2fa`)).toContain(
      'is for the support team',
    );
    expect(
      h.heed.suggest({
        person: { platform: 'slack', id: S.customer },
        command: 'answer',
        argument: 'reply',
        typed: '',
      }),
    ).resolves.toEqual([]);
    await expect(
      h.heed.suggest({
        person: { platform: 'slack', id: S.staff },
        command: 'answer',
        argument: 'reply',
        typed: 'csv',
      }),
    ).resolves.toEqual([{ name: 'CSV export limits (export-limits)', value: 'export-limits' }]);
  });

  it('shows no Answer button and no suggestion without saved replies', async () => {
    const h = await startHarness({ config: testConfig() });
    await customerOpens(h, 'My 2FA is broken');
    const card = h.chat.sent.find((m) => m.message.card)!.message.card!;
    expect(card.suggestedReply).toBeUndefined();
    expect(card.actions.map((a) => a.action)).not.toContain('answer');
    expect(await slashAs(h, S.staff, 'answer')).toContain('There are no saved replies yet');
  });
});

describe('the saved-reply report (hand-checked)', () => {
  const H = 3_600_000;
  const period = { from: 10 * H, to: 100 * H };
  const event = (kind: string, at: number, data?: Record<string, unknown>) => ({
    kind,
    at,
    ...(data ? { data } : {}),
  });
  const issue = (id: string, history: ReturnType<typeof event>[]) =>
    ({
      id,
      team: 'support',
      openedAt: history[0]!.at,
      customer: {},
      history,
      sla: { clocks: {} },
    }) as unknown as ReportIssue;
  const issues = [
    // A: one saved reply, then resolved: first contact for reset-2fa.
    issue('A', [
      event('opened', 11 * H),
      event('responded', 12 * H, { reply: 'reset-2fa' }),
      event('resolved', 13 * H),
    ]),
    // B: the saved reply (edited), the customer wrote back, a second answer: resolved, not first contact.
    issue('B', [
      event('opened', 11 * H),
      event('responded', 12 * H, { reply: 'reset-2fa', edited: true }),
      event('customer-replied', 13 * H),
      event('responded', 14 * H),
      event('resolved', 15 * H),
    ]),
    // C: resolved after the saved reply alone, but reopened: not first contact.
    issue('C', [
      event('opened', 11 * H),
      event('responded', 12 * H, { reply: 'export-limits' }),
      event('resolved', 13 * H),
      event('reopened', 20 * H),
    ]),
    // D: sent, not resolved yet.
    issue('D', [event('opened', 11 * H), event('responded', 12 * H, { reply: 'export-limits' })]),
    // E: before the period: not counted.
    issue('E', [
      event('opened', 1 * H),
      event('responded', 2 * H, { reply: 'reset-2fa' }),
      event('resolved', 3 * H),
    ]),
  ];

  it('counts uses, issues, resolutions and first-contact resolutions per saved reply', () => {
    expect(savedReplyReport(issues, period)).toEqual([
      { reply: 'export-limits', uses: 2, edited: 0, issues: 2, resolved: 1, firstContact: 0, fcrPct: 0 },
      { reply: 'reset-2fa', uses: 2, edited: 1, issues: 2, resolved: 2, firstContact: 1, fcrPct: 50 },
    ]);
    expect(formatSavedReplies(savedReplyReport(issues, period), period, 'csv')).toBe(
      'reply,uses,edited,issues,resolved,first_contact,fcr_pct\r\nexport-limits,2,0,2,1,0,0\r\nreset-2fa,2,1,2,2,1,50\r\n',
    );
  });

  it('answers /heed stats replies with the same figures from the store', async () => {
    const h = await startHarness({ config: testConfig({ replies: REPLIES }) });
    const first = await customerOpens(h, 'my 2fa is broken');
    await slashAs(h, S.staff, `answer #${first.number} reset-2fa`); // resolves: first contact
    const second = await customerOpens(h, 'csv export fails');
    await slashAs(h, S.staff, `answer #${second.number} export-limits`);
    expect(await slashAs(h, S.staff, 'stats replies 1d')).toMatch(
      /Saved replies\* · last 1d.*\n• `export-limits`: sent 1× on 1 issue · none resolved yet\n• `reset-2fa`: sent 1× on 1 issue · first-contact resolution 100% \(1 of 1 resolved\)$/s,
    );
  });
});
