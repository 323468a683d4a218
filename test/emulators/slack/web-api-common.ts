import type { HistorySettings } from './history-limits.ts';
import type { SlackEmulatorUser, SlackMessage } from './types.ts';
import type { StoredChannel, Workspace } from './workspace.ts';

/** A Web API answer body. */
export type ApiReply = { ok: boolean; error?: string; [key: string]: unknown };

/** Side effects the Web API needs from the emulator. */
export interface ApiHooks {
  /** The bot posted a message (used to echo the `message` event back to the app). */
  onBotMessage(channel: StoredChannel, message: SlackMessage): void;
  /** A fresh Socket Mode URL, or undefined when Socket Mode is not configured. */
  socketUrl(): string | undefined;
}

/** Everything a method handler sees. */
export interface ApiContext {
  ws: Workspace;
  args: Record<string, unknown>;
  hooks: ApiHooks;
  /** Page sizes of the history methods for this app's distribution. */
  history: HistorySettings;
}

/** A Web API method: which token type it accepts and how it answers. */
export interface MethodSpec {
  token: 'bot' | 'app';
  handle(ctx: ApiContext): ApiReply;
}

/** Successful reply. */
export function ok(extra: Record<string, unknown> = {}): ApiReply {
  return { ok: true, ...extra };
}

/** Error reply (`{ ok: false, error }`). */
export function fail(error: string, extra: Record<string, unknown> = {}): ApiReply {
  return { ok: false, error, ...extra };
}

/** A string argument (numbers and booleans are stringified); empty strings count as absent. */
export function str(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A boolean argument given as `true`, `"true"` or `"1"`. */
export function bool(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** The bot's `bot_profile`, as attached to its messages. */
export function botProfile(ws: Workspace): Record<string, unknown> {
  const { botId, apiAppId, botName, teamId } = ws.info;
  return { id: botId, app_id: apiAppId, name: botName, deleted: false, team_id: teamId, icons: {} };
}

/** A user object as `users.info` returns it. */
export function userObject(ws: Workspace, user: SlackEmulatorUser): Record<string, unknown> {
  const teamId = user.teamId ?? ws.info.teamId;
  const realName = user.realName ?? user.name;
  const isBot = user.isBot ?? false;
  const profile: Record<string, unknown> = {
    real_name: realName,
    real_name_normalized: realName,
    display_name: user.name,
    display_name_normalized: user.name,
    team: teamId,
    image_48: `https://avatars.example/${user.id}_48.png`,
  };
  if (user.email !== undefined) profile.email = user.email;
  if (isBot && user.id === ws.info.botUserId) profile.bot_id = ws.info.botId;
  const object: Record<string, unknown> = {
    id: user.id,
    team_id: teamId,
    name: user.name,
    deleted: false,
    real_name: realName,
    tz: 'Europe/London',
    tz_offset: 0,
    is_bot: isBot,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    updated: Math.floor(Date.now() / 1000),
    profile,
  };
  if (teamId !== ws.info.teamId) object.is_stranger = true;
  return object;
}

/** A conversation object as `conversations.info` returns it. */
export function channelObject(ws: Workspace, c: StoredChannel): Record<string, unknown> {
  if (c.isIm) {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      context_team_id: ws.info.teamId,
      user: c.user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const memberTeams = c.members.map((m) => ws.users.get(m)?.teamId ?? ws.info.teamId);
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.isPrivate && !c.isMpim,
    is_group: c.isPrivate && !c.isMpim,
    is_im: false,
    is_mpim: c.isMpim,
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.isArchived,
    is_general: false,
    is_shared: c.isExtShared,
    is_ext_shared: c.isExtShared,
    is_org_shared: false,
    is_pending_ext_shared: false,
    is_member: c.isMember,
    context_team_id: ws.info.teamId,
    shared_team_ids: [...new Set([ws.info.teamId, ...(c.isExtShared ? memberTeams : [])])],
    num_members: c.members.length,
  };
}
