import { checkView, describeProblem, withBlockIds } from './blocks.ts';
import { randomAlnum } from './ids.ts';
import { type ApiContext, type ApiReply, fail, type MethodSpec, ok, str } from './web-api-common.ts';
import type { Workspace } from './workspace.ts';

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomAlnum(8)}`;
}

/**
 * Slack's answer to a view it refuses: `invalid_arguments`, the problems in `response_metadata.messages`
 * after a first line naming the whole view, e.g. `[ERROR] failed to match all allowed schemas
 * [json-pointer:/view]`, `[ERROR] must be less than 25 characters [json-pointer:/view/title/text]`.
 */
function refusedView(sentences: string[]): ApiReply {
  const messages = ['failed to match all allowed schemas [json-pointer:/view]', ...sentences];
  return fail('invalid_arguments', {
    response_metadata: { messages: messages.map((sentence) => `[ERROR] ${sentence}`) },
  });
}

/** The `view` argument, or Slack's refusal when it is missing or would not be accepted. */
function readView(args: Record<string, unknown>): { view: Record<string, unknown> } | { refused: ApiReply } {
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view)) {
    return { refused: refusedView([`must provide an object [json-pointer:/view]`]) };
  }
  const record = view as Record<string, unknown>;
  const problems = checkView(record);
  if (problems.length > 0) return { refused: refusedView(problems.map(describeProblem)) };
  return { view: record };
}

function materialize(
  ws: Workspace,
  input: Record<string, unknown>,
  id: string,
  rootViewId: string,
  previousViewId: string | null,
): Record<string, unknown> {
  const { teamId, apiAppId, botId } = ws.info;
  return {
    id,
    team_id: teamId,
    type: input.type,
    blocks: withBlockIds(Array.isArray(input.blocks) ? input.blocks : []),
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    state: { values: {} },
    hash: newHash(),
    title: input.title,
    clear_on_close: input.clear_on_close ?? false,
    notify_on_close: input.notify_on_close ?? false,
    close: input.close ?? null,
    submit: input.submit ?? null,
    previous_view_id: previousViewId,
    root_view_id: rootViewId,
    app_id: apiAppId,
    external_id: input.external_id ?? '',
    app_installed_team_id: teamId,
    bot_id: botId,
  };
}

function record(ws: Workspace, method: string, view: Record<string, unknown>, extra: Record<string, string>) {
  ws.views.set(String(view.id), view);
  ws.viewHistory.push({ id: String(view.id), method, view, at: Date.now(), ...extra });
}

function openOrPush(method: 'views.open' | 'views.push') {
  return ({ ws, args }: ApiContext): ApiReply => {
    const triggerId = str(args, 'trigger_id');
    if (triggerId === undefined) return fail('invalid_arguments');
    const read = readView(args);
    if ('refused' in read) return read.refused;
    const input = read.view;
    const exchanged = ws.useTrigger(triggerId);
    if ('error' in exchanged) return fail(exchanged.error);
    const id = ws.ids.next('V');
    const root =
      method === 'views.push'
        ? [...ws.viewHistory].reverse().find((v) => v.userId === exchanged.userId)
        : undefined;
    const view = materialize(ws, input, id, String(root?.view.root_view_id ?? id), root?.id ?? null);
    record(ws, method, view, {
      triggerId,
      ...(exchanged.userId !== undefined ? { userId: exchanged.userId } : {}),
    });
    return ok({ view });
  };
}

function update({ ws, args }: ApiContext): ApiReply {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  if (viewId === undefined && externalId === undefined) return fail('invalid_arguments');
  const current =
    viewId !== undefined
      ? ws.views.get(viewId)
      : [...ws.views.values()].find((v) => v.external_id === externalId);
  if (!current) return fail('not_found');
  const hash = str(args, 'hash');
  if (hash !== undefined && hash !== current.hash) return fail('hash_conflict');
  const read = readView(args);
  if ('refused' in read) return read.refused;
  const input = read.view;
  const view = materialize(
    ws,
    input,
    String(current.id),
    String(current.root_view_id),
    (current.previous_view_id as string | null) ?? null,
  );
  const previous = ws.viewHistory.find((v) => v.id === current.id);
  record(ws, 'views.update', view, previous?.userId !== undefined ? { userId: previous.userId } : {});
  return ok({ view });
}

/** "Error returned if the provided view is greater than 250kb" (views.publish reference, `view_too_large`). */
const VIEW_MAX_BYTES = 250 * 1024;

/**
 * `views.publish` (https://api.slack.com/methods/views.publish): `user_id` and a `home` view;
 * `not_enabled` "if a `home` view is published but the Home tab isn't enabled for the app",
 * `view_too_large` past 250 kB, and the view checks every view gets (at most 100 blocks in a Home tab).
 */
function publish({ ws, args }: ApiContext): ApiReply {
  const userId = str(args, 'user_id');
  if (userId === undefined || !ws.users.has(userId)) return fail('user_not_found');
  if (Buffer.byteLength(JSON.stringify(args.view ?? null)) > VIEW_MAX_BYTES) return fail('view_too_large');
  const read = readView(args);
  if ('refused' in read) return read.refused;
  const input = read.view;
  if (input.type !== 'home') return fail('invalid_arguments');
  if (!ws.info.homeTabEnabled) return fail('not_enabled');
  const existing = ws.viewHistory.find((v) => v.method === 'views.publish' && v.userId === userId);
  const id = existing?.id ?? ws.ids.next('V');
  const view = materialize(ws, input, id, id, null);
  record(ws, 'views.publish', view, { userId });
  return ok({ view });
}

/** `views.open`, `views.push`, `views.update`, `views.publish`. */
export const viewMethods: Record<string, MethodSpec> = {
  'views.open': { token: 'bot', handle: openOrPush('views.open') },
  'views.push': { token: 'bot', handle: openOrPush('views.push') },
  'views.update': { token: 'bot', handle: update },
  'views.publish': { token: 'bot', handle: publish },
};
