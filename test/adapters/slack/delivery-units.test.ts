import { describe, expect, it } from 'vitest';
import { ChannelQueue } from '../../../adapters/slack/channel-queue.ts';
import { EventGate } from '../../../adapters/slack/event-gate.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

class RateLimited extends Error {
  constructor(readonly retryAfter: number) {
    super('rate limited');
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('EventGate', () => {
  it('shared mode: a retry on another instance waits for the first, then acks; a failure lets it run', async () => {
    // Two gates stand for two instances; the dedupe they share is what Redis keeps (set-if-absent).
    const states = new Map<string, 'pending' | 'done'>();
    const shared = {
      async begin(id: string) {
        const state = states.get(id);
        if (!state) {
          states.set(id, 'pending');
          return 'run' as const;
        }
        return state === 'done' ? ('done' as const) : ('busy' as const);
      },
      async settle(id: string, stored: boolean) {
        if (stored) states.set(id, 'done');
        else states.delete(id);
      },
    };
    const a = new EventGate({ shared, sharedWaitMs: 1_000 });
    const b = new EventGate({ shared, sharedWaitMs: 300 });
    const slow = deferred();
    let runsOnB = 0;
    const runOnB = async () => {
      runsOnB += 1;
    };
    const first = a.handle('Ev1', () => slow.promise);
    // In flight on A for longer than B waits: B asks Slack to retry later, and does not run it.
    expect(await b.handle('Ev1', runOnB)).toMatchObject({
      ok: false,
      duplicate: true,
    });
    slow.resolve();
    expect(await first).toEqual({ ok: true, duplicate: false });
    // Stored on A: B acknowledges without running it.
    expect(await b.handle('Ev1', runOnB)).toEqual({ ok: true, duplicate: true });
    expect(runsOnB).toBe(0);
    // A delivery that failed on A is run again by B's retry.
    expect(await a.handle('Ev2', async () => Promise.reject(new Error('store down')))).toMatchObject({
      ok: false,
    });
    expect(await b.handle('Ev2', runOnB)).toEqual({ ok: true, duplicate: false });
    expect(runsOnB).toBe(1);
  });

  it('runs an event id once; later deliveries are answered from the first outcome', async () => {
    const gate = new EventGate();
    let runs = 0;
    const work = async () => {
      runs += 1;
    };
    expect(await gate.handle('Ev1', work)).toEqual({ ok: true, duplicate: false });
    expect(await gate.handle('Ev1', work)).toEqual({ ok: true, duplicate: true });
    expect(runs).toBe(1);
  });

  it('answers as soon as the work signals the message is stored, and shares that with retries in flight', async () => {
    const gate = new EventGate();
    const stillSending = deferred();
    const first = gate.handle('Ev2', async (signal) => {
      signal.stored();
      await stillSending.promise;
    });
    expect(await first).toEqual({ ok: true, duplicate: false });
    expect(await gate.handle('Ev2', async () => undefined)).toEqual({ ok: true, duplicate: true });
    stillSending.resolve();
  });

  it('forgets an id whose work failed before storing, so the redelivery runs it again', async () => {
    const gate = new EventGate();
    const failing = await gate.handle('Ev3', async () => {
      throw new Error('store down');
    });
    expect(failing).toMatchObject({ ok: false, duplicate: false });
    let ran = false;
    expect(
      await gate.handle('Ev3', async () => {
        ran = true;
      }),
    ).toEqual({ ok: true, duplicate: false });
    expect(ran).toBe(true);
  });

  it('expires ids after the TTL and caps how many it keeps', async () => {
    let now = 1_000_000;
    const gate = new EventGate({ ttlMs: 1_000, maxEntries: 2, now: () => now });
    await gate.handle('a', async () => undefined);
    await gate.handle('b', async () => undefined);
    await gate.handle('c', async () => undefined);
    expect(gate.size).toBe(2);
    now = 1_001_500;
    expect(gate.size).toBe(0);
  });
});

describe('ChannelQueue', () => {
  const queue = (maxAttempts = 3, waits: number[] = []) =>
    new ChannelQueue({
      logger: silentLogger(),
      retryAfterOf: (error) => (error instanceof RateLimited ? error.retryAfter : undefined),
      maxAttempts,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

  it('runs one call per channel at a time, in order', async () => {
    const q = queue();
    const log: string[] = [];
    const gate = deferred();
    const first = q.run('C1', 'call', async () => {
      log.push('C1 first starts');
      await gate.promise;
      log.push('C1 first ends');
    });
    const second = q.run('C1', 'call', async () => {
      log.push('C1 second');
    });
    const other = q.run('C2', 'call', async () => {
      log.push('C2');
    });
    await other;
    expect(q.depthOf('C1')).toBe(2);
    gate.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(['C1 first starts', 'C2', 'C1 first ends', 'C1 second']);
    expect(q.depth).toBe(0);
  });

  it('retries a rate-limited call after Retry-After and gives up after the bounded attempts', async () => {
    const waits: number[] = [];
    const q = queue(3, waits);
    let calls = 0;
    expect(
      await q.run('C1', 'call', async () => {
        calls += 1;
        if (calls < 3) throw new RateLimited(2);
        return 'sent';
      }),
    ).toBe('sent');
    expect(waits.every((ms) => ms > 1_000 && ms <= 2_000)).toBe(true);
    await expect(
      q.run('C1', 'call', async () => {
        throw new RateLimited(1);
      }),
    ).rejects.toBeInstanceOf(RateLimited);
    await expect(
      q.run('C1', 'call', async () => {
        throw new Error('not_in_channel');
      }),
    ).rejects.toThrow('not_in_channel');
    await q.idle();
  });
});
