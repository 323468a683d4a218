/**
 * How Slack limits `chat.postMessage` (docs.slack.dev, "Rate limits", checked 2026): a Special tier,
 * "generally allows posting one message per second per channel, while also maintaining a workspace-wide
 * limit"; "Posting messages: 1 per second. Short bursts >1 allowed." Slack does not say how long a burst
 * may be; the emulator lets a channel post `burst` messages at once and gives back `perSecond` a second
 * (a token bucket per channel). The workspace-wide limit is not modelled.
 */
export interface PostRateLimitOptions {
  /** Posts a channel may make at once, after being quiet (default 4). */
  burst?: number;
  /** Posts a channel regains each second (default 1). */
  perSecond?: number;
}

export const POST_RATE_LIMIT_DEFAULTS = { burst: 4, perSecond: 1 } as const;

/** The methods limited per channel. */
export const PER_CHANNEL_METHODS = ['chat.postMessage'] as const;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per channel for `chat.postMessage`. Calls answered 429 take no token. Runs on real time
 * (not the emulator's `now` option): clients wait real seconds on `Retry-After`, and a test's frozen clock
 * would otherwise never give a token back.
 */
export class ChannelPostLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(
    options: PostRateLimitOptions | false | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst =
      options === false ? Number.POSITIVE_INFINITY : (options?.burst ?? POST_RATE_LIMIT_DEFAULTS.burst);
    this.perSecond = options === false ? 1 : (options?.perSecond ?? POST_RATE_LIMIT_DEFAULTS.perSecond);
    if (!(this.burst >= 1) || !(this.perSecond > 0)) {
      throw new Error('postRateLimit needs burst >= 1 and perSecond > 0 (or false to switch it off)');
    }
  }

  /** Whether the limit applies at all (false when the emulator was started with `postRateLimit: false`). */
  get enabled(): boolean {
    return this.burst !== Number.POSITIVE_INFINITY;
  }

  /** Takes a token for a post in `channel`, or answers the seconds to wait (Retry-After) when it has none. */
  take(method: string, channel: string | undefined): number | undefined {
    if (!this.enabled || channel === undefined) return undefined;
    if (!(PER_CHANNEL_METHODS as readonly string[]).includes(method)) return undefined;
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    // Slack's Retry-After is whole seconds: the wait for the next token, rounded up.
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  /** Fills every channel's bucket again. */
  reset(): void {
    this.buckets.clear();
  }
}
