import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from './core.ts';
import type { InteractionRecord } from './interaction-registry.ts';
import { type JsonObject, memberObjectNoUser, userObject } from './objects.ts';
import { snowflake } from './snowflake.ts';
import type { InteractionPromise } from './types.ts';

/** Where and by whom an interaction is triggered. */
export interface InteractionOrigin {
  /** Omit for an interaction in the bot's DM with the user. */
  guildId?: string;
  /** Omit with no guildId to use the DM channel with the user. */
  channelId?: string;
  userId: string;
  locale?: string;
  /** How long the bot has to acknowledge (default: the emulator's interactionTimeoutMs, 3000). */
  timeoutMs?: number;
}

/** One slash command option as the user filled it in. */
export interface SlashOption {
  name: string;
  /** 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 9 mentionable, 10 number. */
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

function resolvedFor(
  core: EmulatorCore,
  guildId: string | null,
  options: readonly SlashOption[],
): JsonObject | null {
  const users: JsonObject = {};
  const members: JsonObject = {};
  const channels: JsonObject = {};
  const roles: JsonObject = {};
  const guild = guildId ? core.store.guilds.get(guildId) : undefined;
  for (const option of options) {
    const id = String(option.value);
    if (option.type === 6 || option.type === 9) {
      const user = core.store.users.get(id);
      if (user) users[id] = userObject(user);
      const member = guild?.members.get(id);
      if (member && guildId) {
        members[id] = { ...memberObjectNoUser(member), permissions: core.store.permissionsOf(guildId, id) };
      }
    }
    if (option.type === 8 || option.type === 9) {
      const role = guild?.roles.get(id);
      if (role) roles[id] = role;
    }
    if (option.type === 7) {
      const channel = core.store.channels.get(id);
      if (channel) channels[id] = { ...core.store.channelJson(channel), permissions: '0' };
    }
  }
  const resolved: JsonObject = {};
  if (Object.keys(users).length > 0) resolved.users = users;
  if (Object.keys(members).length > 0) resolved.members = members;
  if (Object.keys(channels).length > 0) resolved.channels = channels;
  if (Object.keys(roles).length > 0) resolved.roles = roles;
  return Object.keys(resolved).length > 0 ? resolved : null;
}

/** Builds a slash command's `data` (using the registered command's id when there is one). */
export function slashCommandData(
  core: EmulatorCore,
  guildId: string | null,
  input: { name: string; subcommandGroup?: string; subcommand?: string; options?: readonly SlashOption[] },
): JsonObject {
  const registered = core.commands.find(input.name, guildId);
  const leafOptions = (input.options ?? []).map((o) => ({ ...o }));
  let options: JsonObject[] = leafOptions;
  if (input.subcommand) options = [{ name: input.subcommand, type: 1, options: leafOptions }];
  if (input.subcommandGroup) options = [{ name: input.subcommandGroup, type: 2, options }];
  const resolved = resolvedFor(core, guildId, input.options ?? []);
  return {
    id: registered?.id ?? snowflake(),
    name: input.name,
    type: 1,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...(options.length > 0 ? { options } : {}),
    ...(resolved ? { resolved } : {}),
  };
}

/**
 * Builds and dispatches an INTERACTION_CREATE shaped like Discord's, registers it, and returns the
 * promise of the bot's first callback.
 */
export function dispatchInteraction(
  core: EmulatorCore,
  origin: InteractionOrigin,
  type: number,
  data: JsonObject,
  extra: { message?: JsonObject; sourceMessageId?: string } = {},
): InteractionPromise {
  const { store } = core;
  const user = store.user(origin.userId);
  const guildId = origin.guildId ?? null;
  const channel = origin.channelId ? store.channel(origin.channelId) : store.dmChannel(user.id);
  const locale = origin.locale ?? 'en-US';
  const id = snowflake();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
  const payload: JsonObject = {
    id,
    application_id: core.options.applicationId,
    type,
    data,
    channel_id: channel.id,
    token,
    version: 1,
    locale,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (guildId) {
    const memberPermissions = store.permissionsOf(guildId, user.id);
    payload.guild_id = guildId;
    payload.guild = { id: guildId, locale: 'en-US', features: [] };
    payload.guild_locale = 'en-US';
    payload.member = { ...store.memberJson(guildId, user.id), permissions: memberPermissions };
    payload.channel = { ...store.channelJson(channel), permissions: memberPermissions };
    payload.app_permissions = store.permissionsOf(guildId, store.botUser.id);
    payload.authorizing_integration_owners = { '0': guildId };
    payload.context = 0;
  } else {
    payload.user = userObject(user);
    payload.channel = store.channelJson(channel);
    payload.app_permissions = '562949953601536';
    payload.authorizing_integration_owners = { '0': '0', '1': user.id };
    payload.context = 1;
  }
  if (extra.message) payload.message = extra.message;
  const record: InteractionRecord = {
    id,
    token,
    type,
    guildId,
    channelId: channel.id,
    userId: user.id,
    createdAt: Date.now(),
    acknowledged: false,
    expired: false,
    callbacks: [],
    originalMessageId: null,
    sourceMessageId: extra.sourceMessageId ?? null,
    payload,
  };
  const promise = core.interactions.register(
    record,
    origin.timeoutMs ?? core.options.interactionTimeoutMs ?? 3000,
  );
  core.gateway.dispatch('INTERACTION_CREATE', payload);
  return promise;
}
