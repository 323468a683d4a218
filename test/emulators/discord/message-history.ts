import type { EmulatorCore } from './core.ts';
import { type MessageAnchor, readMessageQuery } from './history-query.ts';
import { contentNeedsIntent, withoutContent } from './intents.ts';
import type { ChannelRecord, JsonObject } from './objects.ts';
import { Permission } from './permissions.ts';
import { ok, type RestRequest, type RestResponse } from './router.ts';
import type { StoredMessage } from './types.ts';
import { type ApiError, apiError } from './validate.ts';

const EPHEMERAL = 64;

/** The bot's guild-level permission bits (channel overwrites are not modelled); DMs allow everything. */
export function botPermissions(core: EmulatorCore, channel: ChannelRecord): bigint {
  if (!channel.guildId) return Permission.ViewChannel | Permission.ReadMessageHistory;
  return BigInt(core.store.permissionsOf(channel.guildId, core.store.botUser.id));
}

/** Picks a page, oldest first: the newest `limit`, the `limit` just before or just after an id, or around it. */
function select(
  messages: StoredMessage[],
  limit: number,
  anchor: MessageAnchor | undefined,
): StoredMessage[] {
  const id = (m: StoredMessage) => BigInt(m.id);
  if (!anchor) return messages.slice(-limit);
  if (anchor.kind === 'before') return messages.filter((m) => id(m) < anchor.id).slice(-limit);
  if (anchor.kind === 'after') return messages.filter((m) => id(m) > anchor.id).slice(0, limit);
  // Around: up to half the limit on each side plus the message itself, so an even limit can bring back
  // limit + 1 messages (discord.py notes this, and asks for 100 to get 101).
  const half = Math.floor(limit / 2);
  return [
    ...(half > 0 ? messages.filter((m) => id(m) < anchor.id).slice(-half) : []),
    ...messages.filter((m) => id(m) === anchor.id),
    ...messages.filter((m) => id(m) > anchor.id).slice(0, half),
  ];
}

/**
 * `GET /channels/{id}/messages`: newest to oldest (also with `after`, which returns the messages just
 * after the id). Needs VIEW_CHANNEL (else 403 50001 Missing Access); without READ_MESSAGE_HISTORY
 * Discord answers an empty list. Ephemeral messages are never listed. Without the Message Content
 * intent (`privilegedIntents.messageContent: false`) other people's guild messages come back with empty
 * content unless they mention the bot, as over the gateway.
 */
export function listMessages(core: EmulatorCore, request: RestRequest): RestResponse | ApiError {
  const channel = core.store.channels.get(request.params.id ?? '');
  if (!channel) return apiError(404, 10003, 'Unknown Channel');
  const query = readMessageQuery(request.query);
  if ('status' in query) return query;
  const permissions = botPermissions(core, channel);
  if ((permissions & Permission.ViewChannel) === 0n) return apiError(403, 50001, 'Missing Access');
  if ((permissions & Permission.ReadMessageHistory) === 0n) return ok([]);
  const listed = core.store
    .messages(channel.id)
    .filter((m) => ((m.flags ?? 0) & EPHEMERAL) === 0)
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const page = select(listed, query.limit, query.anchor).reverse();
  const hidden = core.options.privilegedIntents?.messageContent === false;
  const botId = core.store.botUser.id;
  return ok(
    page.map((m) => {
      const data = m as unknown as JsonObject;
      return hidden && contentNeedsIntent(data, botId) ? withoutContent(data) : data;
    }),
  );
}
