/**
 * NPS is asked of a customer (one profile, linked across platforms), not of an identity: their resolved
 * issues count on every platform, and the 90-day quiet time holds on every platform, through a merge of two
 * profiles and when two of their issues resolve at the same moment.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { PersonFacts } from '../../src/ports/inbound-port.ts';
import { customerSays, D, DAY, MINUTE, people, S, slash } from '../customers/customer-story.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { testConfig } from '../support/test-config.ts';
import { HOUR, startSatisfaction } from './satisfaction-harness.ts';

const QUESTION = 'How likely are you to recommend us';
const onDiscord = { platform: 'discord' as const, author: { id: D.customer, name: 'dana_d' } };

const questions = (h: Harness) => h.chat.find(QUESTION);

describe('NPS per customer, across platforms', () => {
  it('counts resolved issues on both platforms once linked, and asks in the thread of the one that tips it', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: '3 resolved issues' } }) });
    const first = await customerSays(h, 'Export fails');
    await slash(h, people.staff, `resolve #${first.number} Fixed the export`);
    const second = await customerSays(h, 'Export fails on Discord too', onDiscord);
    await slash(h, people.staff, `link slack:${S.customer} discord:${D.customer}`);
    await slash(h, people.staff, `resolve #${second.number} Same fix`);
    expect(questions(h)).toHaveLength(0);

    // An issue still open does not count: the third resolved issue is the one that asks.
    const open = await customerSays(h, 'Another question, on Discord', onDiscord);
    h.clock.advance(DAY);
    const third = await customerSays(h, 'And the import?');
    expect(third.id).not.toBe(open.id);
    await slash(h, people.staff, `resolve #${third.number} Explained the import`);
    const [asked] = questions(h);
    expect(asked).toMatchObject({ op: 'reply', platform: 'slack', to: S.customerChannel });

    // Dana's Discord issue resolves the next day: the same person, so not asked again.
    h.clock.advance(DAY);
    h.chat.clear();
    await slash(h, people.staff, `resolve #${open.number} Answered`);
    expect(h.chat.find('Answered')).not.toHaveLength(0);
    expect(questions(h)).toHaveLength(0);

    // Only the customer answers, from the identity the issue was opened by.
    const answer = (person: PersonFacts, action: string) =>
      runAction(h.heed, { person, action, issueId: third.id }).then((r) => toPlainText(r.text));
    expect(await answer(people.danaOnDiscord, 'nps-ten')).toContain('Only the customer');
    expect(await answer(people.dana, 'nps-ten')).toBe('Thank you! We are glad to hear it.');
  });

  it('keeps the latest ask when two profiles of one person merge', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
    const onSlack = await customerSays(h, 'Export fails');
    await slash(h, people.staff, `resolve #${onSlack.number} Fixed`);
    expect(questions(h)).toHaveLength(1);

    // Discord Dana is someone new to Heed until staff link the two; then she is the same customer.
    h.clock.advance(10 * DAY);
    const elsewhere = await customerSays(h, 'Hello from Discord', onDiscord);
    expect(
      await slash(h, people.staff, `link discord:${D.customer} slack:${S.customer}`), // Discord's profile is kept
    ).toContain('Linked');
    h.chat.clear();
    await slash(h, people.staff, `resolve #${elsewhere.number} Done`);
    expect(questions(h)).toHaveLength(0);
    const profile = await h.heed.customers.find({ platform: 'discord', id: D.customer });
    expect(profile?.npsAskedAt).toBe(h.clock.now() - 10 * DAY);

    // 90 days after the ask (80 from now), her next resolution asks again, wherever she wrote.
    h.clock.advance(80 * DAY);
    const later = await customerSays(h, 'Back again', onDiscord);
    await slash(h, people.staff, `resolve #${later.number} Done`);
    expect(questions(h)).toMatchObject([{ platform: 'discord', to: D.customerChannel }]);
  });

  it('asks once when two of the customer’s issues resolve at the same moment', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
    const a = await customerSays(h, 'Export fails');
    const b = await customerSays(h, 'Import fails too', onDiscord);
    await slash(h, people.staff, `link slack:${S.customer} discord:${D.customer}`);
    await Promise.all([
      slash(h, people.staff, `resolve #${a.number} Fixed`),
      slash(h, people.staff2, `resolve #${b.number} Fixed`),
    ]);
    expect(questions(h)).toHaveLength(1);
    const asked = (await h.heed.issues.getMany([a.id, b.id])).filter((issue) =>
      issue?.history.some((e) => e.kind === 'nps-asked'),
    );
    expect(asked).toHaveLength(1);
  });

  it('does not ask when an issue is closed for silence; the next resolution she is there for does', async () => {
    const h = await startSatisfaction({
      config: testConfig({
        nps: { after: '1 resolved issue' },
        stale: { nudgeAfter: '9h', closeAfter: '18h' },
      }),
    });
    await h.say('The CSV export fails');
    const opened = (await h.heed.findIssue('#1'))!;
    await h.heed.claim(opened, { platform: 'slack', id: S.staff });
    await h.say('Could you send me the file?', { thread: opened.conversation.thread!, author: S.staff });
    // 18 business hours of silence (Monday 10:00 → Wednesday 10:00, office hours) and a bit.
    await h.elapse(2 * DAY + HOUR);
    expect((await h.issue(opened.id)).resolution).toBe('No reply from the customer');
    expect(h.chat.find(QUESTION)).toHaveLength(0);
    expect((await h.heed.customers.find({ platform: 'slack', id: S.customer }))?.npsAskedAt).toBeUndefined();

    const next = await h.resolved('Fixed the export');
    expect(h.chat.find(QUESTION)).toMatchObject([{ op: 'reply', to: next.conversation.channel }]);
  });

  it('keeps the question owed when it could not be sent: the next pass asks it once, and no resolution asks again', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
    const first = await customerSays(h, 'Export fails');
    h.chat.failWith = new Error('Slack is down');
    await slash(h, people.staff, `resolve #${first.number} Fixed`);
    h.chat.failWith = undefined;
    const askedAt = h.clock.now();
    expect((await h.heed.issues.get(first.id))?.status).toBe('resolved');
    expect(questions(h)).toHaveLength(0);
    expect((await h.heed.customers.find({ platform: 'slack', id: S.customer }))?.npsAskedAt).toBe(askedAt);

    // The next outbox pass sends it, with its buttons and without a note about Heed's interruption.
    h.clock.advance(MINUTE);
    await h.heed.scheduler.tick();
    expect(questions(h)).toHaveLength(1);
    expect(questions(h)[0]!.plain).not.toContain('Sent late');
    expect(questions(h)[0]!.message.actions?.length).toBeGreaterThan(0);
    h.clock.advance(MINUTE);
    await h.heed.scheduler.tick();
    expect(questions(h)).toHaveLength(1);

    // Asked, so the next resolution within 90 days does not ask again.
    h.clock.advance(DAY);
    const second = await customerSays(h, 'Import fails');
    await slash(h, people.staff, `resolve #${second.number} Fixed`);
    expect(questions(h)).toHaveLength(1);
  });

  it('stores the mark on the profile only with the question: a refused write leaves her due, and the next resolution asks', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: '1 resolved issue' } }) });
    const first = await customerSays(h, 'Export fails');
    // The store refuses the question's outbox row (a full disk, say), and nothing else.
    await sql
      .raw(
        `create trigger refuse before insert on outbox when new.kind = 'nps' begin select raise(abort, 'disk says no'); end`,
      )
      .execute(h.store.db);
    await slash(h, people.staff, `resolve #${first.number} Fixed`);
    expect((await h.heed.issues.get(first.id))?.status).toBe('resolved');
    expect((await h.heed.issues.get(first.id))?.history.some((e) => e.kind === 'nps-asked')).toBe(false);
    expect((await h.heed.customers.find({ platform: 'slack', id: S.customer }))?.npsAskedAt).toBeUndefined();
    expect(questions(h)).toHaveLength(0);

    await sql`drop trigger refuse`.execute(h.store.db);
    h.clock.advance(DAY);
    const second = await customerSays(h, 'Import fails');
    await slash(h, people.staff, `resolve #${second.number} Fixed`);
    expect(questions(h)).toHaveLength(1);
    expect((await h.heed.customers.find({ platform: 'slack', id: S.customer }))?.npsAskedAt).toBe(
      h.clock.now(),
    );
  });

  it('with `every`, asks at the first resolution and again once that long has passed', async () => {
    const h = await startHarness({ config: testConfig({ nps: { after: 'every 120d' } }) });
    const resolveOne = async (text: string) => {
      const issue = await customerSays(h, text);
      h.chat.clear();
      await slash(h, people.staff, `resolve #${issue.number} Done`);
      return questions(h).length;
    };
    expect(await resolveOne('First')).toBe(1);
    h.clock.advance(100 * DAY); // past the 90 days, not yet 120
    expect(await resolveOne('Second')).toBe(0);
    h.clock.advance(20 * DAY);
    expect(await resolveOne('Third')).toBe(1);
  });
});
