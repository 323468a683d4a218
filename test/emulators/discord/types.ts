import type { APIMessage } from 'discord.js';
import type { RouteLimitOptions } from './rate-limits.ts';

/** A user known to the emulator. */
export interface EmulatorUserSpec {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
  /** When true, `POST /channels/:dm/messages` to this user fails with 403 code 50007, as Discord does. */
  dmsClosed?: boolean;
}

/** A guild member: a user plus role ids and an optional nickname. */
export interface EmulatorMemberSpec {
  user: EmulatorUserSpec;
  roles: string[];
  nick?: string;
  joinedAt?: string;
}

/** Channel types the emulator models: text, category, announcement, forum, and threads. */
export type EmulatorChannelType = 0 | 4 | 5 | 11 | 12 | 15;

/** A guild channel; types 11 and 12 are threads that already exist when the bot connects. */
export interface EmulatorChannelSpec {
  id: string;
  name: string;
  type: EmulatorChannelType;
  parentId?: string;
  topic?: string;
  position?: number;
  /** Forum tags (type 15 only). */
  availableTags?: Array<{ id: string; name: string }>;
  /** Thread owner (types 11 and 12). */
  ownerId?: string;
}

/** A guild role; the emulator adds @everyone (id = guild id) when it is missing. */
export interface EmulatorRoleSpec {
  id: string;
  name: string;
  /** Permission bitfield as a decimal string. */
  permissions?: string;
  color?: number;
  position?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

/** A guild the bot is in. */
export interface EmulatorGuildSpec {
  id: string;
  name: string;
  ownerId?: string;
  systemChannelId?: string;
  channels: EmulatorChannelSpec[];
  roles: EmulatorRoleSpec[];
  members: EmulatorMemberSpec[];
}

/** Options for {@link startDiscordEmulator}. */
export interface DiscordEmulatorOptions {
  token: string;
  applicationId: string;
  botUser: { id: string; username: string };
  guilds: EmulatorGuildSpec[];
  /** HELLO heartbeat interval; Discord uses 41250 ms. */
  heartbeatIntervalMs?: number;
  /** How long an interaction may stay unacknowledged (Discord: 3 s). */
  interactionTimeoutMs?: number;
  /** Privileged intents enabled "in the developer portal"; identifying with a disabled one closes with 4014. */
  privilegedIntents?: { guildMembers?: boolean; guildPresences?: boolean; messageContent?: boolean };
  /**
   * The emulated Discord's clock (ms since the epoch): message ids (and so their `timestamp`), thread
   * and edit times. Defaults to `Date.now`; pass a test's fake clock to post messages "at" chosen times
   * (ids stay strictly increasing even if the clock stands still or goes back).
   */
  now?: () => number;
  /**
   * Discord's per-route rate limits, always on: `POST /channels/{id}/messages` takes 5 messages per 5 s
   * per channel, then answers 429 (see `rate-limits.ts`). `timeScale` shortens the window (same counts).
   */
  rateLimits?: RouteLimitOptions;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** One REST request as the emulator saw it. */
export interface RecordedCall {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  /** Route template, e.g. `POST /channels/:id/messages`; `UNKNOWN` when no route matched. */
  route: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart: the parsed `payload_json`), or null. */
  body: unknown;
  files: RecordedFile[];
  at: number;
  status: number;
}

/** Matches a route template exactly, or a RegExp tested on the template and on `METHOD /concrete/path`. */
export type RouteMatcher = string | RegExp;

/** What the bot POSTed to `/interactions/:id/:token/callback`. */
export interface InteractionCallback {
  type: number;
  data?: InteractionCallbackData;
}

/** The `data` of an interaction callback (message fields, or a modal). */
export interface InteractionCallbackData {
  content?: string;
  flags?: number;
  embeds?: unknown[];
  components?: unknown[];
  custom_id?: string;
  title?: string;
  [key: string]: unknown;
}

/** A gateway dispatch as sent on the wire. */
export interface DispatchPayload<D = unknown> {
  op: 0;
  t: string;
  /** Sequence number in the session; null when no session received it. */
  s: number | null;
  d: D;
}

/** The promise returned by interaction helpers, carrying the dispatched interaction. */
export type InteractionPromise = Promise<InteractionCallback> & {
  /** The INTERACTION_CREATE payload `d`. */
  interaction: Record<string, unknown>;
  id: string;
  token: string;
};

/** A message stored by the emulator (API shape plus `guild_id`). */
export type StoredMessage = APIMessage & { guild_id?: string };

/** What IDENTIFY carried. */
export interface IdentifyRecord {
  intents: number;
  properties: Record<string, unknown>;
  shard: unknown;
  compress: unknown;
  at: number;
}
