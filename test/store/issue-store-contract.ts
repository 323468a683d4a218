import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IssueRepository } from '../../src/core/issue-repository.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { claim } from '../../src/domain/lifecycle.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { EMPTY_SLA } from '../../src/sla/sla-state.ts';
import type { HeedDatabase } from '../../src/store/database.ts';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
const STAFF = Array.from({ length: 50 }, (_, i) => `U0STAFF${String(i).padStart(2, '0')}`);

/** A new issue as intake builds it, before the repository stamps its ledger. */
function draft(number: number, at: number, thread = `${at / 1000}.${number}`): { issue: Issue; events: [] } {
  return {
    issue: {
      v: 1,
      id: `slack-C0CUST01-${thread}`,
      number,
      status: 'new',
      priority: 'normal',
      team: 'support',
      customer: { platform: 'slack', id: `U0C${number}`, name: `Customer ${number} – Ünïcødé 😤` },
      conversation: { platform: 'slack', channel: 'C0CUST01', thread },
      subject: `Question ${number}`,
      openedAt: at,
      updatedAt: at,
      lastCustomerMessageAt: at,
      notes: [],
      seenMessages: [thread],
      messages: [],
      revision: 0,
      sla: { ...EMPTY_SLA, nextAlertAt: at + HOUR },
      history: [],
    },
    events: [],
  };
}

const opened = (number: number, at: number, thread?: string) => (n: number) => {
  const built = draft(n, at, thread);
  return {
    issue: built.issue,
    events: [{ kind: 'opened' as const, actor: { platform: 'slack' as const, id: `U0C${number}` } }],
  };
};

function staffActor(id: string) {
  return {
    user: { platform: 'slack' as const, id },
    access: { staffOf: new Set(['support']), managerOf: new Set<string>() },
  };
}

/** A store for one test: `open` opens a handle on it (again after a close, as after a restart). */
export interface TestStore {
  open(): Promise<HeedDatabase>;
  drop(): Promise<void>;
}

/**
 * What every backend must do for issues: one transaction per change, ledger rows appended, numbers
 * unique and gapless, one winner among concurrent changes. With `sharedWriters` (PostgreSQL) a second
 * handle stands for a second instance; SQLite has one writer per file, so its second repository shares
 * the handle.
 */
