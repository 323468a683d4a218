interface Waiter<T> {
  readonly matches: (entry: T) => boolean;
  readonly resolve: (entry: T) => void;
}

/**
 * An append-only list of what an emulator received, with a way for tests to wait for an entry that
 * has arrived already or will arrive soon. Shared by the Slack and Discord emulators.
 */
export class RecordedLog<T> {
  readonly entries: T[] = [];
  private waiters: Waiter<T>[] = [];

  /** Appends an entry and wakes the waiters it satisfies. */
  add(entry: T): void {
    this.entries.push(entry);
    const remaining: Waiter<T>[] = [];
    for (const waiter of this.waiters) {
      if (waiter.matches(entry)) waiter.resolve(entry);
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  clear(): void {
    this.entries.length = 0;
  }

  /**
   * The first entry (past or future) that `matches`; rejects after `timeoutMs` with a message built by
   * `describeMiss` from everything seen so far.
   */
  waitFor(
    matches: (entry: T) => boolean,
    timeoutMs: number,
    describeMiss: (seen: readonly T[]) => string,
  ): Promise<T> {
    const existing = this.entries.find(matches);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(describeMiss(this.entries)));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
