import { tsToMicros } from './timestamps.ts';

// Slack's own cursors for these methods decode to `next_ts:<ts without its dot>`: the one in the
// conversations.history reference, `bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz`, is base64 of
// `next_ts:1512085861000543`. The ts named is the first message of the next page.
const PREFIX = 'next_ts:';
const DECODED = /^next_ts:(\d{1,20})$/;

/** The opaque cursor pointing at the message with this ts (the first one of the next page). */
export function encodeCursor(ts: string): string {
  const micros = tsToMicros(ts);
  if (micros === undefined) throw new Error(`slack emulator: cannot make a cursor from ts ${ts}`);
  return Buffer.from(`${PREFIX}${micros}`).toString('base64');
}

/** The position (microseconds) a cursor names, or undefined when it is not one this API issued. */
export function decodeCursor(cursor: string): bigint | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return undefined;
  const match = DECODED.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] !== undefined ? BigInt(match[1]) : undefined;
}
