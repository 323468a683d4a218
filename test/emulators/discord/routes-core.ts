import type { EmulatorCore } from './core.ts';
import { isThreadType, userObject } from './objects.ts';
import { bodyObject, ok, type RestRequest, type RestResponse, type RouteDef } from './router.ts';
import { apiError } from './validate.ts';

function gatewayBot(core: EmulatorCore): RestResponse {
  return ok({
    url: core.origin().replace(/^http/, 'ws'),
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
  });
}

function application(core: EmulatorCore): RestResponse {
  const { store, options } = core;
  return ok({
    id: options.applicationId,
    name: store.botUser.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 565248,
    team: null,
    owner: userObject(store.users.get(store.guilds.values().next().value?.ownerId ?? '') ?? store.botUser),
    bot: userObject(store.botUser),
    approximate_guild_count: store.guilds.size,
    interactions_endpoint_url: null,
    redirect_uris: [],
    tags: [],
  });
}

function getUser(core: EmulatorCore, request: RestRequest): RestResponse {
  const user = core.store.users.get(request.params.uid ?? '');
  return user ? ok(userObject(user)) : apiError(404, 10013, 'Unknown User');
}

function createDm(core: EmulatorCore, request: RestRequest): RestResponse {
  const recipientId = bodyObject(request).recipient_id;
  const user = typeof recipientId === 'string' ? core.store.users.get(recipientId) : undefined;
  if (!user || user.id === core.store.botUser.id) return apiError(400, 50033, 'Invalid Recipient(s)');
  return ok(core.store.channelJson(core.store.dmChannel(user.id)));
}

function guildMember(core: EmulatorCore, request: RestRequest): RestResponse {
  if (!core.store.guilds.has(request.params.id ?? '')) return apiError(404, 10004, 'Unknown Guild');
  const member = core.store.memberJson(request.params.id ?? '', request.params.uid ?? '');
  return member ? ok(member) : apiError(404, 10007, 'Unknown Member');
}

/**
 * `GET /users/@me/guilds`: the bot's guilds as partial guild objects, in id order, `limit` 1–200
 * (default 200) after or before a guild id, as Discord pages them.
 */
function botGuilds(core: EmulatorCore, request: RestRequest): RestResponse {
  const limit = request.query.limit === undefined ? 200 : Number(request.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    return apiError(400, 50035, 'Invalid Form Body', {
      limit: {
        _errors: [
          {
            code: 'NUMBER_TYPE_MAX',
            message: 'int value should be less than or equal to 200 and at least 1.',
          },
        ],
      },
    });
  }
  for (const key of ['after', 'before'] as const) {
    const value = request.query[key];
    if (value !== undefined && !/^\d{1,20}$/.test(value)) {
      return apiError(400, 50035, 'Invalid Form Body', {
        [key]: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: `Value "${value}" is not snowflake.` }] },
      });
    }
  }
  const botId = core.store.botUser.id;
  let guilds = [...core.store.guilds.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const { after, before } = request.query;
  if (before !== undefined) guilds = guilds.filter((g) => BigInt(g.id) < BigInt(before)).slice(-limit);
  else guilds = guilds.filter((g) => after === undefined || BigInt(g.id) > BigInt(after)).slice(0, limit);
  return ok(
    guilds.map((guild) => ({
      id: guild.id,
      name: guild.name,
      icon: null,
      banner: null,
      owner: guild.ownerId === botId,
      permissions: core.store.permissionsOf(guild.id, botId),
      features: [],
    })),
  );
}

function guildChannels(core: EmulatorCore, request: RestRequest): RestResponse {
  const guild = core.store.guilds.get(request.params.id ?? '');
  if (!guild) return apiError(404, 10004, 'Unknown Guild');
  const channels = guild.channelIds.map((id) => core.store.channel(id)).filter((c) => !isThreadType(c.type));
  return ok(channels.map((c) => core.store.channelJson(c)));
}

