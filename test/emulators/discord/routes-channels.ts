import { createBotMessage, editStoredMessage, isApiError, postableChannel } from './bot-messages.ts';
import type { EmulatorCore } from './core.ts';
import { LIMITS } from './limits.ts';
import { listMessages } from './message-history.ts';
import { isThreadType, type JsonObject } from './objects.ts';
import { bodyObject, noContent, ok, type RestRequest, type RestResponse, type RouteDef } from './router.ts';
import type { StoredMessage } from './types.ts';
import { apiError, FormErrors } from './validate.ts';

const unknownChannel = () => apiError(404, 10003, 'Unknown Channel');
const unknownMessage = () => apiError(404, 10008, 'Unknown Message');

function getChannel(core: EmulatorCore, request: RestRequest): RestResponse {
  const channel = core.store.channels.get(request.params.id ?? '');
  return channel ? ok(core.store.channelJson(channel)) : unknownChannel();
}

function patchChannel(core: EmulatorCore, request: RestRequest): RestResponse {
  const channel = core.store.channels.get(request.params.id ?? '');
  if (!channel) return unknownChannel();
  const body = bodyObject(request);
  const errors = new FormErrors();
  errors.optionalString(['name'], body.name, LIMITS.channelName);
  const invalid = errors.toApiError();
  if (invalid) return invalid;
  if (typeof body.name === 'string') channel.name = body.name;
  if (typeof body.topic === 'string' || body.topic === null) channel.topic = body.topic;
  const thread = channel.thread;
  if (thread) {
    if (typeof body.archived === 'boolean') {
      thread.archived = body.archived;
      thread.archiveTimestamp = core.store.isoNow();
    }
    if (typeof body.locked === 'boolean') thread.locked = body.locked;
    if (typeof body.auto_archive_duration === 'number')
      thread.autoArchiveDuration = body.auto_archive_duration;
    if (Array.isArray(body.applied_tags)) thread.appliedTags = body.applied_tags.map(String);
  }
  const json = core.store.channelJson(channel);
  core.gateway.dispatch(isThreadType(channel.type) ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', json);
  return ok(json);
}

function postMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const channel = postableChannel(core, request.params.id ?? '');
  if (isApiError(channel)) return channel;
  const message = createBotMessage(core, channel, bodyObject(request), request.files);
  return isApiError(message) ? message : ok(message);
}

function findMessage(core: EmulatorCore, request: RestRequest): StoredMessage | undefined {
  return core.store.message(request.params.mid ?? '', request.params.id ?? '');
}

function getMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  if (!core.store.channels.has(request.params.id ?? '')) return unknownChannel();
  const message = findMessage(core, request);
  return message ? ok(message) : unknownMessage();
}

function patchMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  if (!core.store.channels.has(request.params.id ?? '')) return unknownChannel();
  const message = findMessage(core, request);
  if (!message) return unknownMessage();
  if (message.author.id !== core.store.botUser.id) {
    return apiError(403, 50005, 'Cannot edit a message authored by another user');
  }
  const edited = editStoredMessage(core, message, bodyObject(request), request.files);
  return isApiError(edited) ? edited : ok(edited);
}

function deleteMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const channel = core.store.channels.get(request.params.id ?? '');
  if (!channel) return unknownChannel();
  const message = findMessage(core, request);
  if (!message) return unknownMessage();
  core.store.deleteMessage(message.id);
  core.gateway.dispatch('MESSAGE_DELETE', {
    id: message.id,
    channel_id: message.channel_id,
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
  });
  return noContent();
}

function parseEmoji(raw: string): JsonObject {
  const custom = /^(?:a:)?([\w-]+):(\d+)$/.exec(raw);
  return custom ? { id: custom[2], name: custom[1] } : { id: null, name: raw };
}

function reaction(core: EmulatorCore, request: RestRequest, add: boolean): RestResponse {
  const channel = core.store.channels.get(request.params.id ?? '');
  if (!channel) return unknownChannel();
  const message = findMessage(core, request);
  if (!message) return unknownMessage();
  const emoji = parseEmoji(request.params.emoji ?? '');
  const botId = core.store.botUser.id;
  const reactions = [...(message.reactions ?? [])] as unknown as JsonObject[];
  const key = (e: unknown) => JSON.stringify([(e as JsonObject).id ?? null, (e as JsonObject).name]);
  const existing = reactions.find((r) => key(r.emoji) === key(emoji));
  if (add && !existing?.me) {
    if (existing) {
      existing.count = Number(existing.count) + 1;
      existing.me = true;
    } else {
      reactions.push({
        emoji,
        count: 1,
        count_details: { burst: 0, normal: 1 },
        me: true,
        me_burst: false,
        burst_colors: [],
      });
    }
  } else if (!add && existing?.me) {
    existing.count = Number(existing.count) - 1;
    existing.me = false;
  }
  const kept = reactions.filter((r) => Number(r.count) > 0);
  core.store.putMessage({ ...message, reactions: kept } as unknown as StoredMessage);
  const member = channel.guildId ? core.store.memberJson(channel.guildId, botId) : undefined;
  core.gateway.dispatch(add ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
    user_id: botId,
    channel_id: channel.id,
    message_id: message.id,
    emoji,
    burst: false,
    type: 0,
    ...(channel.guildId ? { guild_id: channel.guildId } : {}),
    ...(add && member ? { member, message_author_id: message.author.id } : {}),
  });
  return noContent();
}

function typing(core: EmulatorCore, request: RestRequest): RestResponse {
  return core.store.channels.has(request.params.id ?? '') ? noContent() : unknownChannel();
}

/** Channel and message routes. */
export function channelRoutes(core: EmulatorCore): RouteDef[] {
  return [
    { method: 'GET', path: '/channels/:id', auth: true, handle: (r) => getChannel(core, r) },
    { method: 'PATCH', path: '/channels/:id', auth: true, handle: (r) => patchChannel(core, r) },
    { method: 'GET', path: '/channels/:id/messages', auth: true, handle: (r) => listMessages(core, r) },
    { method: 'POST', path: '/channels/:id/messages', auth: true, handle: (r) => postMessage(core, r) },
    { method: 'GET', path: '/channels/:id/messages/:mid', auth: true, handle: (r) => getMessage(core, r) },
    {
      method: 'PATCH',
      path: '/channels/:id/messages/:mid',
      auth: true,
      handle: (r) => patchMessage(core, r),
    },
    {
      method: 'DELETE',
      path: '/channels/:id/messages/:mid',
      auth: true,
      handle: (r) => deleteMessage(core, r),
    },
    {
      method: 'PUT',
      path: '/channels/:id/messages/:mid/reactions/:emoji/@me',
      auth: true,
      handle: (r) => reaction(core, r, true),
    },
    {
      method: 'DELETE',
      path: '/channels/:id/messages/:mid/reactions/:emoji/@me',
      auth: true,
      handle: (r) => reaction(core, r, false),
    },
    { method: 'POST', path: '/channels/:id/typing', auth: true, handle: (r) => typing(core, r) },
  ];
}
