import type { RouteMatcher } from './types.ts';

/** Options for an injected 429. */
export interface RateLimitOptions {
  /** Route template (`POST /channels/:id/messages`), concrete `METHOD /path`, or RegExp; omitted = any route. */
  route?: RouteMatcher;
  times: number;
  retryAfterSeconds: number;
  global?: boolean;
  /** `X-RateLimit-Scope`; defaults to `global` for global limits, else `user`. */
  scope?: 'user' | 'shared' | 'global';
}

/** Options for an injected HTTP failure. */
export interface FailHttpOptions {
  route?: RouteMatcher;
  status: number;
  times: number;
  /** JSON error body; defaults to a Discord-style `{ message, code }`. */
  body?: unknown;
}

/** An injected fault that applies to the next matching requests. */
export type Fault =
  | ({ kind: 'rate-limit'; remaining: number } & RateLimitOptions)
  | ({ kind: 'fail'; remaining: number } & FailHttpOptions);

function matches(matcher: RouteMatcher | undefined, route: string, concrete: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === route || matcher === concrete;
  return matcher.test(route) || matcher.test(concrete);
}

/** Queue of injected faults, consumed in insertion order. */
export class FaultQueue {
  private faults: Fault[] = [];

  /** Adds a 429 fault. */
  rateLimit(options: RateLimitOptions): void {
    this.faults.push({ kind: 'rate-limit', remaining: options.times, ...options });
  }

  /** Adds an HTTP failure fault. */
  fail(options: FailHttpOptions): void {
    this.faults.push({ kind: 'fail', remaining: options.times, ...options });
  }

  /** Removes every pending fault. */
  clear(): void {
    this.faults = [];
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(route: string, concrete: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f.route, route, concrete));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }
}
