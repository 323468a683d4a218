import {
  type ApiContext,
  type ApiReply,
  fail,
  type MethodSpec,
  ok,
  str,
  userObject,
} from './web-api-common.ts';

function authTest({ ws }: ApiContext): ApiReply {
  const { teamDomain, teamName, botName, teamId, botUserId, botId } = ws.info;
  return ok({
    url: `https://${teamDomain}.slack.com/`,
    team: teamName,
    user: botName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  });
}

function usersInfo({ ws, args }: ApiContext): ApiReply {
  const user = ws.users.get(str(args, 'user') ?? '');
  if (!user) return fail('user_not_found');
  return ok({ user: userObject(ws, user) });
}

function lookupByEmail({ ws, args }: ApiContext): ApiReply {
  const email = str(args, 'email')?.toLowerCase();
  const user = [...ws.users.values()].find((u) => u.email?.toLowerCase() === email);
  if (!user) return fail('users_not_found');
  return ok({ user: userObject(ws, user) });
}

function teamInfo({ ws, args }: ApiContext): ApiReply {
  const { teamId, teamName, teamDomain } = ws.info;
  const requested = str(args, 'team');
  if (requested !== undefined && requested !== teamId) {
    const known = [...ws.users.values()].some((u) => u.teamId === requested);
    if (!known) return fail('team_not_found');
    const name = ws.info.externalTeams.get(requested) ?? requested;
    return ok({ team: { id: requested, name, domain: requested.toLowerCase(), icon: {} } });
  }
  return ok({
    team: { id: teamId, name: teamName, domain: teamDomain, email_domain: '', icon: { image_default: true } },
  });
}

function botsInfo({ ws, args }: ApiContext): ApiReply {
  const { botId, apiAppId, botUserId, botName } = ws.info;
  const requested = str(args, 'bot') ?? botId;
  if (requested !== botId) return fail('bot_not_found');
  return ok({
    bot: { id: botId, deleted: false, name: botName, app_id: apiAppId, user_id: botUserId, icons: {} },
  });
}

function connectionsOpen({ hooks }: ApiContext): ApiReply {
  const url = hooks.socketUrl();
  if (url === undefined) return fail('invalid_auth');
  return ok({ url });
}

/** `auth.test`, `users.*`, `team.info`, `bots.info`, `apps.connections.open`. */
export const identityMethods: Record<string, MethodSpec> = {
  'auth.test': { token: 'bot', handle: authTest },
  'users.info': { token: 'bot', handle: usersInfo },
  'users.lookupByEmail': { token: 'bot', handle: lookupByEmail },
  'team.info': { token: 'bot', handle: teamInfo },
  'bots.info': { token: 'bot', handle: botsInfo },
  'apps.connections.open': { token: 'app', handle: connectionsOpen },
};
