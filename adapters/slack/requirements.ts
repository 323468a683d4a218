/**
 * What the adapter needs from a Slack app, checked against `manifest/slack/manifest.yaml` by a test:
 * the Web API methods it calls (with the bot scope each needs; `null` when none), the scopes its
 * features need beyond single methods, and the events it subscribes to.
 */
export const WEB_API_METHODS: Readonly<Record<string, string | null>> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'team.info': 'team:read',
  'views.open': null,
  // The App Home (Slack lists no scope for it; the home tab must be enabled in the manifest).
  'views.publish': null,
  // Socket Mode only, with the app-level token (scope connections:write on that token).
  'apps.connections.open': null,
};

/** Scopes for features rather than single methods. */
export const FEATURE_SCOPES: Readonly<Record<string, string>> = {
  commands: 'the /heed slash command',
  'channels:history':
    'message.channels events (customer messages and thread replies in public and Slack Connect channels), and conversations.history/.replies to catch up on them after downtime',
  'groups:history': 'message.groups events: the same in private channels',
  'users:read.email': 'users.info returns profile.email, so tiers can match e-mail domains',
};

/** Every bot scope the adapter needs, no more. */
export const BOT_SCOPES: readonly string[] = [
  ...new Set([
    ...Object.values(WEB_API_METHODS).filter((scope): scope is string => scope !== null),
    ...Object.keys(FEATURE_SCOPES),
  ]),
].sort();

/**
 * The Events API subscriptions: `message` events (the intake listener) and `app_home_opened` (the App
 * Home listener).
 */
export const BOT_EVENTS: readonly string[] = ['message.channels', 'message.groups', 'app_home_opened'];

/** Where Slack sends events, commands and interactions in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
