import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Random upper-case alphanumeric string, like the tail of Slack ids. */
export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Hands out ids with a prefix (`Ev`, `V`, ...) that are unique for the lifetime of the process. */
export class IdFactory {
  private readonly seen = new Set<string>();

  next(prefix: string, length = 10): string {
    for (;;) {
      const id = `${prefix}${randomAlnum(length)}`;
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/**
 * Message timestamps ("1763900000.000100"): unique and strictly increasing, taken from the emulator's
 * clock (wall time by default). When the clock stands still or goes back, each ts is the last one plus
 * 100 µs, so the order of posting is always the order of ts.
 */
export class TsClock {
  private lastMicros = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    let micros = Math.floor(this.now()) * 1000;
    if (micros <= this.lastMicros) micros = this.lastMicros + 100;
    this.lastMicros = micros;
    return formatTs(micros);
  }
}

function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${seconds}.${fraction}`;
}

/** A trigger id in Slack's shape (`<digits>.<digits>.<hex>`). */
export function makeTriggerId(): string {
  const hex = Array.from({ length: 32 }, () => randomInt(16).toString(16)).join('');
  return `${Date.now()}.${randomInt(1_000_000_000, 9_999_999_999)}.${hex}`;
}
