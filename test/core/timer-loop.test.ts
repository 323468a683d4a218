import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_SLEEP_MS, TimerLoop } from '../../src/core/timer-loop.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the timer loop that drives the schedulers', () => {
  it('never runs twice at once', async () => {
    let inFlight = 0;
    let most = 0;
    const loop = new TimerLoop({
      work: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return inFlight;
      },
      nextDelay: () => 1_000,
      onError: () => undefined,
    });
    await Promise.all([loop.run(), loop.run(), loop.run()]);
    expect(most).toBe(1);
  });

  it('sleeps at most a minute even for a deadline months away, and backs off after a failure', async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    let fail = false;
    const loop = new TimerLoop({
      work: async () => {
        runs.push(Date.now());
        if (fail) throw new Error('store down');
      },
      nextDelay: () => 90 * 86_400_000, // 90 days: more than setTimeout can wait
      onError: () => 5_000,
    });
    const start = Date.now();
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([start]);
    await vi.advanceTimersByTimeAsync(MAX_SLEEP_MS);
    expect(runs).toEqual([start, start + MAX_SLEEP_MS]);
    fail = true;
    await vi.advanceTimersByTimeAsync(MAX_SLEEP_MS);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs.at(-1)).toBe(start + 2 * MAX_SLEEP_MS + 5_000);
    loop.stop();
    const count = runs.length;
    await vi.advanceTimersByTimeAsync(10 * MAX_SLEEP_MS);
    expect(runs).toHaveLength(count);
  });

  it('stops only after the run in progress has finished, so nothing recorded is left unsent', async () => {
    const done: string[] = [];
    const loop = new TimerLoop({
      work: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        done.push('run');
      },
      nextDelay: () => 1_000,
      onError: () => undefined,
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await loop.stop();
    done.push('stopped');
    expect(done).toEqual(['run', 'stopped']);
  });
});
