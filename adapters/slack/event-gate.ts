import { LRUCache } from 'lru-cache';
import type { DeliveryDedupe } from '../../src/coordination/coordination.ts';

/** Handed to the listener through Bolt's context: call `stored()` once the message is safely persisted. */
export interface DeliverySignal {
  stored(): void;
}

/** The context key under which the receivers pass the {@link DeliverySignal}. */
export const DELIVERY_SIGNAL_KEY = 'heedDelivery';

/** When to answer Slack: `ok` (2xx, or an ack in Socket Mode) or not (Slack retries). */
export type AckOutcome =
  | { readonly ok: true; readonly duplicate: boolean }
  | { readonly ok: false; readonly duplicate: boolean; readonly error: unknown };

interface Entry {
  readonly ack: Promise<{ ok: true } | { ok: false; error: unknown }>;
}

export interface EventGateOptions {
  /** How long a processed `event_id` is remembered (default 10 minutes; Slack retries within ~5). */
  readonly ttlMs?: number;
  /** Upper bound of remembered ids, so a flood cannot grow memory without limit. */
  readonly maxEntries?: number;
  readonly now?: () => number;
  /** Shared mode: the dedupe all instances share, so a retry landing elsewhere is recognised. */
  readonly shared?: DeliveryDedupe | undefined;
  /** How long a retry waits for another instance's delivery in flight before asking Slack to retry later. */
  readonly sharedWaitMs?: number;
}

/**
 * Persist-before-ack and retry dedupe for Events API deliveries. Each `event_id` runs its work once;
 * the answer to Slack is `ok` as soon as the work says the message is stored (or finishes), and a
 * failure before that answers "not ok" so Slack redelivers. Retries of an id still in flight wait for
 * the same answer; retries of a finished id are answered at once without work. A failed id is
 * forgotten, so the redelivery runs the work again.
 */
export class EventGate {
  private readonly entries: LRUCache<string, Entry>;
  private readonly now: () => number;
  private readonly shared: DeliveryDedupe | undefined;
  private readonly sharedWaitMs: number;

  constructor(options: EventGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.entries = new LRUCache({
      max: options.maxEntries ?? 100_000,
      ttl: options.ttlMs ?? 10 * 60_000,
      perf: { now: this.now },
      // Read the clock on every check (tests move it by hand; lru-cache would otherwise cache it for 1 ms).
      ttlResolution: 0,
    });
    this.shared = options.shared;
    this.sharedWaitMs = options.sharedWaitMs ?? 2_000;
  }

  /** Ids currently remembered (for metrics and tests). */
  get size(): number {
    this.entries.purgeStale();
    return this.entries.size;
  }

  async handle(
    eventId: string | undefined,
    work: (signal: DeliverySignal) => Promise<unknown>,
  ): Promise<AckOutcome> {
    const existing = eventId === undefined ? undefined : this.entries.get(eventId);
    if (existing) {
      const outcome = await existing.ack;
      return { ...outcome, duplicate: true };
    }
    let settle!: (outcome: { ok: true } | { ok: false; error: unknown }) => void;
    let settled = false;
    const ack = new Promise<{ ok: true } | { ok: false; error: unknown }>((resolve) => {
      settle = (outcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
    });
    // Remembered before asking the other instances, so a retry landing here meanwhile waits for this one.
    if (eventId !== undefined) this.entries.set(eventId, { ack });
    if (eventId !== undefined && this.shared) {
      const elsewhere = await this.elsewhere(eventId);
      if (elsewhere) {
        if (!elsewhere.ok) this.entries.delete(eventId);
        settle(elsewhere.ok ? { ok: true } : { ok: false, error: elsewhere.error });
        return elsewhere;
      }
    }
    const signal: DeliverySignal = { stored: () => settle({ ok: true }) };
    work(signal).then(
      () => settle({ ok: true }),
      (error: unknown) => {
        if (!settled && eventId !== undefined) this.entries.delete(eventId);
        settle({ ok: false, error });
      },
    );
    const outcome = await ack;
    if (eventId !== undefined && this.shared) {
      // Best effort: if this write fails, a retry runs the (idempotent) intake again.
      await this.shared.settle(eventId, outcome.ok).catch(() => undefined);
    }
    return { ...outcome, duplicate: false };
  }

  /**
   * Shared mode: claims the id for this instance (undefined: go ahead), or answers for a delivery another
   * instance stored (ok) or still has in flight (not ok after a short wait, so Slack retries later). When
   * the coordination engine is down, answers not ok: nothing is acknowledged that may not be stored.
   */
  private async elsewhere(eventId: string): Promise<AckOutcome | undefined> {
    const shared = this.shared!;
    try {
      const deadline = this.now() + this.sharedWaitMs;
      for (;;) {
        const state = await shared.begin(eventId);
        if (state === 'run') return undefined;
        if (state === 'done') return { ok: true, duplicate: true };
        if (this.now() >= deadline) {
          return { ok: false, duplicate: true, error: new Error('still in flight on another instance') };
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (error) {
      return { ok: false, duplicate: false, error };
    }
  }
}
