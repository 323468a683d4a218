/**
 * Makes SQLite commits durable without holding up the event loop. Under `synchronous=FULL` SQLite flushes
 * the write-ahead log inside `COMMIT`, and better-sqlite3 runs `COMMIT` on the main thread: every fsync
 * stalls every request for its length (a fifth of Heed's busy time under load). Instead the connection
 * runs with `synchronous=NORMAL` (a commit only appends to the WAL; SQLite itself still syncs before and
 * after each checkpoint) and Heed flushes the WAL file here, on libuv's thread pool, before it tells
 * anyone a change is stored. A commit is acknowledged only once a flush that started after it finished,
 * so what Heed acknowledges survives power loss as under `FULL`. The log is written in order, so one
 * flush covers every commit before it: flushes that are asked for while one is running share the next.
 */
import { close, fdatasync, open } from 'node:fs';

export class WalFlusher {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** Flushes run, for benchmarks and tests. */
  flushes = 0;

  /** `walPath`: the database file's name with `-wal`, which SQLite keeps while a connection is open. */
  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before the call is on disk. */
  flush(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // The running flush may have started before this commit was written: wait for the one after it.
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  /** Closes the file once the last flush is done. */
  async close(): Promise<void> {
    await this.next?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    return this.flush();
  }

  // One flush runs at a time (see flush), so the file is opened once; a plain descriptor and the
  // callback API, the least work on the main thread per flush.
  private sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      const flush = (fd: number) =>
        fdatasync(fd, (error) => {
          if (error) return reject(error);
          this.flushes += 1;
          resolve();
        });
      if (this.fd !== undefined) return flush(this.fd);
      open(this.walPath, 'r', (error, fd) => {
        // No log yet means nothing was committed to one; the next flush looks again.
        if (error) return error.code === 'ENOENT' ? resolve() : reject(error);
        this.fd = fd;
        flush(fd);
      });
    });
  }
}
