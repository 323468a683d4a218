/**
 * Shared mode's building blocks against the machine's PostgreSQL: two stores opened on one schema, each
 * with its coordination, stand for two Heed instances.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordination } from '../../src/coordination/coordination.ts';
import { LeaseKeeper } from '../../src/coordination/lease.ts';
import { postgresCoordination } from '../../src/coordination/postgres-coordination.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';

interface Instance {
  readonly coordination: Coordination;
  readonly database: HeedDatabase;
}

const opened: Instance[] = [];
const schemas: string[] = [];

afterEach(async () => {
  for (const { coordination, database } of opened.splice(0)) {
    await coordination.close();
    await database.close();
  }
  await Promise.all(schemas.splice(0).map(dropPostgresSchema));
});

async function pair(
  options: { lockTtlMs?: number; dueClaimMs?: number; now?: () => number } = {},
): Promise<[Instance, Instance]> {
  const schema = testSchema('coordination');
  schemas.push(schema);
  const open = async (): Promise<Instance> => {
    const database = await openDatabase(postgresStoreUrl(schema));
    const coordination = postgresCoordination({ database, logger: silentLogger(), ...options });
    const instance = { coordination, database };
    opened.push(instance);
    return instance;
  };
  const first = await open();
  return [first, await open()];
}

/** An issue row with only what the due queue reads filled in meaningfully. */
async function issueDueAt(database: HeedDatabase, n: number, at: number | null): Promise<void> {
  await database.change((trx) =>
    trx
      .insertInto('issues')
      .values({
        id: `issue-${n}`,
        number: n,
        status: 'active',
        priority: 'normal',
        team: 'support',
        owner: null,
        customer: '{}',
        opened_at: 0,
        updated_at: 0,
        next_alert_at: at,
        revision: 1,
        body: '{}',
      })
      .execute(),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL coordination (shared mode)', () => {
  it('lets one instance at a time into a lock, across instances', async () => {
    const [a, b] = await pair();
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const enter = (who: Instance, name: string) =>
      who.coordination.locks.run('conversation-1', async (held) => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(5);
        await held.assertHeld();
        order.push(name);
        inside -= 1;
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => enter(i % 2 ? a : b, `w${i}`)));
    expect(most).toBe(1);
    expect(order).toHaveLength(20);
  });

  it('refuses a write fenced by a lock that lapsed and went to another instance', async () => {
    const [a, b] = await pair({ lockTtlMs: 150 });
    let stolen = false;
    const slow = a.coordination.locks.run('conversation-2', async (held) => {
      await sleep(300);
      await held.assertHeld();
    });
    await sleep(200);
    await b.coordination.locks.run('conversation-2', async () => {
      stolen = true;
    });
    await expect(slow).rejects.toMatchObject({ code: 'LOCK_LOST' });
    expect(stolen).toBe(true);
  });

  it('hands each claim to one caller only, until it lapses or is released', async () => {
    const [a, b] = await pair();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).coordination.claimOnce('x', 200)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    await sleep(250);
    expect(await b.coordination.claimOnce('x', 200)).toBe(true);
    await b.coordination.releaseClaim('x');
    expect(await a.coordination.claimOnce('x', 200)).toBe(true);
  });

  it('tells a retry on another instance whether a delivery was stored, is in flight, or failed', async () => {
    const [a, b] = await pair();
    const deliveriesA = a.coordination.deliveries!;
    const deliveriesB = b.coordination.deliveries!;
    expect(await deliveriesA.begin('Ev1')).toBe('run');
    expect(await deliveriesB.begin('Ev1')).toBe('busy');
    await deliveriesA.settle('Ev1', true);
    expect(await deliveriesB.begin('Ev1')).toBe('done');
    expect(await deliveriesA.begin('Ev2')).toBe('run');
    await deliveriesA.settle('Ev2', false);
    expect(await deliveriesB.begin('Ev2')).toBe('run');
  });

  it('gives each due issue to one instance, skipping what another holds, and returns a dead instance’s claims after they lapse', async () => {
    let clock = 1_000;
    const [a, b] = await pair({ dueClaimMs: 200, now: () => clock });
    for (let i = 1; i <= 40; i += 1) await issueDueAt(a.database, i, 1_000 + i);
    await issueDueAt(a.database, 41, 10_000);
    await issueDueAt(a.database, 42, null);
    expect(await b.coordination.due.peek()).toBe(1_001);
    // A takes what is due by 1,020; B, a moment later, gets the rest and nothing A holds.
    const fromA = await a.coordination.due.takeDue(1_020);
    const fromB = await b.coordination.due.takeDue(1_100);
    const ids = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `issue-${from + i}`).sort();
    expect([...fromA].sort()).toEqual(ids(1, 20));
    expect([...fromB].sort()).toEqual(ids(21, 40));
    // Both shares are held: nothing is due for anyone until they are finished or lapse.
    clock = 1_150;
    expect(await a.coordination.due.takeDue(1_150)).toEqual([]);
    expect(await a.coordination.due.peek()).toBe(10_000);
    // A finishes its share (its alerts were recorded, so their rows moved on); B "dies" holding its own.
    await a.coordination.due.finish(fromA);
    await a.database.change((trx) =>
      trx.updateTable('issues').set({ next_alert_at: 20_000 }).where('id', 'in', fromA).execute(),
    );
    expect(await a.coordination.due.takeDue(1_150)).toEqual([]);
    // Claims lapse on the schedulers' clock: at 5,000 those taken at 1,100 (for 200 ms) have lapsed.
    const reclaimed = await a.coordination.due.takeDue(5_000);
    expect(reclaimed.sort()).toEqual([...fromB].sort());
    expect(await b.coordination.due.takeDue(5_000)).toEqual([]);
    // B cannot release what A now holds.
    await b.coordination.due.finish(reclaimed);
    expect(await b.coordination.due.takeDue(5_000)).toEqual([]);
  });

  it('never gives one due issue to two instances claiming at the same moment', async () => {
    const [a, b] = await pair();
    for (let i = 1; i <= 200; i += 1) await issueDueAt(a.database, i, 1_000 + i);
    const takes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).coordination.due.takeDue(5_000)),
    );
    const all = takes.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
  });

  it('keeps a lease with one holder, renews it, and lets another take over with a higher fence', async () => {
    const [{ coordination: a }, { coordination: b }] = await pair();
    const first = await a.leases.acquire('gw', 'A', 300);
    expect(first).toBeTypeOf('number');
    expect(await b.leases.acquire('gw', 'B', 300)).toBeUndefined();
    expect(await a.leases.renew('gw', 'A', first!, 300)).toBe(true);
    await sleep(400);
    const second = await b.leases.acquire('gw', 'B', 300);
    expect(second).toBeGreaterThan(first!);
    expect(await a.leases.renew('gw', 'A', first!, 300)).toBe(false);
    await b.leases.release('gw', 'B', second!);
    expect(await a.leases.acquire('gw', 'A', 300)).toBeGreaterThan(second!);
  });

  it('moves the work a lease guards to the other keeper when the holder stops or dies', async () => {
    const [a, b] = await pair();
    const running: string[] = [];
    const keeper = (who: Instance, name: string) =>
      new LeaseKeeper({
        backend: who.coordination.leases,
        name: 'gateway',
        holder: name,
        ttlMs: 400,
        intervalMs: 100,
        onAcquired: async () => {
          running.push(name);
        },
        onLost: async () => {
          running.splice(running.indexOf(name), 1);
        },
        logger: silentLogger(),
      });
    const ka = keeper(a, 'A');
    const kb = keeper(b, 'B');
    ka.start();
    await sleep(150);
    kb.start();
    await sleep(300);
    expect(running).toEqual(['A']);
    expect(ka.held).toBe(true);
    expect(kb.held).toBe(false);
    // A graceful stop releases at once.
    await ka.stop();
    await sleep(250);
    expect(running).toEqual(['B']);
    // B "dies" (its connections go): A takes over after the TTL.
    const fenceB = kb.fence!;
    await b.database.close();
    const kc = keeper(a, 'C');
    kc.start();
    for (let waited = 0; waited < 3_000 && !kc.held; waited += 50) await sleep(50);
    expect(kc.held).toBe(true);
    expect(kc.fence).toBeGreaterThan(fenceB);
    await kc.stop();
    await kb.stop();
  });

  it('tells the other instances about changed summaries, and not itself', async () => {
    const [{ coordination: a }, { coordination: b }] = await pair();
    const heard: unknown[] = [];
    await b.onAnnouncement(
      (change) => heard.push(change),
      () => {},
    );
    await a.onAnnouncement(
      () => heard.push('echo'),
      () => {},
    );
    a.announce({ id: 'i1', summary: { id: 'i1' } });
    a.announce({ id: 'i2' });
    for (let waited = 0; waited < 2_000 && heard.length < 2; waited += 20) await sleep(20);
    await sleep(50);
    expect(heard).toEqual([{ id: 'i1', summary: { id: 'i1' } }, { id: 'i2' }]);
  });

  it('keeps announcements within one store: another schema on the same server hears nothing', async () => {
    const [{ coordination: a }] = await pair();
    const [{ coordination: other }] = await pair();
    const heard: unknown[] = [];
    await other.onAnnouncement(
      (change) => heard.push(change),
      () => {},
    );
    a.announce({ id: 'i1' });
    await sleep(300);
    expect(heard).toEqual([]);
  });
});
