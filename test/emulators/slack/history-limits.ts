/**
 * How Slack limits `conversations.history` and `conversations.replies` (docs.slack.dev, the methods'
 * reference pages and "Rate limits", checked 2026): internal and Marketplace apps get Tier 3 ("50+ per
 * minute", per method, per workspace, per app); a commercially distributed app outside the Marketplace
 * (new apps and installs since 29 May 2025, existing installs since 3 March 2026) gets 1 request per
 * minute, and `limit` defaults to and is capped at 15.
 */
export type AppDistribution = 'internal' | 'non-marketplace';

/** Options of the history methods (the `history` option of the Slack emulator). */
export interface HistoryOptions {
  /** Which of Slack's two regimes applies (default `internal`: Tier 3). */
  distribution?: AppDistribution;
  /** Calls allowed per method in each window, instead of the regime's 50 or 1 (`Infinity`: no limit). */
  callsPerWindow?: number;
  /** The rate-limit window in ms (default 60 000, Slack's minute); shorten it so tests need not wait. */
  windowMs?: number;
  /**
   * Whether `conversations.replies` repeats the parent message first on every page (default true).
   * Slack's reference does not say; integrators report that it does, one review bot says later pages
   * omit it, so tests can check Heed copes either way.
   */
  repliesParentOnEveryPage?: boolean;
}

/** Default and maximum of `limit` for one method. */
export interface PageLimits {
  default: number;
  max: number;
}

/** What the history handlers need to know. */
export interface HistorySettings {
  history: PageLimits;
  replies: PageLimits;
  repliesParentOnEveryPage: boolean;
}

/** The methods these limits govern. */
export const HISTORY_METHODS = ['conversations.history', 'conversations.replies'] as const;

const TIER_3_PER_MINUTE = 50;
const NON_MARKETPLACE = { perMinute: 1, page: { default: 15, max: 15 } };

/** Page limits for a distribution: conversations.history 100 by default, at most 999; replies 1000. */
export function historySettings(options: HistoryOptions = {}): HistorySettings {
  const strict = options.distribution === 'non-marketplace';
  return {
    history: strict ? NON_MARKETPLACE.page : { default: 100, max: 999 },
    replies: strict ? NON_MARKETPLACE.page : { default: 1000, max: 1000 },
    repliesParentOnEveryPage: options.repliesParentOnEveryPage ?? true,
  };
}

/**
 * Counts calls per method over a sliding window, as Slack's per-method tiers do; calls answered 429
 * do not count. Methods without a limit pass freely.
 */
export class MethodRateLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly limits: ReadonlyMap<string, number>;
  private readonly windowMs: number;

  constructor(
    options: HistoryOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    const perMinute =
      options.distribution === 'non-marketplace' ? NON_MARKETPLACE.perMinute : TIER_3_PER_MINUTE;
    const allowed = options.callsPerWindow ?? perMinute;
    this.limits = new Map(HISTORY_METHODS.map((method) => [method, allowed]));
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Records a call, or answers the seconds to wait (Retry-After) when the method is over its limit. */
  take(method: string): number | undefined {
    const allowed = this.limits.get(method);
    if (allowed === undefined || allowed === Number.POSITIVE_INFINITY) return undefined;
    const now = this.now();
    const recent = (this.calls.get(method) ?? []).filter((at) => now - at < this.windowMs);
    this.calls.set(method, recent);
    if (recent.length >= allowed) {
      const freedAt = (recent[0] ?? now) + this.windowMs;
      return Math.max(1, Math.ceil((freedAt - now) / 1000));
    }
    recent.push(now);
    return undefined;
  }

  /** Forgets every call (a fresh window for each method). */
  reset(): void {
    this.calls.clear();
  }
}
