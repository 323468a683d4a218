import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { InboundMessage } from '../../src/ports/inbound-port.ts';
import { type Harness, MONDAY_10AM, startHarness } from '../support/harness.ts';
import { REFERENCES } from '../support/references.ts';
import { IDS } from '../support/test-config.ts';

const S = IDS.slack;
let seq = 0;

function customerSays(text: string, extra: Partial<InboundMessage> & { at: number }): InboundMessage {
  seq += 1;
  return {
    platform: 'slack',
    channel: S.customerChannel,
    messageId: `1763890000.${String(seq).padStart(6, '0')}`,
    text,
    author: { id: S.customer, name: 'Dana Customer' },
    ...extra,
  };
}

async function slash(h: Harness, user: string, text: string, thread?: string) {
  const reply = await runCommand(h.heed, {
    person: { platform: 'slack', id: user },
    conversation: thread ? { platform: 'slack', channel: S.customerChannel, thread } : undefined,
    input: { text },
    references: REFERENCES,
  });
  return toPlainText(reply.text);
}

describe('a support conversation, driven through the core', () => {
  it('opens, routes, claims, hands off, apologizes, answers and resolves, with every step in the ledger', async () => {
    const h = await startHarness();
    const first = customerSays('Hi, the CSV export fails with error 500 since this morning', {
      at: MONDAY_10AM,
    });

    // The customer writes: an issue opens and routes to support.
    const opened = await h.heed.handleMessage(first);
    expect(opened.kind).toBe('opened');
    if (opened.kind !== 'opened') return;
    const issue = opened.issue;
    expect(issue.number).toBe(1);
    expect(issue.team).toBe('support');
    expect(issue.priority).toBe('normal');

    // Heed answers in the customer's thread at once, with the reference and a promise.
    const ack = h.chat.sent.find((m) => m.op === 'reply');
    expect(ack?.thread).toBe(first.messageId);
    expect(ack?.plain).toContain('#1');
    expect(ack?.plain).toContain('Dana Customer');
    expect(ack?.plain).toMatch(/within 4h of business time \(by 2026-11-23T13:00:00Z\)/);

    // A card lands in the team channel.
    const card = h.chat.sent.find((m) => m.op === 'post' && m.to === S.teamChannel);
    expect(card?.message.card?.reference).toBe('#1');
    expect(card?.message.card?.actions.map((a) => a.action)).toEqual([
      'claim',
      'resolve',
      'escalate',
      'acknowledge',
      'snooze',
    ]);

    // Staff claim it by command.
    h.clock.advance(5 * 60_000);
    expect(await slash(h, S.staff, 'claim #1')).toBe('You now own *#1*.');
    const updated = h.chat.sent.filter((m) => m.op === 'update').at(-1);
    expect(updated?.message.card?.owner?.id).toBe(S.staff);

    // A colleague cannot grab it.
    expect(await slash(h, S.staff2, 'claim #1')).toContain(`already claimed by @${S.staff}`);

    // Hand-off with a reason; the new owner is told by DM.
    expect(await slash(h, S.staff, `handoff #1 <@${S.staff2}|sam> Sam knows the export service`)).toContain(
      'Handed *#1*',
    );
    const dm = h.chat.sent.find((m) => m.op === 'dm' && m.to === S.staff2);
    expect(dm?.plain).toContain('Sam knows the export service');

    // The new owner apologizes (inside the thread, so no reference needed) and answers in the thread.
    expect(
      await slash(h, S.staff2, 'apologize The export broke after our deploy', first.messageId),
    ).toContain('Apology sent');
    const apology = h.chat.find('Sorry for the wait on *#1*').at(0);
    expect(apology?.thread).toBe(first.messageId);
    expect(apology?.plain).toContain('The export broke after our deploy');

    h.clock.advance(60_000);
    const staffReply = await h.heed.handleMessage({
      ...customerSays('We found it, a fix is rolling out', { at: h.clock.now(), thread: first.messageId }),
      author: { id: S.staff2, name: 'Sam' },
    });
    expect(staffReply.kind).toBe('response');
    expect((await h.heed.findIssue('#1'))?.status).toBe('waiting');

    // The customer writes back: the issue needs attention again.
    h.clock.advance(60_000);
    const back = await h.heed.handleMessage(
      customerSays('Works now, thanks!', { at: h.clock.now(), thread: first.messageId }),
    );
    expect(back.kind).toBe('appended');
    expect((await h.heed.findIssue('1'))?.status).toBe('claimed');

    // Resolve with a summary the customer sees.
    expect(await slash(h, S.staff2, 'resolve #1 Rolled back the export change')).toContain('Resolved *#1*');
    expect(h.chat.find('*#1* is resolved: Rolled back the export change')).toHaveLength(1);

    const final = await h.heed.findIssue('#1');
    expect(final?.status).toBe('resolved');
    const ledger = final!.history.map((e) => [e.kind, e.actor.id, e.reason ?? '']);
    expect(ledger).toEqual([
      ['opened', S.customer, ''],
      ['routed', 'heed', 'intake channel default'],
      ['claimed', S.staff, ''],
      ['handed-off', S.staff, 'Sam knows the export service'],
      ['apologized', S.staff2, 'The export broke after our deploy'],
      ['responded', S.staff2, 'We found it, a fix is rolling out'],
      ['customer-replied', S.customer, ''],
      ['resolved', S.staff2, 'Rolled back the export change'],
    ]);
    expect(final!.history.every((e) => e.platform === 'slack' && e.issueNumber === 1)).toBe(true);
    expect(final!.history.map((e) => e.at)).toEqual(
      [...final!.history.map((e) => e.at)].sort((a, b) => a - b),
    );
  });

  it('refuses customers, strangers and wrong owners with clear reasons', async () => {
    const h = await startHarness();
    await h.heed.handleMessage(customerSays('Cannot log in', { at: MONDAY_10AM }));

    const customer = await slash(h, S.customer, 'claim #1');
    expect(customer).toContain('is for the support team');
    expect((await h.heed.findIssue('#1'))?.owner).toBeUndefined();

    // The customer may still ask for help.
    expect(await slash(h, S.customer, 'help')).toContain('write your question in the support channel');

    await slash(h, S.staff, 'claim #1');
    expect(await slash(h, S.staff2, 'resolve #1 done')).toContain(`belongs to @${S.staff}`);
    expect((await h.heed.findIssue('#1'))?.status).toBe('claimed');

    // Billing staff are not support staff.
    expect(await slash(h, 'U0BILL01', 'note #1 hello')).toContain('Only staff of team "support"');

    // A manager may resolve someone else's issue.
    expect(await slash(h, S.manager, 'resolve #1 Reset the password')).toContain('Resolved *#1*');

    // Claiming a resolved issue is refused with the way forward.
    expect(await slash(h, S.staff2, 'claim #1')).toContain(
      'is resolved, so it cannot be claimed. Reopen it first',
    );
  });

  it('answers bad arguments with a specific message and the usage', async () => {
    const h = await startHarness();
    await h.heed.handleMessage(customerSays('Question about the API', { at: MONDAY_10AM }));
    await slash(h, S.staff, 'claim #1');
    const before = await h.heed.findIssue('#1');

    expect(await slash(h, S.staff, 'handoff #1')).toMatch(
      /user: say who.*\nUsage: `\/heed handoff \[#issue\] <@user> <reason>`/s,
    );
    expect(await slash(h, S.staff, `handoff #1 <@${S.staff2}>`)).toContain(
      'reason: add a reason for the hand-off',
    );
    expect(await slash(h, S.staff, 'priority #1 extreme')).toContain('level: Invalid option');
    expect(await slash(h, S.staff, 'snooze #1 5minutes waiting for logs')).toContain('duration:');
    expect(await slash(h, S.staff, 'snooze #1')).toContain('Usage: `/heed snooze');
    expect(await slash(h, S.staff, 'resolve #99 fixed')).toContain("can't find issue #99");
    expect(await slash(h, S.staff, 'resolve fixed it')).toContain('Which issue?');
    expect(await slash(h, S.staff, 'frobnicate #1')).toContain('There is no Heed command "frobnicate"');
    expect(await slash(h, S.staff, 'mine extra words')).toContain('I didn\'t understand "extra words"');

    // Nothing stored changed.
    expect(await h.heed.findIssue('#1')).toEqual(before);
  });

  it('lists the queue urgent-first and what I own', async () => {
    const h = await startHarness();
    await h.heed.handleMessage(customerSays('A small question about themes', { at: MONDAY_10AM }));
    h.clock.advance(60_000);
    await h.heed.handleMessage(customerSays('Everything is down for us!', { at: h.clock.now() }));
    await slash(h, S.staff, 'claim #1');

    const queue = await slash(h, S.staff, 'queue');
    expect(queue.indexOf('#2')).toBeLessThan(queue.indexOf('#1'));
    expect(queue).toContain('Open issues (2)');
    expect(await slash(h, S.staff, 'mine')).toMatch(/Your open issues \(1\)\*\n• \*#1\*/);
    expect(await slash(h, S.staff2, 'mine')).toBe('You own no open issues.');
    expect(await slash(h, S.staff, 'queue nosuchteam')).toContain('There is no team "nosuchteam"');
  });
});
