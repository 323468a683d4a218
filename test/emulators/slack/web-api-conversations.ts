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

/** `conversations.*` methods. */
export const conversationMethods: Record<string, MethodSpec> = {
  'conversations.open': { token: 'bot', handle: open },
  'conversations.info': { token: 'bot', handle: info },
  'conversations.members': { token: 'bot', handle: members },
  'conversations.join': { token: 'bot', handle: join },
};
