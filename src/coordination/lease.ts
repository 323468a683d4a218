import type { Logger } from '../logging/logger.ts';

/** Where a lease lives: one holder at a time, each taking with a fencing token larger than the last. */
export interface LeaseBackend {
  /** Takes the lease when it is free; resolves to the new fencing token, or undefined when held. */
  acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the lease while `holder#fence` still holds it; false when it was lost. */
  renew(name: string, holder: string, fence: number, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string, fence: number): Promise<void>;
}

export interface LeaseKeeperOptions {
  readonly backend: LeaseBackend;
  readonly name: string;
  readonly holder: string;
  /** How long the lease lasts without renewal (the takeover time after a crash). */
  readonly ttlMs: number;
  /** How often the holder renews, and others try to take it. */
  readonly intervalMs: number;
  /** Called when this instance took the lease (start the work it guards). */
  readonly onAcquired: (fence: number) => Promise<void>;
  /** Called when the lease was lost or given up (stop the work at once). */
  readonly onLost: (fence: number) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Keeps a lease: tries to take it every interval, renews it while held, and hands over when it cannot
 * renew (Redis gone, or the lease expired and another instance took it with a higher fence). The holder
 * counts itself as holding only while its last renewal is younger than the TTL, so two instances never
 * believe they hold it at once for longer than the clock drift between them.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private current: { fence: number; renewedAt: number } | undefined;
  private running = false;
  private busy: Promise<void> = Promise.resolve();
  /** The guarded work starting up (a gateway login), while renewals go on beside it. */
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** The fencing token while this instance holds the lease. */
  get fence(): number | undefined {
    const current = this.current;
    if (!current || Date.now() - current.renewedAt >= this.options.ttlMs) return undefined;
    return current.fence;
  }

  get held(): boolean {
    return this.fence !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops keeping the lease and releases it, so another instance takes over at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
    // A start that hangs (a gateway that never answers) must not hold up the shutdown for long.
    await Promise.race([
      this.starting,
      new Promise((resolve) => setTimeout(resolve, this.options.ttlMs).unref?.()),
    ]);
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    await this.options.onLost(current.fence).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'lease holder did not stop cleanly');
    });
    await this.options.backend
      .release(this.options.name, this.options.holder, current.fence)
      .catch(() => undefined);
    this.options.logger.info({ lease: this.options.name, fence: current.fence }, 'lease released');
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.busy = this.step().finally(() => this.schedule(this.options.intervalMs));
    }, delay);
    this.timer.unref?.();
  }

  private async step(): Promise<void> {
    const { backend, name, holder, ttlMs, logger } = this.options;
    const current = this.current;
    if (current) {
      const renewed = await backend.renew(name, holder, current.fence, ttlMs).catch((error: unknown) => {
        logger.warn({ err: error, lease: name }, 'could not renew the lease');
        return Date.now() - current.renewedAt < ttlMs ? undefined : false;
      });
      if (renewed === true) current.renewedAt = Date.now();
      if (renewed !== false) return;
      this.current = undefined;
      logger.warn({ lease: name, fence: current.fence }, 'lease lost; stopping the work it guards');
      await this.starting;
      await this.options.onLost(current.fence).catch((error: unknown) => {
        logger.warn({ err: error }, 'lease holder did not stop cleanly');
      });
      return;
    }
    const fence = await backend.acquire(name, holder, ttlMs).catch((error: unknown) => {
      logger.debug({ err: error, lease: name }, 'could not try the lease');
      return undefined;
    });
    if (fence === undefined || !this.running) return;
    this.current = { fence, renewedAt: Date.now() };
    logger.info({ lease: name, fence }, 'lease taken');
    // Not awaited: a slow start (a gateway login) must not keep the lease from being renewed.
    this.starting = this.options.onAcquired(fence).catch(async (error: unknown) => {
      logger.error({ err: error, lease: name }, 'could not start the work the lease guards; giving it up');
      if (this.current?.fence !== fence) return;
      this.current = undefined;
      await this.options.onLost(fence).catch(() => undefined);
      await backend.release(name, holder, fence).catch(() => undefined);
    });
  }
}
