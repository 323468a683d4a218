/**
 * Shared mode's building blocks against the real Redis on the machine: two coordination clients stand for
 * two Heed instances.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordination } from '../../src/coordination/coordination.ts';
import { LeaseKeeper } from '../../src/coordination/lease.ts';
import { openRedisCoordination } from '../../src/coordination/redis-coordination.ts';
import { silentLogger } from '../../src/logging/logger.ts';

const REDIS_URL = process.env.HEED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const opened: Coordination[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function pair(
  options: { lockTtlMs?: number; dueClaimMs?: number } = {},
): Promise<[Coordination, Coordination]> {
  const keyPrefix = `heed-test-${randomBytes(4).toString('hex')}:`;
  const open = () => openRedisCoordination({ url: REDIS_URL, keyPrefix, logger: silentLogger(), ...options });
  const both = [await open(), await open()] as [Coordination, Coordination];
  opened.push(...both);
  return both;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis coordination (shared mode)', () => {
  it('lets one instance at a time into a lock, across instances', async () => {
    const [a, b] = await pair();
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const enter = (who: Coordination, name: string) =>
      who.locks.run('issue-1', async (held) => {
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
    const slow = a.locks.run('issue-2', async (held) => {
      await sleep(300);
      await held.assertHeld();
    });
    await sleep(200);
    await b.locks.run('issue-2', async () => {
      stolen = true;
    });
    await expect(slow).rejects.toMatchObject({ code: 'LOCK_LOST' });
    expect(stolen).toBe(true);
  });

  it('hands each claim to one caller only, until it lapses or is released', async () => {
    const [a, b] = await pair();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimOnce('x', 200)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    await sleep(250);
    expect(await b.claimOnce('x', 200)).toBe(true);
    await b.releaseClaim('x');
    expect(await a.claimOnce('x', 200)).toBe(true);
  });

  it('gives each due deadline to one instance, and returns a dead instance’s claims after they lapse', async () => {
    const [a, b] = await pair({ dueClaimMs: 200 });
    for (let i = 0; i < 40; i += 1) (i % 2 ? a : b).due.track(`issue-${i}`, 1_000 + i);
    b.due.track('later', 10_000);
    await sleep(50);
    expect(await a.due.peek()).toBe(1_000);
    const [fromA, fromB] = await Promise.all([a.due.takeDue(1_100), b.due.takeDue(1_100)]);
    expect([...fromA, ...fromB].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `issue-${i}`).sort());
    expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);
    // A finishes its share; B "dies" holding its claims. After they lapse, A gets them.
    await a.due.finish(fromA);
    expect(await a.due.takeDue(1_100)).toEqual([]);
    // Claims lapse on the schedulers' clock: at 5,000 those taken at 1,100 (for 200 ms) have lapsed.
    const reclaimed = await a.due.takeDue(5_000);
    expect(reclaimed.sort()).toEqual([...fromB].sort());
    // Still claimed by A now: B cannot take them.
    expect(await b.due.takeDue(5_000)).toEqual([]);
    expect(await a.due.peek()).toBe(10_000);
  });

  it('keeps a lease with one holder, renews it, and lets another take over with a higher fence', async () => {
    const [a, b] = await pair();
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
    const keeper = (who: Coordination, name: string) =>
      new LeaseKeeper({
        backend: who.leases,
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
    // B "dies" (its Redis connection goes): A takes over after the TTL.
    const fenceB = kb.fence!;
    await b.close();
    const kc = keeper(a, 'C');
    kc.start();
    for (let waited = 0; waited < 3_000 && !kc.held; waited += 50) await sleep(50);
    expect(kc.held).toBe(true);
    expect(kc.fence).toBeGreaterThan(fenceB);
    await kc.stop();
    await kb.stop();
  });

  it('keeps renewing while the guarded work starts slowly, so no second holder appears', async () => {
    const [a, b] = await pair();
    const started: string[] = [];
    const keeper = (who: Coordination, name: string, startMs: number) =>
      new LeaseKeeper({
        backend: who.leases,
        name: 'slow-gateway',
        holder: name,
        ttlMs: 300,
        intervalMs: 100,
        onAcquired: async () => {
          await sleep(startMs);
          started.push(name);
        },
        onLost: async () => {},
        logger: silentLogger(),
      });
    const slow = keeper(a, 'A', 800);
    const other = keeper(b, 'B', 0);
    slow.start();
    await sleep(50);
    other.start();
    await sleep(1_200);
    expect(started).toEqual(['A']);
    expect(other.held).toBe(false);
    await slow.stop();
    await other.stop();
  });

  it('tells the other instances about changed summaries', async () => {
    const [a, b] = await pair();
    const heard: unknown[] = [];
    b.onAnnouncement(
      (change) => heard.push(change),
      () => {},
    );
    a.onAnnouncement(
      () => heard.push('echo'),
      () => {},
    );
    await sleep(100);
    a.announce({ id: 'i1', summary: { id: 'i1' } });
    a.announce({ id: 'i2' });
    for (let waited = 0; waited < 2_000 && heard.length < 2; waited += 20) await sleep(20);
    await sleep(50);
    expect(heard).toEqual([{ id: 'i1', summary: { id: 'i1' } }, { id: 'i2' }]);
  });

  it('answers a friendly error when Redis cannot be reached', async () => {
    await expect(
      openRedisCoordination({ url: 'redis://127.0.0.1:1/0', logger: silentLogger() }),
    ).rejects.toMatchObject({ code: 'COORDINATION_UNREACHABLE' });
  });
});
