/**
 * The right to be forgotten, as a conversation through the core: Dana writes on Slack and Discord, staff
 * answer, note and resolve, she rates and edits; a manager forgets her. Afterwards no table holds her ids,
 * name, e-mail or words (every column of every table is searched), while her issues and their ledger stay.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import type { Issue } from '../../src/domain/issue.ts';
import type { LedgerEvent } from '../../src/domain/ledger.ts';
import type { HeedDatabase } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/database.ts';
import { buildTranscript, transcriptMarkdown } from '../../src/transcripts/transcript.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { slashAs } from '../support/conversation.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { scanStore } from '../support/store-scan.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const D = IDS.discord;

/** What Dana wrote and is: none of it may be left after she is forgotten. */
const DANA = {
  name: 'Dana Pierce',
  email: 'dana.pierce@bigco.example',
  first: 'Our quarterly export to the warehouse fails with error 500',
  edited: 'Our quarterly export to the warehouse fails with error 503 since Monday',
  second: 'Still broken from the Discord side, the invoice run stalls too',
  comment: 'Took far too long to hear back',
  file: 'pierce-invoice-march.pdf',
};

async function danaStory(h: Harness): Promise<{ first: Issue; second: Issue; lee: Issue }> {
  const opened = await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    messageId: '1764000000.000100',
    text: DANA.first,
    at: h.clock.now(),
    author: { id: S.customer, name: DANA.name, email: DANA.email },
    files: [
      { name: DANA.file, url: 'https://files.example/pierce-invoice-march.pdf', type: 'application/pdf' },
    ],
  });
  if (opened.kind !== 'opened') throw new Error('expected an issue');
  const thread = opened.issue.conversation.thread;
  h.clock.advance(60_000);
  await h.heed.messageChanged({
    kind: 'edited',
    platform: 'slack',
    channel: S.customerChannel,
    messageId: '1764000000.000100',
    text: DANA.edited,
    at: h.clock.now(),
  });
  h.clock.advance(4 * 60_000);
  await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    thread,
    messageId: '1764000000.000200',
    text: 'Hi Dana, looking at the export now.',
    at: h.clock.now(),
    author: { id: S.staff, name: 'Alex' },
  });
  await slashAs(h, S.staff, `note <@${S.customer}> Prefers e-mail; Dana Pierce runs finance at BigCo`);
  await slashAs(h, S.staff, `note #${opened.issue.number} Dana Pierce asked for a call`);
  h.clock.advance(5 * 60_000);
  await slashAs(h, S.staff, `resolve #${opened.issue.number} Rebuilt the export for Dana`);
  await runAction(h.heed, {
    person: { platform: 'slack', id: S.customer },
    action: 'rate-down',
    issueId: opened.issue.id,
    fields: { comment: DANA.comment },
  });
  // The same person on Discord, linked by staff, opens a second issue.
  await slashAs(h, S.staff, `link <@${S.customer}> discord:${D.customer}`);
  h.clock.advance(60 * 60_000);
  const second = await h.heed.handleMessage({
    platform: 'discord',
    channel: D.customerChannel,
    messageId: '1700000000000000101',
    text: DANA.second,
    at: h.clock.now(),
    author: { id: D.customer, name: 'dana_p' },
  });
  if (second.kind !== 'opened') throw new Error('expected a second issue');
  // Someone else, whose issue mentions her.
  const lee = await h.heed.handleMessage({
    platform: 'slack',
    channel: S.customerChannel,
    messageId: '1764000000.000900',
    text: 'Our SSO login loops back to the start page',
    at: h.clock.now(),
    author: { id: 'U0LEE0001', name: 'Lee Moreau' },
  });
  if (lee.kind !== 'opened') throw new Error('expected Lee’s issue');
  await slashAs(h, S.staff, `note #${lee.issue.number} Lee works with Dana Pierce at BigCo`);
  return {
    first: (await h.heed.issues.get(opened.issue.id))!,
    second: (await h.heed.issues.get(second.issue.id))!,
    lee: (await h.heed.issues.get(lee.issue.id))!,
  };
}

/** Everything that names Dana (the profile id too: it is derived from her Slack id). */
function danaTerms(first: Issue): string[] {
  return [
    S.customer,
    D.customer,
    DANA.name,
    'Pierce',
    'dana_p',
    DANA.email,
    DANA.first,
    DANA.edited,
    DANA.second,
    DANA.comment,
    DANA.file,
    first.customer.profileId!,
  ];
}

async function ledgerOf(store: HeedDatabase, issueId: string) {
  return store.db
    .selectFrom('ledger')
    .select(['seq', 'id', 'kind', 'at', 'actor', 'event'])
    .where('issue_id', '=', issueId)
    .orderBy('seq')
    .execute();
}

