const DISCORD_EPOCH = 1420070400000n;

/**
 * Makes Discord snowflakes, `(ms since 2015 << 22) | worker << 17 | process << 12 | increment`, from
 * a clock. Ids are unique and strictly increasing: when the clock stands still they count up the 12-bit
 * increment, when it goes back they keep the last millisecond. Factories with different worker ids
 * never collide.
 */
export class SnowflakeFactory {
  private lastMs = -1n;
  private increment = 0n;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly worker = 1n,
  ) {}

  /** The next id, for the factory's current time. */
  next(): string {
    let ms = BigInt(Math.floor(this.now())) - DISCORD_EPOCH;
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.increment = (this.increment + 1n) & 0xfffn;
      // The 12-bit increment wrapped within one millisecond: borrow the next millisecond.
      if (this.increment === 0n) ms += 1n;
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (this.worker << 17n) | (1n << 12n) | this.increment).toString();
  }
}

const shared = new SnowflakeFactory();

/** A snowflake for the current wall-clock time (ids that no emulator clock governs: commands, interactions). */
export function snowflake(): string {
  return shared.next();
}

/** The creation time (ms since the Unix epoch) encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake of a moment: `after` it are the messages created at or after that time. */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.floor(ms)) - DISCORD_EPOCH) << 22n).toString();
}