function guildRoles(core: EmulatorCore, request: RestRequest): RestResponse {
  const guild = core.store.guilds.get(request.params.id ?? '');
  return guild ? ok([...guild.roles.values()]) : apiError(404, 10004, 'Unknown Guild');
}

function guildMembers(core: EmulatorCore, request: RestRequest): RestResponse {
  const guild = core.store.guilds.get(request.params.id ?? '');
  if (!guild) return apiError(404, 10004, 'Unknown Guild');
  const limit = Math.min(Math.max(Number(request.query.limit ?? 1) || 1, 1), 1000);
  const after = BigInt(request.query.after ?? '0');
  const members = [...guild.members.keys()]
    .filter((id) => BigInt(id) > after)
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
    .slice(0, limit)
    .map((id) => core.store.memberJson(guild.id, id));
  return ok(members);
}

function commandScope(core: EmulatorCore, request: RestRequest): string | null | RestResponse {
  if (request.params.app !== core.options.applicationId) return apiError(403, 50001, 'Missing Access');
  const guildId = request.params.guild ?? null;
  if (guildId !== null && !core.store.guilds.has(guildId)) return apiError(403, 50001, 'Missing Access');
  return guildId;
}

function isResponse(value: string | null | RestResponse): value is RestResponse {
  return value !== null && typeof value === 'object';
}

function commandRoutes(core: EmulatorCore, base: string): RouteDef[] {
  return [
    {
      method: 'GET',
      path: base,
      auth: true,
      handle: (r) => {
        const scope = commandScope(core, r);
        return isResponse(scope) ? scope : ok(core.commands.list(scope));
      },
    },
    {
      method: 'PUT',
      path: base,
      auth: true,
      handle: (r) => {
        const scope = commandScope(core, r);
        if (isResponse(scope)) return scope;
        const result = core.commands.overwrite(scope, r.body);
        return Array.isArray(result) ? ok(result) : result;
      },
    },
    {
      method: 'POST',
      path: base,
      auth: true,
      handle: (r) => {
        const scope = commandScope(core, r);
        if (isResponse(scope)) return scope;
        const result = core.commands.upsert(scope, bodyObject(r));
        return 'command' in result ? ok(result.command, result.created ? 201 : 200) : result;
      },
    },
  ];
}

/** Gateway, user, application, guild and application-command routes. */
export function coreRoutes(core: EmulatorCore): RouteDef[] {
  return [
    { method: 'GET', path: '/gateway/bot', auth: true, handle: () => gatewayBot(core) },
    {
      method: 'GET',
      path: '/gateway',
      auth: false,
      handle: () => ok({ url: core.origin().replace(/^http/, 'ws') }),
    },
    { method: 'GET', path: '/users/@me', auth: true, handle: () => ok(core.store.botUserJson()) },
    { method: 'GET', path: '/users/@me/guilds', auth: true, handle: (r) => botGuilds(core, r) },
    { method: 'POST', path: '/users/@me/channels', auth: true, handle: (r) => createDm(core, r) },
    { method: 'GET', path: '/users/:uid', auth: true, handle: (r) => getUser(core, r) },
    { method: 'GET', path: '/applications/@me', auth: true, handle: () => application(core) },
    { method: 'GET', path: '/oauth2/applications/@me', auth: true, handle: () => application(core) },
    { method: 'GET', path: '/guilds/:id/members/:uid', auth: true, handle: (r) => guildMember(core, r) },
    { method: 'GET', path: '/guilds/:id/members', auth: true, handle: (r) => guildMembers(core, r) },
    { method: 'GET', path: '/guilds/:id/channels', auth: true, handle: (r) => guildChannels(core, r) },
    { method: 'GET', path: '/guilds/:id/roles', auth: true, handle: (r) => guildRoles(core, r) },
    ...commandRoutes(core, '/applications/:app/commands'),
    ...commandRoutes(core, '/applications/:app/guilds/:guild/commands'),
  ];
}