async function forgetStory(store: HeedDatabase, schema?: string): Promise<void> {
  const h = await startHarness({ config: testConfig(), store });
  const { first, second, lee } = await danaStory(h);
  const terms = danaTerms(first);
  // The search can fail: before, Dana is everywhere.
  const before = await scanStore(store, terms, schema);
  const where = new Set(before.found.map((f) => `${f.table}.${f.column}`));
  for (const place of [
    'issues.body',
    'issues.customer',
    'ledger.event',
    'ledger.actor',
    'customers.body',
    'customer_identities.identity',
    'customer_emails.email',
    'customer_notes.note',
    'people.name',
    'outbox.message',
  ]) {
    expect(where, place).toContain(place);
  }
  for (const term of terms)
    expect(
      before.found.map((f) => f.term),
      term,
    ).toContain(term);
  const ledgerBefore = await ledgerOf(store, first.id);

  // Staff may not; a manager sees what goes, then confirms.
  expect(await slashAs(h, S.staff, `forget <@${S.customer}>`)).toContain('is for managers');
  const preview = await slashAs(h, S.manager, `forget <@${S.customer}>`);
  expect(preview).toContain('removes their profile (2 identities, 1 e-mail, 1 note)');
  expect(preview).toContain(`on #${first.number}, #${second.number}`);
  expect(preview).toContain(`/heed forget slack:${S.customer} confirm`);
  expect((await scanStore(store, terms, schema)).found.length).toBe(before.found.length);
  const done = await slashAs(h, S.manager, `forget slack:${S.customer} confirm`);
  expect(done).toContain(`Forgotten: \`slack:${S.customer}\``);

  const after = await scanStore(store, terms, schema);
  expect(after.tables.length).toBeGreaterThanOrEqual(15);
  expect(after.found, JSON.stringify(after.found.slice(0, 3), null, 1)).toEqual([]);

  // Her issues and their ledger stay: every event keeps its id, kind and time; one more says who forgot.
  const ledgerAfter = await ledgerOf(store, first.id);
  expect(ledgerAfter.slice(0, ledgerBefore.length).map((r) => [r.seq, r.id, r.kind, r.at])).toEqual(
    ledgerBefore.map((r) => [r.seq, r.id, r.kind, r.at]),
  );
  const forgotten = JSON.parse(ledgerAfter.at(-1)!.event) as LedgerEvent;
  expect(forgotten).toMatchObject({ kind: 'forgotten', actor: { platform: 'slack', id: S.manager } });
  const pseudonym = String(forgotten.data?.pseudonym);
  expect(pseudonym).toMatch(/^forgotten-[0-9a-f]{12}$/);
  const anonymous = (await h.heed.issues.get(first.id))!;
  expect(anonymous.customer).toMatchObject({ platform: 'slack', id: pseudonym, profileId: pseudonym });
  expect(anonymous.customer.name).toBeUndefined();
  expect(anonymous.status).toBe(first.status);
  expect(anonymous.history.filter((e) => e.actor.id === pseudonym).map((e) => e.kind)).toEqual(
    expect.arrayContaining(['opened', 'edited', 'rated']),
  );
  // Staff words stay, without her in them; the customer's words are gone.
  expect(anonymous.resolution).toBe('Rebuilt the export for [forgotten]');
  expect(anonymous.notes.map((n) => n.text)).toEqual(['[forgotten] asked for a call']);
  const md = transcriptMarkdown(buildTranscript(anonymous, h.heed.config));
  expect(md).toContain('Hi [forgotten], looking at the export now.');
  expect(md).toContain('resolved');
  expect(md).toContain('> (removed: the customer was forgotten)');
  const other = (await h.heed.issues.get(second.id))!;
  expect(other.customer).toMatchObject({ platform: 'discord', id: pseudonym });
  // Lee keeps his issue and his words; only her name left his issue's note.
  const leeAfter = (await h.heed.issues.get(lee.id))!;
  expect(leeAfter.customer).toMatchObject({ id: 'U0LEE0001', name: 'Lee Moreau' });
  expect(leeAfter.subject).toBe('Our SSO login loops back to the start page');
  expect(leeAfter.notes.map((n) => n.text)).toEqual(['Lee works with [forgotten] at BigCo']);

  // Nothing left to forget; a new message from her starts a new, unlinked profile.
  expect(await slashAs(h, S.manager, `forget <@${S.customer}>`)).toContain('Heed holds nothing about');
  expect(await slashAs(h, S.staff, `customer <@${S.customer}>`)).toContain('I have no profile');
}

describe('forgetting a customer', () => {
  it('leaves no trace of them in any table, on SQLite, and keeps their issues and ledger anonymised', async () => {
    const store = await openDatabase('memory://');
    await forgetStory(store);
    await store.close();
  });

  it('leaves no trace of them in any table on PostgreSQL either', async () => {
    const schema = testSchema('forget');
    const store = await openDatabase(postgresStoreUrl(schema));
    try {
      await forgetStory(store, schema);
    } finally {
      await store.close();
      await dropPostgresSchema(schema);
    }
  });

  it('is refused for a teammate and explains an unknown person', async () => {
    const h = await startHarness({ config: testConfig() });
    expect(await slashAs(h, S.manager, `forget <@${S.staff}>`)).toContain('is on the support team');
    expect(await slashAs(h, S.manager, 'forget slack:U0NOBODY1')).toContain(
      'Heed holds nothing about `slack:U0NOBODY1`',
    );
    expect(await slashAs(h, S.manager, `forget <@${S.customer}> now`)).toContain('confirm');
  });
});
