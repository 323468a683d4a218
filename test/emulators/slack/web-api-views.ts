import { LIMITS, validateBlocks, withBlockIds } from './blocks.ts';
import { randomAlnum } from './ids.ts';
import { type ApiContext, type ApiReply, fail, type MethodSpec, ok, str } from './web-api-common.ts';
import type { Workspace } from './workspace.ts';

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomAlnum(8)}`;
}

function readView(args: Record<string, unknown>): Record<string, unknown> | { error: string } {
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return { error: 'invalid_arguments' };
  const record = view as Record<string, unknown>;
  if (typeof record.type !== 'string') return { error: 'invalid_arguments' };
  const blocksError = validateBlocks(record.blocks ?? [], LIMITS.blocksPerView);
  if (blocksError) return { error: blocksError };
  return record;
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
    const input = readView(args);
    if ('error' in input) return fail(String(input.error));
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
  const input = readView(args);
  if ('error' in input) return fail(String(input.error));
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

function publish({ ws, args }: ApiContext): ApiReply {
  const userId = str(args, 'user_id');
  if (userId === undefined || !ws.users.has(userId)) return fail('user_not_found');
  const input = readView(args);
  if ('error' in input) return fail(String(input.error));
  if (input.type !== 'home') return fail('invalid_arguments');
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
