/** setTimeout cannot wait longer than 2^31−1 ms; every loop also wakes at least this often. */
export const MAX_SLEEP_MS = 60_000;

export interface TimerLoopOptions<T> {
  /** One run of the work (a scheduler tick). Runs never overlap. */
  readonly work: () => Promise<T>;
  /** How long to sleep before the next run, in ms (capped at {@link MAX_SLEEP_MS}). */
  readonly nextDelay: () => number | Promise<number>;
  /** Told about a failed run; returns how long to wait before trying again (default: the usual delay). */
  readonly onError: (error: unknown) => number | undefined;
}

/**
 * The thin real-time driver shared by Heed's schedulers: runs `work` now and then again after
 * `nextDelay`, never two runs at once, never sleeping longer than a minute (so deadlines months away are
 * safe), and without keeping the process alive.
 */
export class TimerLoop<T> {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<T> | undefined;

  constructor(private readonly options: TimerLoopOptions<T>) {}

  get active(): boolean {
    return !this.stopped;
  }

  /** Runs the work once now, after any run in progress. */
  async run(): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.options.work();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Starts the loop with an immediate first run. */
  start(): void {
    this.stopped = false;
    this.arm(0);
  }

  /** Stops the loop; resolves once a run in progress has finished, so nothing is cut off half-way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Re-plans the next run, e.g. when something became due sooner than the loop was sleeping for. */
  arm(delay?: number): void {
    if (this.stopped) return;
    Promise.resolve(delay ?? this.options.nextDelay())
      .catch(() => MAX_SLEEP_MS)
      .then((ms) => {
        if (this.stopped) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.run().then(
              () => this.arm(),
              (error: unknown) => this.arm(this.options.onError(error)),
            );
          },
          Math.max(0, Math.min(MAX_SLEEP_MS, ms)),
        );
        this.timer.unref?.();
      });
  }
}
