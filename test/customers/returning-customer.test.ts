import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { issueCount } from '../../src/customers/profile.ts';
import { startHarness } from '../support/harness.ts';
import {
  acknowledgementOf,
  cardOf,
  customerSays,
  DAY,
  MINUTE,
  message,
  people,
  rate,
  slash,
} from './customer-story.ts';

/** Dana's first issue, a day later, and a store that refuses `what` ("insert on outbox") with `reason`. */
async function secondDayRefusing(what: string, reason: string) {
  const h = await startHarness();
  await customerSays(h, 'First question');
  h.clock.advance(DAY);
  await sql
    .raw(`create trigger refuse before ${what} begin select raise(abort, '${reason}'); end`)
    .execute(h.store.db);
  return h;
}

describe('a returning customer', () => {
  it('is greeted by name with the returning template, and the card tells the history', async () => {
    const h = await startHarness();

    // Monday 10:00: Dana writes for the first time.
    const first = await customerSays(h, 'The CSV export fails with error 500');
    expect(acknowledgementOf(h, first)?.plain).toContain(
      'Hi Dana Customer, thanks for reaching out! This is *#1*.',
    );
    expect(cardOf(h, first)?.history).toMatch(/^first issue · 1 customer message · 0 replies/);
    expect(first.customer).toMatchObject({ previousIssues: 0 });
    expect(first.customer.lastContactAt).toBeUndefined();

    h.clock.advance(30 * MINUTE);
    await slash(h, people.staff, 'claim #1');
    await slash(h, people.staff, 'resolve #1 Rolled back the export change');

    // Thursday 10:00: she writes again, in a new message.
    h.clock.advance(3 * DAY - 30 * MINUTE);
    const second = await customerSays(h, 'Now the PDF export is slow');
    expect(second.number).toBe(2);
    expect(second.previousIssueId).toBeUndefined();
    expect(acknowledgementOf(h, second)?.plain).toContain('Welcome back, Dana Customer! This is *#2*.');
    expect(acknowledgementOf(h, second)?.plain).not.toContain('thanks for reaching out');
    expect(cardOf(h, second)?.history).toMatch(/^2nd issue · last contact 3 days ago · 1 customer message/);

    // The card keeps the line when it is updated later (times are relative to the opening).
    h.clock.advance(2 * DAY);
    await slash(h, people.staff, 'claim #2');
    expect(cardOf(h, second)?.owner?.id).toBe(people.staff.id);
    expect(cardOf(h, second)?.history).toMatch(/^2nd issue · last contact 3 days ago/);

    // She rates #2 with a thumbs up; her third issue shows it.
    await slash(h, people.staff, 'resolve #2 Tuned the PDF renderer');
    await rate(h, (await h.heed.findIssue('#2'))!, 'up');
    h.clock.advance(12 * DAY);
    const third = await customerSays(h, 'A question about invoices');
    expect(cardOf(h, third)?.history).toMatch(/^3rd issue · last contact 14 days ago · last rated 👍/);
    expect(acknowledgementOf(h, third)?.plain).toContain('Welcome back, Dana Customer!');
  });

  it('keeps a greeting for everyone else, and counts replies in the thread as contact', async () => {
    const h = await startHarness();
    const dana = await customerSays(h, 'Cannot log in');
    h.clock.advance(2 * 60 * MINUTE);
    // Someone else at first contact is greeted as new.
    const sam = await customerSays(h, 'Where is my invoice?', {
      author: { id: 'U0CUST02', name: 'Sam Client' },
    });
    expect(acknowledgementOf(h, sam)?.plain).toContain('Hi Sam Client, thanks for reaching out!');
    expect(cardOf(h, sam)?.history).toMatch(/^first issue/);

    // Dana answers in her thread an hour later: that is her last contact.
    h.clock.advance(60 * MINUTE);
    await customerSays(h, 'Still cannot log in', { thread: dana.conversation.thread! });
    h.clock.advance(5 * 60 * MINUTE);
    const again = await customerSays(h, 'And the password reset mail never arrives');
    expect(cardOf(h, again)?.history).toMatch(/^2nd issue · last contact 5 hours ago/);
    const profile = await h.heed.customers.find(people.dana);
    expect(profile?.issues.map((i) => i.number)).toEqual([1, 3]);
  });

  it('opens the issue even when the profile cannot be read, without a history line', async () => {
    const h = await startHarness();
    await customerSays(h, 'First question');
    const profile = await h.heed.customers.find(people.dana);
    await h.store.db
      .updateTable('customers')
      .set({ body: JSON.stringify({ v: 99, id: profile!.id }) })
      .where('id', '=', profile!.id)
      .execute();

    h.clock.advance(DAY);
    const next = await customerSays(h, 'Second question');
    expect(next.number).toBe(2);
    expect(acknowledgementOf(h, next)?.plain).toContain('Hi Dana Customer, thanks for reaching out!');
    expect(cardOf(h, next)?.history).toMatch(/^1 customer message/);
  });

  it("adds the issue to the profile in the issue's own commit: both are stored, or neither", async () => {
    // The outbox refuses the next issue's rows: the create fails, and the profile must not count it.
    const h = await secondDayRefusing('insert on outbox', 'disk says no');
    const lost = message(h, 'Second question');
    await expect(h.heed.handleMessage(lost)).rejects.toThrow(/disk says no/);
    const untouched = await h.heed.customers.find(people.dana);
    expect(issueCount(untouched!)).toBe(1);
    expect(untouched!.lastContactAt).toBe(h.clock.now() - DAY);

    // Slack delivers it again: one issue, counted once.
    await sql`drop trigger refuse`.execute(h.store.db);
    const changes = h.store.commitStats.changes;
    const outcome = await h.heed.handleMessage(lost);
    expect(outcome).toMatchObject({ kind: 'opened', issue: { number: 2 } });
    // Two changes: the issue with its profile, then the references of its acknowledgement and card.
    expect(h.store.commitStats.changes - changes).toBe(2);
    const profile = await h.heed.customers.find(people.dana);
    expect(issueCount(profile!)).toBe(2);
    expect(profile!.lastContactAt).toBe(h.clock.now());
  });

  it('opens the issue when only the profile write fails, rolling back the profile alone', async () => {
    const h = await secondDayRefusing('update on customers', 'profile refused');
    const next = await customerSays(h, 'Second question');
    expect(next.number).toBe(2);
    expect(next.customer.previousIssues).toBe(1);
    expect(acknowledgementOf(h, next)).toBeDefined();
    expect(await h.heed.issues.get(next.id)).toMatchObject({ number: 2, status: 'new' });
    const profile = await h.heed.customers.find(people.dana);
    expect(issueCount(profile!)).toBe(1);
  });
});
