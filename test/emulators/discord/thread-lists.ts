import type { EmulatorCore } from './core.ts';
import { readBoundedInt } from './history-query.ts';
import { botPermissions } from './message-history.ts';
import type { ChannelRecord, JsonObject } from './objects.ts';
import { Permission } from './permissions.ts';
import { ok, type RestRequest, type RestResponse } from './router.ts';
import { type ApiError, apiError } from './validate.ts';

const byIdDescending = (a: ChannelRecord, b: ChannelRecord) => (BigInt(a.id) < BigInt(b.id) ? 1 : -1);

/** A thread member object for each listed thread the bot has joined. */
function botMemberships(core: EmulatorCore, threads: ChannelRecord[]): JsonObject[] {
  const botId = core.store.botUser.id;
  return threads
    .filter((t) => t.thread?.memberIds.has(botId))
    .map((t) => ({ id: t.id, user_id: botId, join_timestamp: t.thread?.createTimestamp, flags: 0 }));
}

/**
 * `GET /guilds/{id}/threads/active`: every unarchived thread of the guild, public and private, by id
 * descending, with `threads` and `members` only. The OpenAPI description's shared ThreadsResponse also
 * requires `has_more`, but the route's documentation lists no such field and discord.js notes that
 * this route does not return it.
 */
export function activeThreads(core: EmulatorCore, request: RestRequest): RestResponse | ApiError {
  const guild = core.store.guilds.get(request.params.id ?? '');
  if (!guild) return apiError(404, 10004, 'Unknown Guild');
  const threads = guild.channelIds
    .map((id) => core.store.channel(id))
    .filter((c) => c.thread && !c.thread.archived)
    .sort(byIdDescending);
  return ok({
    threads: threads.map((t) => core.store.channelJson(t)),
    members: botMemberships(core, threads),
  });
}

const PUBLIC_THREAD_PARENTS = new Set([0, 5, 15]);

/**
 * `GET /channels/{id}/threads/archived/public`: archived public threads (and announcement threads)
 * under a text, announcement or forum channel, by `archive_timestamp` descending; `before` is an ISO 8601
 * timestamp, `limit` 2–100 per the OpenAPI description (its default is not documented; 50 here), and
 * `has_more` says whether a later call could return more. Needs READ_MESSAGE_HISTORY (403 50013).
 */
export function publicArchivedThreads(core: EmulatorCore, request: RestRequest): RestResponse | ApiError {
  const parent = core.store.channels.get(request.params.id ?? '');
  if (!parent) return apiError(404, 10003, 'Unknown Channel');
  if (!PUBLIC_THREAD_PARENTS.has(parent.type)) {
    return apiError(400, 50024, 'Cannot execute action on this channel type');
  }
  const limit = readBoundedInt(request.query, 'limit', { min: 2, max: 100, default: 50 });
  if (typeof limit !== 'number') return limit;
  const beforeRaw = request.query.before;
  const before = beforeRaw === undefined ? Number.POSITIVE_INFINITY : Date.parse(beforeRaw);
  if (Number.isNaN(before)) {
    // The error code Discord uses for an unparsable timestamp is not documented; this one is a stand-in.
    return apiError(400, 50035, 'Invalid Form Body', {
      before: { _errors: [{ code: 'DATE_TIME_TYPE_PARSE', message: `Could not parse ${beforeRaw}.` }] },
    });
  }
  const permissions = botPermissions(core, parent);
  if ((permissions & Permission.ViewChannel) === 0n) return apiError(403, 50001, 'Missing Access');
  if ((permissions & Permission.ReadMessageHistory) === 0n)
    return apiError(403, 50013, 'Missing Permissions');
  const archivedAt = (c: ChannelRecord) => Date.parse(c.thread?.archiveTimestamp ?? '');
  const candidates = [...core.store.channels.values()]
    .filter((c) => c.parentId === parent.id && c.type !== 12 && c.thread?.archived && archivedAt(c) < before)
    .sort((a, b) => archivedAt(b) - archivedAt(a) || byIdDescending(a, b));
  const threads = candidates.slice(0, limit);
  return ok({
    threads: threads.map((t) => core.store.channelJson(t)),
    members: botMemberships(core, threads),
    has_more: candidates.length > limit,
  });
}
