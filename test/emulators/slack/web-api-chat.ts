import { invalidBlocksDetail, LIMITS, validateBlocks, withBlockIds } from './blocks.ts';
import type { SlackMessage } from './types.ts';
import {
  type ApiContext,
  type ApiReply,
  botProfile,
  fail,
  type MethodSpec,
  ok,
  str,
} from './web-api-common.ts';
import type { StoredChannel, Workspace } from './workspace.ts';

interface Content {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
}

/** Resolves a `channel` argument: an id, a name, `#name`, or a user id (posts to the DM). */
export function resolveTarget(ws: Workspace, ref: string | undefined): StoredChannel | undefined {
  if (ref === undefined) return undefined;
  const channel = ws.findChannel(ref);
  if (channel) return channel;
  if (ws.users.has(ref)) return ws.openDm(ref).channel;
  return undefined;
}

/** Why content was refused: Slack's error code and the rest of its answer (`errors`, `response_metadata`). */
export interface ContentError {
  error: string;
  detail?: Record<string, unknown>;
}

/**
 * Reads and validates `text` / `blocks` / `attachments`; `no_text` when all are missing, `invalid_blocks`
 * (with Slack's `errors` and `response_metadata.messages`) when Slack would refuse the blocks.
 */
export function readContent(args: Record<string, unknown>): Content | ContentError {
  const blocks = args.blocks;
  if (blocks !== undefined && blocks !== '') {
    const refused = validateBlocks(blocks);
    if (refused) {
      const detail = refused.problems.length > 0 ? invalidBlocksDetail(refused.problems) : undefined;
      return { error: refused.error, ...(detail ? { detail } : {}) };
    }
  }
  const attachments = Array.isArray(args.attachments) ? args.attachments : undefined;
  const text = str(args, 'text');
  const blockList = Array.isArray(blocks) && blocks.length > 0 ? withBlockIds(blocks) : undefined;
  if (text === undefined && blockList === undefined && attachments === undefined) return { error: 'no_text' };
  return { text: text?.slice(0, LIMITS.messageText), blocks: blockList, attachments };
}

function botMessage(ws: Workspace, ts: string, content: Content): SlackMessage {
  const { botUserId, botId, apiAppId, teamId } = ws.info;
  const message: SlackMessage = {
    type: 'message',
    user: botUserId,
    bot_id: botId,
    app_id: apiAppId,
    text: content.text ?? '',
    ts,
    team: teamId,
    bot_profile: botProfile(ws),
  };
  if (content.blocks) message.blocks = content.blocks;
  if (content.attachments) message.attachments = content.attachments;
  return message;
}

function postMessage({ ws, args, hooks }: ApiContext): ApiReply {
  const channel = resolveTarget(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  if (channel.isArchived) return fail('is_archived');
  if (!channel.isMember) return fail('not_in_channel');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  const message = botMessage(ws, ws.nextTs(), content);
  const threadTs = str(args, 'thread_ts');
  if (threadTs !== undefined) message.thread_ts = threadTs;
  if (args.metadata !== undefined) message.metadata = args.metadata;
  ws.addMessage(channel.id, message);
  hooks.onBotMessage(channel, message);
  return ok({ channel: channel.id, ts: message.ts, message: { ...message } });
}

function isOwn(ws: Workspace, message: SlackMessage): boolean {
  return message.bot_id === ws.info.botId || message.user === ws.info.botUserId;
}

function update({ ws, args }: ApiContext): ApiReply {
  const channel = resolveTarget(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts') ?? '';
  const message = ws.getMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  if (!isOwn(ws, message)) return fail('cant_update_message');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks !== undefined) message.blocks = content.blocks;
  else if (Array.isArray(args.blocks)) delete message.blocks;
  if (content.attachments !== undefined) message.attachments = content.attachments;
  message.edited = { user: ws.info.botUserId, ts: ws.nextTs() };
  return ok({ channel: channel.id, ts, text: message.text, message: { ...message } });
}

function remove({ ws, args }: ApiContext): ApiReply {
  const channel = resolveTarget(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts') ?? '';
  const message = ws.getMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  if (!isOwn(ws, message)) return fail('cant_delete_message');
  ws.removeMessage(channel.id, ts);
  return ok({ channel: channel.id, ts });
}

function postEphemeral({ ws, args }: ApiContext): ApiReply {
  const channel = resolveTarget(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const user = str(args, 'user');
  if (user === undefined || !ws.users.has(user)) return fail('user_not_found');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  const ts = ws.nextTs();
  ws.ephemerals.push({
    channel: channel.id,
    user,
    ts,
    via: 'chat.postEphemeral',
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
  });
  return ok({ message_ts: ts });
}

function getPermalink({ ws, args }: ApiContext): ApiReply {
  const channel = resolveTarget(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'message_ts') ?? '';
  const message = ws.getMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  let permalink = `https://${ws.info.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
  if (message.thread_ts !== undefined && message.thread_ts !== ts) {
    permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
  }
  return ok({ channel: channel.id, permalink });
}

function react(adding: boolean) {
  return ({ ws, args }: ApiContext): ApiReply => {
    const channel = resolveTarget(ws, str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const message = ws.getMessage(channel.id, str(args, 'timestamp') ?? '');
    if (!message) return fail('message_not_found');
    const name = str(args, 'name');
    if (name === undefined) return fail('invalid_name');
    const reactions = (message.reactions ?? []) as Array<{ name: string; users: string[]; count: number }>;
    const existing = reactions.find((r) => r.name === name);
    const me = ws.info.botUserId;
    if (adding) {
      if (existing?.users.includes(me)) return fail('already_reacted');
      if (existing) existing.users.push(me);
      else reactions.push({ name, users: [me], count: 0 });
    } else {
      if (!existing?.users.includes(me)) return fail('no_reaction');
      existing.users = existing.users.filter((u) => u !== me);
    }
    for (const r of reactions) r.count = r.users.length;
    message.reactions = reactions.filter((r) => r.count > 0);
    return ok();
  };
}

/** `chat.*` and `reactions.*` methods. */
export const chatMethods: Record<string, MethodSpec> = {
  'chat.postMessage': { token: 'bot', handle: postMessage },
  'chat.update': { token: 'bot', handle: update },
  'chat.delete': { token: 'bot', handle: remove },
  'chat.postEphemeral': { token: 'bot', handle: postEphemeral },
  'chat.getPermalink': { token: 'bot', handle: getPermalink },
  'reactions.add': { token: 'bot', handle: react(true) },
  'reactions.remove': { token: 'bot', handle: react(false) },
};
