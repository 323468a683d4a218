import { RecordedLog } from '../shared/recorded-log.ts';
import type { CallRecord } from './types.ts';

type Predicate = (call: CallRecord) => boolean;

/** Records every request the app makes and lets tests wait for one. */
export class CallLog {
  private readonly log = new RecordedLog<CallRecord>();
  readonly records: CallRecord[] = this.log.entries;

  add(record: CallRecord): void {
    this.log.add(record);
  }

  callsTo(method: string): CallRecord[] {
    return this.records.filter((call) => call.method === method);
  }

  clear(): void {
    this.log.clear();
  }

  /** Resolves with the first recorded call (past or future) to `method` that satisfies `predicate`. */
  waitFor(method: string, predicate?: Predicate, timeoutMs = 5000): Promise<CallRecord> {
    return this.log.waitFor(
      (call) => call.method === method && (predicate === undefined || predicate(call)),
      timeoutMs,
      (seen) =>
        `No matching call to ${method} within ${timeoutMs} ms (calls so far: ${seen.map((call) => call.method).join(', ') || 'none'})`,
    );
  }
}
