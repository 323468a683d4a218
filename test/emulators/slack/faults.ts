/** Makes the next matching calls answer HTTP 429 with a `Retry-After` header. */
export interface RateLimitFault {
  /** Web API method (or `response_url`); all methods when omitted. */
  method?: string;
  /** Only calls whose `channel` argument is this. */
  channel?: string;
  times: number;
  retryAfterSeconds: number;
}

/** Makes the next matching calls answer `{ ok: false, error }` with HTTP 200. */
export interface FailNextFault {
  method: string;
  error: string;
  times?: number;
}

/** Makes the next matching calls answer an HTTP error status (e.g. 500, 503). */
export interface FailHttpFault {
  method: string;
  status: number;
  times?: number;
}

/** The answer a fault forces. */
export type FaultOutcome =
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number };

interface Armed {
  method: string | undefined;
  channel: string | undefined;
  remaining: number;
  outcome: FaultOutcome;
}

/** Holds armed faults and consumes them as matching calls arrive (first armed, first used). */
export class FaultInjector {
  private armed: Armed[] = [];

  rateLimit(fault: RateLimitFault): void {
    this.arm(fault.method, fault.channel, fault.times, {
      kind: 'rate_limit',
      retryAfterSeconds: fault.retryAfterSeconds,
    });
  }

  failNext(fault: FailNextFault): void {
    this.arm(fault.method, undefined, fault.times ?? 1, { kind: 'error', error: fault.error });
  }

  failHttp(fault: FailHttpFault): void {
    this.arm(fault.method, undefined, fault.times ?? 1, { kind: 'http', status: fault.status });
  }

  clear(): void {
    this.armed = [];
  }

  /** Consumes one use of the first fault matching this call, if any. */
  take(method: string, args: Record<string, unknown>): FaultOutcome | undefined {
    const fault = this.armed.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method === method) &&
        (f.channel === undefined || f.channel === args.channel),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.armed = this.armed.filter((f) => f.remaining > 0);
    return fault.outcome;
  }

  private arm(method: string | undefined, channel: string | undefined, times: number, outcome: FaultOutcome) {
    this.armed.push({ method, channel, remaining: times, outcome });
  }
}
