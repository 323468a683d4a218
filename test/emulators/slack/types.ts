import type { HistoryOptions } from './history-limits.ts';
import type { PostRateLimitOptions } from './post-limits.ts';

/** A user in the emulated workspace (or, with another `teamId`, an external Slack Connect user). */
export interface SlackEmulatorUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  /** Home team; a value other than the workspace team makes this an external (Slack Connect) user. */
  teamId?: string;
  isBot?: boolean;
}

/** A conversation in the emulated workspace. */
export interface SlackEmulatorChannel {
  id: string;
  name: string;
  /** Slack Connect channel shared with another organisation. */
  isExtShared?: boolean;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Whether the bot is in the channel (default true); false makes `chat.postMessage` fail with `not_in_channel`. */
  isMember?: boolean;
  members?: string[];
}

/** Options of {@link startSlackEmulator}. */
export interface SlackEmulatorOptions {
  signingSecret: string;
  botToken: string;
  /** App-level token (`xapp-...`); enables `apps.connections.open` and Socket Mode. */
  appToken?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  /** Names of the other organisations whose people are here (Slack Connect), for `team.info`. */
  externalTeams?: { id: string; name: string }[];
  botUserId: string;
  botId: string;
  botName?: string;
  apiAppId?: string;
  /** Deprecated verification token Slack still puts in payloads. */
  verificationToken?: string;
  users?: SlackEmulatorUser[];
  channels?: SlackEmulatorChannel[];
  /** Deliver the `message` event of the bot's own posts back to the app, as real Slack does (default false). */
  echoBotMessages?: boolean;
  /** Start in Socket Mode (same as calling `useSocketMode(true)`). */
  socketMode?: boolean;
  /** How long to wait for the app's HTTP response or socket ack (default 10 000 ms). */
  deliveryTimeoutMs?: number;
  /** Expire trigger ids after this many ms, like Slack's 3 s (default: never). */
  triggerTtlMs?: number;
  /** Ping socket clients at this interval, like Slack's servers do (default: no pings). */
  socketPingIntervalMs?: number;
  /**
   * Paging and rate limits of `conversations.history` / `.replies`: Tier 3 (50 calls per method per
   * minute) for an internal app by default; `{ distribution: 'non-marketplace' }` for Slack's 2025 regime
   * (1 per minute, pages of 15); `windowMs` shortens the minute for tests.
   */
  history?: HistoryOptions;
  /**
   * Slack's per-channel limit on `chat.postMessage` ("1 per second, short bursts >1 allowed"): on by
   * default, as a bucket of 4 posts per channel refilled at 1 a second; over it, HTTP 429 with
   * `Retry-After` and `ratelimited`. `false` switches it off, for a benchmark or test that must post
   * hundreds of messages to one channel quickly; say why where you do.
   */
  postRateLimit?: PostRateLimitOptions | false;
  /**
   * Whether the app's Home tab is enabled (App Home → Show Tabs; the manifest's
   * `features.app_home.home_tab_enabled`). Default true, as Heed's manifest sets it; when false,
   * `views.publish` of a home view answers `not_enabled`, as Slack does.
   */
  homeTabEnabled?: boolean;
  /**
   * The emulated Slack's clock (ms since the epoch): message `ts`, `event_time`, rate-limit windows.
   * Defaults to `Date.now`; pass a test's fake clock to post messages "at" chosen times (ts stay
   * strictly increasing even if the clock stands still or goes back).
   */
  now?: () => number;
}

/** One request the app made to the emulator (Web API method or `response_url`). */
export interface CallRecord {
  method: string;
  /** Decoded arguments without the token; JSON-typed fields (`blocks`, `view`...) are parsed. */
  args: Record<string, unknown>;
  at: number;
  ok: boolean;
  error?: string;
  /** HTTP status the emulator answered with. */
  status: number;
  /** Full URL, for `response_url` calls. */
  url?: string;
}

/** A Socket Mode acknowledgement sent by the app. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** What the app answered to a delivery (HTTP response or, in Socket Mode, its ack). */
export interface AppResponse {
  status: number;
  /** Parsed JSON when the app answered JSON, else the raw text (in Socket Mode: the ack payload). */
  body: unknown;
  text: string;
  headers: Record<string, string>;
  elapsedMs: number;
  /** The payload the emulator sent (envelope, command form fields, or interaction payload). */
  sent: Record<string, unknown>;
  /** The raw ack, in Socket Mode. */
  ack?: SocketAck;
}

/** Per-delivery options. */
export interface DeliveryOptions {
  /** Use this `event_id` instead of a fresh one (to replay an event). */
  eventId?: string;
  /** Sets `x-slack-retry-num` (HTTP) or `retry_attempt` (Socket Mode). */
  retryNum?: number;
  /** Sets `x-slack-retry-reason` (HTTP) or `retry_reason` (Socket Mode), e.g. `http_timeout`. */
  retryReason?: string;
  /** Request timestamp in seconds (to send stale or future-dated requests). */
  timestamp?: number;
  /** Send a wrong signature. */
  forge?: boolean;
  timeoutMs?: number;
}

/** A message as stored by the emulator and returned by Slack's history methods. */
export interface SlackMessage {
  type: 'message';
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

/** A modal or home view the app opened, pushed, updated or published. */
export interface ViewRecord {
  id: string;
  method: string;
  view: Record<string, unknown>;
  userId?: string;
  triggerId?: string;
  at: number;
}

/** An ephemeral message (from `chat.postEphemeral` or an ephemeral `response_url` reply). */
export interface EphemeralRecord {
  channel: string;
  user?: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url';
}
