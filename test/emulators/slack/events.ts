import { randomUUID } from 'node:crypto';
import { randomAlnum } from './ids.ts';
import type { SlackMessage } from './types.ts';
import type { Workspace } from './workspace.ts';

/** Input of `messageEvent`. */
export interface MessageEventInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  threadTs?: string;
  /** `team` field; defaults to the user's team. */
  team?: string;
  /** Home team of an external (Slack Connect) user; defaults to the user's configured `teamId`. */
  userTeam?: string;
  subtype?: string;
  botId?: string;
  files?: unknown[];
  blocks?: unknown[];
}

/** Input of `messageChangedEvent`. */
export interface MessageChangedInput {
  channel: string;
  /** ts of the edited message. */
  ts: string;
  text: string;
  user?: string;
  previousText?: string;
}

/** Input of `memberJoinedEvent`. */
export interface MemberJoinedInput {
  channel: string;
  user: string;
  inviter?: string;
  team?: string;
}

/** Input of `appMentionEvent`. */
export interface AppMentionInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  threadTs?: string;
}

function userTeamOf(ws: Workspace, user: string, override: string | undefined): string {
  return override ?? ws.users.get(user)?.teamId ?? ws.info.teamId;
}

/** A `message` event as the Events API delivers it. */
export function buildMessageEvent(ws: Workspace, input: MessageEventInput): Record<string, unknown> {
  const ts = input.ts ?? ws.nextTs();
  const userTeam = userTeamOf(ws, input.user, input.userTeam);
  const event: Record<string, unknown> = { type: 'message' };
  if (input.subtype !== undefined) event.subtype = input.subtype;
  if (input.subtype === undefined && input.botId === undefined) event.client_msg_id = randomUUID();
  Object.assign(event, { text: input.text, user: input.user, ts, team: input.team ?? userTeam });
  if (input.botId !== undefined) event.bot_id = input.botId;
  if (userTeam !== ws.info.teamId) Object.assign(event, { user_team: userTeam, source_team: userTeam });
  if (input.blocks !== undefined) event.blocks = input.blocks;
  if (input.files !== undefined) Object.assign(event, { files: input.files, upload: false });
  if (input.threadTs !== undefined) {
    event.thread_ts = input.threadTs;
    const parent = ws.getMessage(input.channel, input.threadTs);
    if (parent?.user !== undefined) event.parent_user_id = parent.user;
  }
  Object.assign(event, { channel: input.channel, event_ts: ts, channel_type: ws.channelType(input.channel) });
  return event;
}

/** A `message` event with subtype `message_changed` (an edit). */
export function buildMessageChangedEvent(ws: Workspace, input: MessageChangedInput): Record<string, unknown> {
  const stored = ws.getMessage(input.channel, input.ts);
  const user = input.user ?? stored?.user ?? '';
  const eventTs = ws.nextTs();
  const previous: Record<string, unknown> = stored
    ? { ...stored }
    : { type: 'message', user, text: input.previousText ?? '', ts: input.ts };
  if (input.previousText !== undefined) previous.text = input.previousText;
  const message: Record<string, unknown> = {
    ...previous,
    text: input.text,
    edited: { user, ts: eventTs },
  };
  delete message.blocks;
  return {
    type: 'message',
    subtype: 'message_changed',
    message,
    previous_message: previous,
    channel: input.channel,
    hidden: true,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: ws.channelType(input.channel),
  };
}

/** A `member_joined_channel` event. */
export function buildMemberJoinedEvent(ws: Workspace, input: MemberJoinedInput): Record<string, unknown> {
  const event: Record<string, unknown> = {
    type: 'member_joined_channel',
    user: input.user,
    channel: input.channel,
    channel_type: ws.channelType(input.channel) === 'channel' ? 'C' : 'G',
    team: input.team ?? userTeamOf(ws, input.user, undefined),
    event_ts: ws.nextTs(),
  };
  if (input.inviter !== undefined) event.inviter = input.inviter;
  return event;
}

/** An `app_mention` event. */
export function buildAppMentionEvent(ws: Workspace, input: AppMentionInput): Record<string, unknown> {
  const ts = input.ts ?? ws.nextTs();
  const event: Record<string, unknown> = {
    type: 'app_mention',
    client_msg_id: randomUUID(),
    text: input.text,
    user: input.user,
    ts,
    team: userTeamOf(ws, input.user, undefined),
    channel: input.channel,
    event_ts: ts,
  };
  if (input.threadTs !== undefined) event.thread_ts = input.threadTs;
  return event;
}

/** Input of `appHomeOpenedEvent`. */
export interface AppHomeOpenedInput {
  user: string;
  /** Default `home`. */
  tab?: 'home' | 'messages';
}

/**
 * An `app_home_opened` event, in the shape of Slack's reference: the user, the app's DM channel with
 * them, the tab, and the Home view last published for them (`view`) when there is one.
 */
export function buildAppHomeOpenedEvent(ws: Workspace, input: AppHomeOpenedInput): Record<string, unknown> {
  const tab = input.tab ?? 'home';
  const published = [...ws.viewHistory]
    .reverse()
    .find((record) => record.method === 'views.publish' && record.userId === input.user);
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: ws.openDm(input.user).channel.id,
    tab,
    event_ts: ws.nextTs(),
    ...(tab === 'home' && published ? { view: published.view } : {}),
  };
}

/** Wraps an event in the Events API `event_callback` envelope. */
export function buildEventEnvelope(
  ws: Workspace,
  event: Record<string, unknown>,
  eventId: string,
): Record<string, unknown> {
  const { teamId, apiAppId, botUserId, verificationToken } = ws.info;
  const channelId = typeof event.channel === 'string' ? event.channel : undefined;
  const channel = channelId !== undefined ? ws.channels.get(channelId) : undefined;
  return {
    token: verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: apiAppId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(ws.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: channel?.isExtShared ?? false,
    event_context: `4-${Buffer.from(`${eventId}:${randomAlnum(12)}`).toString('base64url')}`,
  };
}

/** Applies a delivered event to the emulator's message store, so later API calls see it. */
export function observeEvent(ws: Workspace, event: Record<string, unknown>): void {
  if (event.type !== 'message' || typeof event.channel !== 'string') return;
  const channel = event.channel;
  const subtype = event.subtype;
  if (subtype === 'message_changed') {
    const message = event.message as SlackMessage | undefined;
    if (message?.ts !== undefined) ws.addMessage(channel, { ...message });
    return;
  }
  if (subtype === 'message_deleted') {
    if (typeof event.deleted_ts === 'string') ws.removeMessage(channel, event.deleted_ts);
    return;
  }
  if (typeof event.ts !== 'string') return;
  const { channel: _channel, event_ts: _eventTs, channel_type: _type, ...message } = event;
  ws.addMessage(channel, { ...message, type: 'message', ts: event.ts });
}
