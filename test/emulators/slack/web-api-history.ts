import { decodeCursor, encodeCursor } from './history-cursor.ts';
import type { PageLimits } from './history-limits.ts';
import { tsToMicros } from './timestamps.ts';
import type { SlackMessage } from './types.ts';
import { type ApiContext, type ApiReply, bool, fail, type MethodSpec, ok, str } from './web-api-common.ts';
import type { StoredChannel, Workspace } from './workspace.ts';

/** The `oldest`/`latest` window; `inclusive` applies to both ends and only when one is given. */
interface TimeRange {
  oldest: bigint | undefined;
  latest: bigint | undefined;
  inclusive: boolean;
}

function readRange(args: Record<string, unknown>): TimeRange | { error: string } {
  const oldestArg = str(args, 'oldest');
  const latestArg = str(args, 'latest');
  const oldest = oldestArg === undefined ? undefined : tsToMicros(oldestArg);
  const latest = latestArg === undefined ? undefined : tsToMicros(latestArg);
  if (oldestArg !== undefined && oldest === undefined) return { error: 'invalid_ts_oldest' };
  if (latestArg !== undefined && latest === undefined) return { error: 'invalid_ts_latest' };
  return { oldest, latest, inclusive: bool(args, 'inclusive') };
}

function inRange(message: SlackMessage, range: TimeRange): boolean {
  const ts = tsToMicros(message.ts) ?? 0n;
  const { oldest, latest, inclusive } = range;
  if (oldest !== undefined && (inclusive ? ts < oldest : ts <= oldest)) return false;
  if (latest !== undefined && (inclusive ? ts > latest : ts >= latest)) return false;
  return true;
}

// Slack documents the default and the maximum; a larger limit is served as the maximum (Slack's
// "fewer than the requested number of items may be returned"), a missing or unusable one as the default.
function readLimit(args: Record<string, unknown>, limits: PageLimits): number {
  const limit = Number.parseInt(str(args, 'limit') ?? '', 10);
  if (!Number.isFinite(limit) || limit < 1) return limits.default;
  return Math.min(limit, limits.max);
}

function readCursor(args: Record<string, unknown>): bigint | undefined | { error: string } {
  const cursor = str(args, 'cursor');
  if (cursor === undefined) return undefined;
  return decodeCursor(cursor) ?? { error: 'invalid_cursor' };
}

// A bot token reads the conversations its bot is in: a public channel it has not joined answers
// not_in_channel ("only user tokens can access public channels they are not in"), a private one it
// cannot see answers channel_not_found.
function readableChannel(ws: Workspace, args: Record<string, unknown>): StoredChannel | { error: string } {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return { error: 'channel_not_found' };
  if (!channel.isMember) return { error: channel.isPrivate ? 'channel_not_found' : 'not_in_channel' };
  return channel;
}

function micros(message: SlackMessage): bigint {
  return tsToMicros(message.ts) ?? 0n;
}

function paged(
  messages: SlackMessage[],
  rest: SlackMessage[],
  extra: Record<string, unknown> = {},
): ApiReply {
  const next = rest[0];
  return ok({
    messages: messages.map((m) => ({ ...m })),
    has_more: next !== undefined,
    ...extra,
    ...(next !== undefined ? { response_metadata: { next_cursor: encodeCursor(next.ts) } } : {}),
  });
}

/** Top-level messages and thread parents, plus replies also sent to the channel (`thread_broadcast`). */
function inChannelView(message: SlackMessage): boolean {
  return (
    message.thread_ts === undefined ||
    message.thread_ts === message.ts ||
    message.subtype === 'thread_broadcast'
  );
}

/** `conversations.history`: newest first, `oldest`/`latest`/`inclusive`, `limit`, cursor paging. */
function history({ ws, args, history: settings }: ApiContext): ApiReply {
  const channel = readableChannel(ws, args);
  if ('error' in channel) return fail(channel.error);
  const range = readRange(args);
  if ('error' in range) return fail(range.error);
  const cursor = readCursor(args);
  if (typeof cursor === 'object') return fail(cursor.error);
  const limit = readLimit(args, settings.history);
  // The cursor names the newest message of the page it opens.
  const newestFirst = ws
    .messagesIn(channel.id)
    .filter((m) => inChannelView(m) && inRange(m, range) && (cursor === undefined || micros(m) <= cursor))
    .reverse();
  return paged(newestFirst.slice(0, limit), newestFirst.slice(limit), {
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
  });
}

/**
 * `conversations.replies`: the parent first, then its replies oldest first. `ts` may name the parent
 * or any reply ("either a thread's parent message or a message in the thread"); an unthreaded message
 * comes back alone. The parent is returned whatever `oldest`/`latest` say (only replies are filtered)
 * and, by default, again at the head of every later page; the first page counts it in `limit`.
 */
function replies({ ws, args, history: settings }: ApiContext): ApiReply {
  const channel = readableChannel(ws, args);
  if ('error' in channel) return fail(channel.error);
  const target = ws.getMessage(channel.id, str(args, 'ts') ?? '');
  // Slack cannot thread join/leave messages and answers thread_not_found for them too.
  if (!target || target.subtype === 'channel_join' || target.subtype === 'channel_leave') {
    return fail('thread_not_found');
  }
  const parent = ws.getMessage(channel.id, target.thread_ts ?? target.ts);
  if (!parent) return fail('thread_not_found');
  const range = readRange(args);
  if ('error' in range) return fail(range.error);
  const cursor = readCursor(args);
  if (typeof cursor === 'object') return fail(cursor.error);
  const limit = readLimit(args, settings.replies);
  const pending = ws
    .messagesIn(channel.id)
    .filter(
      (m) =>
        m.thread_ts === parent.ts &&
        m.ts !== parent.ts &&
        inRange(m, range) &&
        (cursor === undefined || micros(m) >= cursor),
    );
  if (cursor === undefined) {
    const first = pending.slice(0, limit - 1);
    return paged([parent, ...first], pending.slice(first.length));
  }
  const page = pending.slice(0, limit);
  const head = settings.repliesParentOnEveryPage ? [parent] : [];
  return paged([...head, ...page], pending.slice(limit));
}

/** `conversations.history` and `conversations.replies`. */
export const historyMethods: Record<string, MethodSpec> = {
  'conversations.history': { token: 'bot', handle: history },
  'conversations.replies': { token: 'bot', handle: replies },
};
