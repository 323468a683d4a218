import type { SlackMessage } from './types.ts';
import {
  type ApiContext,
  type ApiReply,
  bool,
  channelObject,
  fail,
  type MethodSpec,
  ok,
  str,
} from './web-api-common.ts';

function open({ ws, args }: ApiContext): ApiReply {
  const existingId = str(args, 'channel');
  if (existingId !== undefined) {
    const channel = ws.channels.get(existingId);
    if (!channel) return fail('channel_not_found');
    return ok({ no_op: true, already_open: true, channel: { id: channel.id } });
  }
  const users = (str(args, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (users.length === 0) return fail('users_list_not_supplied');
  const unknown = users.find((u) => !ws.users.has(u));
  if (unknown !== undefined) return fail('user_not_found');
  if (users.length > 8) return fail('too_many_users');
  const [only] = users;
  const { channel, existed } =
    users.length === 1 && only !== undefined ? ws.openDm(only) : ws.openMpim(users);
  const body = bool(args, 'return_im') ? channelObject(ws, channel) : { id: channel.id };
  return ok({ ...(existed ? { no_op: true, already_open: true } : {}), channel: body });
}

function info({ ws, args }: ApiContext): ApiReply {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  return ok({ channel: channelObject(ws, channel) });
}

function members({ ws, args }: ApiContext): ApiReply {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const list = channel.isMember ? [...new Set([...channel.members, ws.info.botUserId])] : channel.members;
  return ok({ members: list, response_metadata: { next_cursor: '' } });
}

function join({ ws, args }: ApiContext): ApiReply {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  const alreadyIn = channel.isMember;
  channel.isMember = true;
  return ok({ channel: channelObject(ws, channel), ...(alreadyIn ? { warning: 'already_in_channel' } : {}) });
}

function page(messages: SlackMessage[], args: Record<string, unknown>): ApiReply {
  const limit = Number(str(args, 'limit') ?? 100);
  const oldest = Number(str(args, 'oldest') ?? 0);
  const latest = Number(str(args, 'latest') ?? Number.POSITIVE_INFINITY);
  const inRange = messages.filter((m) => Number(m.ts) >= oldest && Number(m.ts) <= latest);
  return ok({
    messages: inRange.slice(0, limit).map((m) => ({ ...m })),
    has_more: inRange.length > limit,
    response_metadata: { next_cursor: '' },
  });
}

function history({ ws, args }: ApiContext): ApiReply {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.isMember && channel.isPrivate) return fail('not_in_channel');
  const topLevel = ws
    .messagesIn(channel.id)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .reverse();
  return page(topLevel, args);
}

function replies({ ws, args }: ApiContext): ApiReply {
  const channel = ws.channels.get(str(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts') ?? '';
  const parent = ws.getMessage(channel.id, ts);
  if (!parent) return fail('thread_not_found');
  const thread = ws.messagesIn(channel.id).filter((m) => m.ts === ts || m.thread_ts === ts);
  return page(thread, args);
}

/** `conversations.*` methods. */
export const conversationMethods: Record<string, MethodSpec> = {
  'conversations.open': { token: 'bot', handle: open },
  'conversations.info': { token: 'bot', handle: info },
  'conversations.members': { token: 'bot', handle: members },
  'conversations.join': { token: 'bot', handle: join },
  'conversations.history': { token: 'bot', handle: history },
  'conversations.replies': { token: 'bot', handle: replies },
};
