/** Slack message timestamps (`"1763900000.000100"`): seconds, a dot, six digits of microseconds. */
const TS = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** A ts (or a Unix time in seconds, as `oldest`/`latest` accept) in microseconds; undefined when malformed. */
export function tsToMicros(value: string): bigint | undefined {
  const match = TS.exec(value.trim());
  if (!match) return undefined;
  const [, seconds = '0', fraction = ''] = match;
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/** Formats microseconds as a ts, always with six fraction digits. */
export function microsToTs(micros: bigint): string {
  const fraction = String(micros % 1_000_000n).padStart(6, '0');
  return `${micros / 1_000_000n}.${fraction}`;
}

/** Orders two ts values (malformed ones sort first). */
export function compareTs(a: string, b: string): number {
  const left = tsToMicros(a) ?? -1n;
  const right = tsToMicros(b) ?? -1n;
  return left < right ? -1 : left > right ? 1 : 0;
}
