import { createHash } from 'node:crypto';
import type { RestResponse } from './router.ts';

/**
 * Discord's per-route rate limits as the emulator enforces them. What Discord documents (discord/
 * discord-api-docs, developers/topics/rate-limits.mdx): limits are per route and per top-level resource
 * in the path ("if you exceeded a rate limit when calling one endpoint /channels/1234, you could still
 * call another similar endpoint like /channels/9876"); every response carries X-RateLimit-Limit,
 * -Remaining, -Reset (epoch seconds), -Reset-After (seconds, with decimals) and -Bucket ("non-inclusive
 * of top-level resources"); over the limit, HTTP 429 with `Retry-After`, X-RateLimit-Scope (`user` for a
 * bot's own limit) and `{ message: 'You are being rate limited.', retry_after, global: false }`, where
 * `retry_after` has decimals and the header is whole seconds (the docs' example: 65 and 64.57).
 *
 * Discord does not publish the numbers ("rate limits should not be hard coded"). The one modelled is the
 * bucket bots hit most: creating messages, 5 per 5 s per channel, as observed and reported by bot authors
 * (e.g. discord-relay-chat/drc#17 "five in five seconds from observation"; alexemanuelol/rustplusplus#475,
 * discord.js logging "Limit: 5 ... Route: /channels/:id/messages" with waits of about 4.4 s). The window is
 * fixed: it starts with the first request after a reset, as `X-RateLimit-Reset-After` counts down from it.
 */
export interface RouteBucket {
  /** Route template, `METHOD /path/:param`. */
  route: string;
  /** Requests per window. */
  limit: number;
  /** The window, in ms (before `timeScale`). */
  windowMs: number;
  /** The route parameter naming the top-level resource (a channel id). */
  major: string;
}

/** The limited routes. Other routes answer without rate-limit headers and are not limited. */
export const ROUTE_BUCKETS: readonly RouteBucket[] = [
  { route: 'POST /channels/:id/messages', limit: 5, windowMs: 5_000, major: 'id' },
];

/** The emulator's `rateLimits` option. */
export interface RouteLimitOptions {
  /**
   * Multiplies every window (default 1: Discord's 5 s). The counts stay Discord's; `0.1` makes the
   * message bucket 5 per 500 ms, for tests and the demo that post more than five messages into one
   * channel and should not wait real seconds for it. Say why where you use it.
   */
  timeScale?: number;
}

interface Window {
  startedAt: number;
  used: number;
}

/** The outcome for one request: headers to send, and a 429 answer when the bucket is spent. */
export interface BucketDecision {
  headers: Record<string, string>;
  refused?: RestResponse;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Counts requests per (bucket, major parameter) in fixed windows on real time (not the emulator's `now`
 * option: clients wait real time on the headers). A refused request uses nothing.
 */
export class RouteLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly timeScale: number;

  constructor(
    options: RouteLimitOptions = {},
    private readonly clock: () => number = () => performance.now(),
    private readonly epochMs: () => number = () => Date.now(),
  ) {
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new Error('rateLimits.timeScale must be greater than 0');
  }

  /** The bucket of a route template, if it is limited. */
  bucketOf(route: string): RouteBucket | undefined {
    return ROUTE_BUCKETS.find((bucket) => bucket.route === route);
  }

  /** Counts a request to `route` (template) with its path parameters; undefined when not limited. */
  take(route: string, params: Record<string, string>): BucketDecision | undefined {
    const bucket = this.bucketOf(route);
    if (!bucket) return undefined;
    const windowMs = bucket.windowMs * this.timeScale;
    const key = `${bucket.route} ${params[bucket.major] ?? ''}`;
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    const resetAfterMs = Math.max(0, window.startedAt + windowMs - now);
    const refused = window.used >= bucket.limit;
    if (!refused) window.used += 1;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(bucket.limit - window.used),
      'x-ratelimit-reset': seconds(this.epochMs() + resetAfterMs),
      'x-ratelimit-reset-after': seconds(resetAfterMs),
      'x-ratelimit-bucket': bucketHash(bucket.route),
    };
    if (!refused) return { headers };
    const retryAfter = Number(seconds(resetAfterMs));
    return {
      headers,
      refused: {
        status: 429,
        headers: {
          ...headers,
          'retry-after': String(Math.max(1, Math.ceil(retryAfter))),
          'x-ratelimit-scope': 'user',
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      },
    };
  }

  /** Forgets every window (all buckets full again). */
  reset(): void {
    this.windows.clear();
  }
}

/** An opaque bucket id, the same for every channel, as Discord's `X-RateLimit-Bucket`. */
export function bucketHash(route: string): string {
  return createHash('md5').update(route).digest('hex').slice(0, 16);
}
