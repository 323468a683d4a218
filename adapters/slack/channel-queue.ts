import type { Logger } from '../../src/logging/logger.ts';

/** Tells the queue how long a failed call asks to wait (seconds), or undefined when it is not a rate limit. */
export type RetryAfterOf = (error: unknown) => number | undefined;

export interface ChannelQueueOptions {
  readonly logger: Logger;
  readonly retryAfterOf: RetryAfterOf;
  /** Attempts per call, the first included, before a rate-limited call is given up (default 5). */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

interface Lane {
  tail: Promise<void>;
  size: number;
  pausedUntil: number;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Outbound calls grouped per channel: one call in flight per channel, in order. A rate-limited call
 * pauses only its own channel for the `Retry-After` it was given and is retried (a bounded number of
 * times); other channels keep flowing.
 */
export class ChannelQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ChannelQueueOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** Calls waiting or in flight, over all channels. */
  get depth(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.size;
    return total;
  }

  /** Calls waiting or in flight for one channel. */
  depthOf(channel: string): number {
    return this.lanes.get(channel)?.size ?? 0;
  }

  /** Runs `call` after every earlier call for `channel` has finished. */
  run<T>(channel: string, what: string, call: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { tail: Promise.resolve(), size: 0, pausedUntil: 0 };
      this.lanes.set(channel, lane);
    }
    const current = lane;
    current.size += 1;
    const result = current.tail.then(() => this.attempt(current, channel, what, call));
    current.tail = result.then(
      () => this.settled(channel, current),
      () => this.settled(channel, current),
    );
    return result;
  }

  /** Resolves once no call is waiting or in flight. */
  idle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(channel: string, lane: Lane): void {
    lane.size -= 1;
    if (lane.size > 0 || this.lanes.get(channel) !== lane) return;
    this.lanes.delete(channel);
    if (this.lanes.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async attempt<T>(lane: Lane, channel: string, what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const wait = lane.pausedUntil - this.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await call();
      } catch (error) {
        const retryAfter = this.options.retryAfterOf(error);
        if (retryAfter === undefined) throw error;
        const pauseMs = Math.max(250, retryAfter * 1000);
        lane.pausedUntil = this.now() + pauseMs;
        if (attempt >= this.maxAttempts) {
          this.options.logger.error(
            { channel, call: what, attempts: attempt, retryAfter },
            'Slack kept rate-limiting this channel; gave the message up',
          );
          throw error;
        }
        this.options.logger.warn(
          { channel, call: what, attempt, retryAfter, waiting: lane.size - 1 },
          'Slack rate-limited this channel; pausing it only',
        );
      }
    }
  }
}
