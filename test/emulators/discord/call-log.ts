import { RecordedLog } from '../shared/recorded-log.ts';
import type { RecordedCall, RouteMatcher } from './types.ts';

/** Whether a call matches a route template string or a RegExp (tested on template and concrete path). */
export function callMatches(call: RecordedCall, matcher: RouteMatcher): boolean {
  if (typeof matcher === 'string') return call.route === matcher || `${call.method} ${call.path}` === matcher;
  return matcher.test(call.route) || matcher.test(`${call.method} ${call.path}`);
}

/** The list of REST calls with wait helpers. */
export class CallLog {
  private readonly log = new RecordedLog<RecordedCall>();
  readonly calls: RecordedCall[] = this.log.entries;

  /** Appends a call and wakes matching waiters. */
  record(call: RecordedCall): void {
    this.log.add(call);
  }

  /** Calls matching a route. */
  callsTo(matcher: RouteMatcher): RecordedCall[] {
    return this.calls.filter((call) => callMatches(call, matcher));
  }

  /** Forgets recorded calls. */
  clear(): void {
    this.log.clear();
  }

  /**
   * The first call (already recorded or future) matching the route and predicate; rejects after
   * the timeout. Use `clear()` or a predicate to skip earlier calls.
   */
  waitFor(
    matcher: RouteMatcher,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.log.waitFor(
      (call) => callMatches(call, matcher) && predicate(call),
      timeoutMs,
      (seen) =>
        `discord emulator: no call to ${String(matcher)} within ${timeoutMs} ms (calls: ${seen.map((c) => `${c.route} -> ${c.status}`).join(', ') || 'none'})`,
    );
  }
}