export function runIssueStoreContract(
  name: string,
  newStore: () => Promise<TestStore>,
  options: { sharedWriters: boolean },
): void {
  describe(`issue store contract: ${name}`, () => {
    let store: TestStore;
    let handles: HeedDatabase[] = [];
    let database: HeedDatabase;
    let issues: IssueRepository;
    /** Another writer on the same store: a second instance where the backend allows one. */
    const connect = async () => {
      if (!options.sharedWriters) return database;
      const handle = await store.open();
      handles.push(handle);
      return handle;
    };

    beforeEach(async () => {
      store = await newStore();
      database = await store.open();
      handles.push(database);
      issues = new IssueRepository(database, silentLogger());
    });

    afterEach(async () => {
      await Promise.all(handles.map((handle) => handle.close()));
      handles = [];
      await store.drop();
    });

    it('creates an issue in one transaction: row, ledger, thread and seen message, read back equal', async () => {
      const { issue, events } = await issues.create(opened(1, T0));
      expect(issue.number).toBe(1);
      expect(events.map((event) => event.kind)).toEqual(['opened']);
      expect(await issues.get(issue.id)).toEqual(issue);
      expect(await issues.getByNumber(1)).toEqual(issue);
      expect(await issues.getByConversation(issue.conversation)).toEqual(issue);
      expect(await issues.lastIssueNumber()).toBe(1);
      const seen = await database.db.selectFrom('seen_messages').selectAll().execute();
      expect(seen).toEqual([
        {
          platform: 'slack',
          channel: 'C0CUST01',
          message_id: issue.conversation.thread,
          issue_id: issue.id,
          at: T0,
        },
      ]);
      const row = await database.db
        .selectFrom('issues')
        .select(['next_alert_at', 'status'])
        .executeTakeFirst();
      expect(row).toEqual({ next_alert_at: T0 + HOUR, status: 'new' });
    });

    it('appends ledger rows on update, bumps the revision, and leaves the store untouched on a refusal', async () => {
      const { issue } = await issues.create(opened(1, T0));
      const saved = await issues.update(issue.id, (current) =>
        claim(current, staffActor(STAFF[0]!), T0 + 60_000),
      );
      expect('issue' in saved && saved.issue.owner).toEqual({ platform: 'slack', id: STAFF[0] });
      const refused = await issues.update(issue.id, (current) =>
        claim(current, staffActor(STAFF[1]!), T0 + 120_000),
      );
      expect(refused).toMatchObject({ ok: false, code: 'owned-by-other' });
      const stored = (await issues.get(issue.id))!;
      expect(stored.revision).toBe(2);
      expect(stored.history.map((event) => event.kind)).toEqual(['opened', 'claimed']);
      const ledger = await database.db
        .selectFrom('ledger')
        .select(['kind', 'actor'])
        .orderBy('seq')
        .execute();
      expect(ledger).toEqual([
        { kind: 'opened', actor: 'slack:U0C1' },
        { kind: 'claimed', actor: `slack:${STAFF[0]}` },
      ]);
    });

    it('attaches chat references over the revision it saw, and over a newer one when another writer came first', async () => {
      const { issue } = await issues.create(opened(1, T0));
      const ack = { platform: 'slack' as const, channel: 'C0CUST01', id: '1.1' };
      const attached = await issues.attach(issue, { acknowledgement: ack });
      expect(attached.revision).toBe(2);
      expect(await issues.get(issue.id)).toEqual(attached);
      // Another instance claims it; a card reference attached over the older revision keeps the claim.
      const other = new IssueRepository(await connect(), silentLogger());
      await other.update(issue.id, (current) => claim(current, staffActor(STAFF[0]!), T0 + 60_000));
      const card = { platform: 'slack' as const, channel: 'C0TEAM01', id: '2.2' };
      const late = await issues.attach(attached, { card });
      const stored = (await issues.get(issue.id))!;
      expect(stored).toEqual(late);
      expect(stored).toMatchObject({ revision: 4, acknowledgement: ack, card, status: 'claimed' });
      expect(stored.history.map((event) => event.kind)).toEqual(['opened', 'claimed']);
    });

    it('gives exactly one winner among 50 concurrent claims from two connections', async () => {
      const { issue } = await issues.create(opened(1, T0));
      const other = new IssueRepository(await connect(), silentLogger());
      const results = await Promise.all(
        STAFF.map((id, i) =>
          (i % 2 ? other : issues).update(issue.id, (current) => claim(current, staffActor(id), T0 + 1_000)),
        ),
      );
      const winners = results.filter((result) => 'issue' in result);
      expect(winners).toHaveLength(1);
      const owner = (winners[0] as { issue: Issue }).issue.owner!.id;
      for (const result of results.filter((r) => !('issue' in r))) {
        expect(result).toMatchObject({ ok: false, code: 'owned-by-other' });
      }
      const stored = (await issues.get(issue.id))!;
      expect(stored.owner?.id).toBe(owner);
      expect(stored.history.filter((event) => event.kind === 'claimed')).toHaveLength(1);
    });

    it('numbers concurrent creates 1..n without duplicates or gaps, and a failed create leaves no gap', async () => {
      const other = new IssueRepository(await connect(), silentLogger());
      const created = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? other : issues).create(opened(i, T0 + i, `t${i}`))),
      );
      expect(created.map((saved) => saved.issue.number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      await expect(
        issues.create(() => {
          throw new Error('build failed');
        }),
      ).rejects.toThrow('build failed');
      expect((await issues.create(opened(41, T0, 't41'))).issue.number).toBe(41);
    });

    it('refuses a second issue for the same customer message (unique key)', async () => {
      await issues.create(opened(1, T0, 'same'));
      await expect(issues.create(opened(2, T0, 'same'))).rejects.toThrow();
      expect(await issues.lastIssueNumber()).toBe(1);
    });

    it('lists what reports need of the issues with ledger events in a period, each with its whole ledger', async () => {
      const early = await issues.create(opened(1, T0, 'a'));
      const late = await issues.create(opened(2, T0 + 48 * HOUR, 'b'));
      await issues.update(early.issue.id, (current) => claim(current, staffActor(STAFF[0]!), T0 + 49 * HOUR));
      const day2 = await issues.reportIssuesBetween(T0 + 47 * HOUR, T0 + 50 * HOUR);
      expect(day2.map((issue) => issue.id)).toEqual([early.issue.id, late.issue.id].sort());
      expect(day2.find((issue) => issue.id === early.issue.id)).toMatchObject({
        team: 'support',
        openedAt: T0,
        customer: { id: 'U0C1' },
        sla: { clocks: {} },
      });
      expect(day2.find((issue) => issue.id === early.issue.id)!.history.map((event) => event.kind)).toEqual([
        'opened',
        'claimed',
      ]);
      const clock = { gen: 0, calendar: 'always', targetMs: HOUR, startedAt: T0, elapsedMs: 0, shiftMs: 0 };
      const tracked = await issues.create((n) => {
        const built = opened(3, T0 + 48 * HOUR, 'c')(n);
        return {
          ...built,
          issue: { ...built.issue, sla: { ...built.issue.sla, clocks: { nextResponse: clock } } },
        };
      });
      const withClock = await issues.reportIssuesBetween(T0 + 47 * HOUR, T0 + 50 * HOUR);
      expect(withClock.find((issue) => issue.id === tracked.issue.id)?.sla).toEqual({
        clocks: { nextResponse: true },
      });
      const day1 = await issues.reportIssuesBetween(T0, T0 + HOUR);
      expect(day1.map((issue) => issue.id)).toEqual([early.issue.id]);
      expect(await issues.reportIssuesBetween(T0 + 100 * HOUR, T0 + 101 * HOUR)).toEqual([]);
      expect(late.issue.number).toBe(2);
    });

    it('loads the summaries of not-yet-closed issues on a new handle, as after a restart', async () => {
      await issues.create(opened(1, T0, 'a'));
      const second = await issues.create(opened(2, T0, 'b'));
      await issues.update(second.issue.id, (current) => ({
        ok: true,
        issue: { ...current, status: 'closed', closedAt: T0 + 1, updatedAt: T0 + 1 },
        events: [{ kind: 'closed', actor: { platform: 'heed', id: 'heed' } }],
      }));
      await database.close();
      database = await store.open();
      handles.push(database);
      const restarted = new IssueRepository(database, silentLogger());
      expect(await restarted.load()).toBe(1);
      expect(restarted.listOpen().map((summary) => summary.number)).toEqual([1]);
      expect(restarted.listOpen()[0]).toMatchObject({ nextAlertAt: T0 + HOUR, customer: { id: 'U0C1' } });
    });

    it('bulk-imports issues with their ledgers and moves the numbering past them', async () => {
      const built = Array.from({ length: 1_200 }, (_, i) => {
        const { issue } = draft(i + 1, T0 + i, `bulk${i}`);
        return {
          ...issue,
          revision: 1,
          history: [
            {
              id: `${issue.id}.1.0`,
              at: issue.openedAt,
              kind: 'opened' as const,
              issueId: issue.id,
              issueNumber: issue.number,
              team: 'support',
              platform: 'slack' as const,
              actor: { platform: 'slack' as const, id: issue.customer.id },
            },
          ],
        };
      });
      await issues.bulkImport(built);
      expect(await issues.lastIssueNumber()).toBe(1_200);
      expect((await issues.getByNumber(777))?.history).toHaveLength(1);
      // Missing ids are skipped; the rest come back in id order ('…bulk1100' sorts before '…bulk5').
      expect((await issues.getMany([built[5]!.id, 'nope', built[1_100]!.id])).map((i) => i.number)).toEqual([
        1101, 6,
      ]);
      expect((await issues.create(opened(0, T0, 'after'))).issue.number).toBe(1_201);
    });

    it('refuses a damaged row by naming the issue, and keeps serving the others', async () => {
      const broken = await issues.create(opened(1, T0, 'a'));
      await issues.create(opened(2, T0, 'b'));
      await database.change((trx) =>
        trx.updateTable('issues').set({ body: '{"v":1,"id":' }).where('id', '=', broken.issue.id).execute(),
      );
      await expect(issues.getByNumber(1)).rejects.toMatchObject({
        code: 'STORE_RECORD_INVALID',
        message: expect.stringContaining(broken.issue.id),
      });
      expect((await issues.getByNumber(2))?.subject).toBe('Question 2');
    });
  });
}
