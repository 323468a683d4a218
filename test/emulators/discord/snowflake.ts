const DISCORD_EPOCH = 1420070400000n;

let lastMs = 0n;
let increment = 0n;

/** Creates a Discord snowflake for the current time; ids are unique and increasing within the process. */
export function snowflake(at: number = Date.now()): string {
  let ms = BigInt(at) - DISCORD_EPOCH;
  if (ms < lastMs) ms = lastMs;
  if (ms === lastMs) {
    increment = (increment + 1n) & 0xfffn;
    // The 12-bit increment wrapped within one millisecond: borrow the next millisecond.
    if (increment === 0n) ms += 1n;
  } else {
    increment = 0n;
  }
  lastMs = ms;
  return ((ms << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
}

/** The creation time (ms since the Unix epoch) encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
