import { type Kysely, sql, type Transaction } from 'kysely';

/** A unit of change: database work only (no chat, no timers), run inside a transaction. */
export type ChangeWork<DB, T> = (trx: Transaction<DB>) => Promise<T>;

interface Pending<DB> {
  readonly work: ChangeWork<DB, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** The most changes one transaction carries, so one slow batch cannot grow without bound. */
const MAX_BATCH = 256;
/**
 * A change that arrives within this long of the last commit finds the store busy: it waits until the
 * event loop has read what else has arrived (one `setImmediate`) so those changes share its transaction.
 */
const BUSY_WINDOW_MS = 10;

/**
 * Group commit for a single-connection database (SQLite): changes that arrive while a transaction is
 * open or being flushed wait and then share the next one, so a burst of events costs one flush instead
 * of one each. better-sqlite3 is synchronous, so a transaction never yields to I/O: changes queue behind
 * it only if the start of a transaction waits for them. A lone change at low load starts its transaction
 * at once; under load (a commit finished less than {@link BUSY_WINDOW_MS} ago) the next transaction
 * starts after the event loop has handled the requests already read, and, with `durable`, after the
 * last commit's flush, so a burst costs one commit. Each change of a shared transaction runs inside its
 * own savepoint, so one that fails is rolled back alone and the others still commit. Transactions never
 * overlap, which is also what keeps them safe on one connection.
 */
export class GroupCommit<DB> {
  private queue: Pending<DB>[] = [];
  private running = false;
  private lastCommitEnded = Number.NEGATIVE_INFINITY;
  /** Committed batches waiting for their flush, and the newest one's flush (settled or not). */
  private flushing = 0;
  private flushed: Promise<void> = Promise.resolve();
  /** Transactions committed and the changes in them that committed, for benchmarks and metrics. */
  readonly stats = { transactions: 0, changes: 0 };

  /**
   * `durable`, when given, resolves once everything committed so far is on disk (see `wal-flusher.ts`):
   * a change is acknowledged only after it, and the next transaction starts after it too, gathering what
   * arrived meanwhile.
   */
  constructor(
    private readonly writer: Kysely<DB>,
    private readonly durable?: () => Promise<void>,
  ) {}

  run<T>(work: ChangeWork<DB, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.running) return;
      this.running = true;
      if (performance.now() - this.lastCommitEnded < BUSY_WINDOW_MS) setImmediate(() => void this.drain());
      else void this.drain();
    });
  }

  /** Resolves once nothing is queued, running or waiting for its flush. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.flushing > 0)
      await new Promise((resolve) => setImmediate(resolve));
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // While the last commit is being flushed, what arrives waits to share the next transaction.
        if (this.flushing > 0) await this.flushed;
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.commit(batch);
        this.lastCommitEnded = performance.now();
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: readonly Pending<DB>[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.writer.transaction().execute(async (trx) => {
        if (batch.length === 1) {
          // Alone: the transaction itself is the savepoint.
          outcomes.push({ ok: true, value: await batch[0]!.work(trx) });
          return;
        }
        for (const item of batch) {
          await sql`savepoint heed_change`.execute(trx);
          try {
            const value = await item.work(trx);
            await sql`release savepoint heed_change`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint heed_change`.execute(trx);
            await sql`release savepoint heed_change`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error) or a lone change threw: nothing was stored.
      for (const item of batch) item.reject(error);
      return;
    }
    this.stats.transactions += 1;
    this.stats.changes += outcomes.filter((outcome) => outcome.ok).length;
    const settle = (flushFailed?: { error: unknown }) =>
      batch.forEach((item, index) => {
        const outcome = outcomes[index]!;
        if (!outcome.ok) item.reject(outcome.error);
        else if (flushFailed) item.reject(flushFailed.error);
        else item.resolve(outcome.value);
      });
    if (!this.durable) return settle();
    // Not awaited here: drain() waits for it before the next batch, so what arrives meanwhile joins it.
    this.flushing += 1;
    this.flushed = this.durable()
      .then(
        () => settle(),
        (error: unknown) => settle({ error }),
      )
      .finally(() => {
        this.flushing -= 1;
      });
  }
}
