import { createBotMessage, isApiError } from './bot-messages.ts';
import type { EmulatorCore } from './core.ts';
import { LIMITS } from './limits.ts';
import { isThreadType, type JsonObject } from './objects.ts';
import { bodyObject, noContent, ok, type RestRequest, type RestResponse, type RouteDef } from './router.ts';
import { activeThreads, publicArchivedThreads } from './thread-lists.ts';
import { createThread, threadBodyError, threadBodyErrors } from './threads.ts';
import { apiError, FormErrors, messageBodyErrors, validateMessageBody } from './validate.ts';

const unknownChannel = () => apiError(404, 10003, 'Unknown Channel');
const wrongChannelType = () => apiError(400, 50024, 'Cannot execute action on this channel type');

function threadFromMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const parent = core.store.channels.get(request.params.id ?? '');
  if (!parent) return unknownChannel();
  if (parent.type !== 0 && parent.type !== 5) return wrongChannelType();
  const message = core.store.message(request.params.mid ?? '', parent.id);
  if (!message) return apiError(404, 10008, 'Unknown Message');
  if (core.store.channels.has(message.id)) {
    return apiError(400, 160004, 'A thread has already been created for this message');
  }
  const body = bodyObject(request);
  const invalid = threadBodyError(body);
  if (invalid) return invalid;
  const thread = createThread(core, {
    parent,
    id: message.id,
    name: String(body.name),
    ownerId: core.store.botUser.id,
    type: parent.type === 5 ? 10 : 11,
    ...(typeof body.auto_archive_duration === 'number'
      ? { autoArchiveDuration: body.auto_archive_duration }
      : {}),
  });
  return ok(core.store.channelJson(thread), 201);
}

function forumPost(core: EmulatorCore, request: RestRequest, body: JsonObject): RestResponse {
  const parent = core.store.channel(request.params.id ?? '');
  const starter = body.message as JsonObject | undefined;
  const errors = new FormErrors();
  threadBodyErrors(errors, body);
  if (!starter || typeof starter !== 'object') errors.required(['message']);
  else messageBodyErrors(errors, starter, ['message']);
  const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
  errors.maxLength(['applied_tags'], tags.length, LIMITS.thread.appliedTags);
  const invalid = errors.toApiError();
  if (invalid || !starter) return invalid ?? apiError(400, 50035, 'Invalid Form Body');
  const empty = validateMessageBody(starter, { hasFiles: request.files.length > 0, edit: false });
  if (empty) return empty;
  const unknownTag = tags.find((tag) => !parent.availableTags.some((t) => t.id === tag));
  if (unknownTag) {
    return apiError(400, 50035, 'Invalid Form Body', {
      applied_tags: { _errors: [{ code: 'TAG_NOT_FOUND', message: `Unknown tag ${unknownTag}` }] },
    });
  }
  const thread = createThread(core, {
    parent,
    name: String(body.name),
    ownerId: core.store.botUser.id,
    type: 11,
    appliedTags: tags,
    ...(typeof body.auto_archive_duration === 'number'
      ? { autoArchiveDuration: body.auto_archive_duration }
      : {}),
  });
  const message = createBotMessage(core, thread, starter, request.files, { id: thread.id });
  if (isApiError(message)) return message;
  return ok({ ...core.store.channelJson(thread), message }, 201);
}

function threadWithoutMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const parent = core.store.channels.get(request.params.id ?? '');
  if (!parent) return unknownChannel();
  const body = bodyObject(request);
  if (parent.type === 15) return forumPost(core, request, body);
  const invalid = threadBodyError(body);
  if (invalid) return invalid;
  if (parent.type !== 0 && parent.type !== 5) return wrongChannelType();
  const type = typeof body.type === 'number' ? body.type : 12;
  if (type !== 10 && type !== 11 && type !== 12) return wrongChannelType();
  const thread = createThread(core, {
    parent,
    name: String(body.name),
    ownerId: core.store.botUser.id,
    type,
    ...(typeof body.auto_archive_duration === 'number'
      ? { autoArchiveDuration: body.auto_archive_duration }
      : {}),
  });
  if (type === 11) {
    // Discord announces public threads started without a message with a THREAD_CREATED system message.
    createBotMessage(core, parent, { content: String(body.name) }, [], { type: 18 });
  }
  return ok(core.store.channelJson(thread), 201);
}

function threadMember(core: EmulatorCore, request: RestRequest, join: boolean): RestResponse {
  const thread = core.store.channels.get(request.params.id ?? '');
  if (!thread) return unknownChannel();
  if (!isThreadType(thread.type) || !thread.thread) return wrongChannelType();
  const userId = request.params.uid ?? core.store.botUser.id;
  if (!core.store.users.has(userId)) return apiError(404, 10013, 'Unknown User');
  if (join) thread.thread.memberIds.add(userId);
  else thread.thread.memberIds.delete(userId);
  return noContent();
}

/** Thread routes: start from a message, start without one (or a forum post), join/leave, list. */
export function threadRoutes(core: EmulatorCore): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/channels/:id/messages/:mid/threads',
      auth: true,
      handle: (r) => threadFromMessage(core, r),
    },
    {
      method: 'POST',
      path: '/channels/:id/threads',
      auth: true,
      handle: (r) => threadWithoutMessage(core, r),
    },
    {
      method: 'PUT',
      path: '/channels/:id/thread-members/@me',
      auth: true,
      handle: (r) => threadMember(core, r, true),
    },
    {
      method: 'DELETE',
      path: '/channels/:id/thread-members/@me',
      auth: true,
      handle: (r) => threadMember(core, r, false),
    },
    {
      method: 'PUT',
      path: '/channels/:id/thread-members/:uid',
      auth: true,
      handle: (r) => threadMember(core, r, true),
    },
    { method: 'GET', path: '/guilds/:id/threads/active', auth: true, handle: (r) => activeThreads(core, r) },
    {
      method: 'GET',
      path: '/channels/:id/threads/archived/public',
      auth: true,
      handle: (r) => publicArchivedThreads(core, r),
    },
  ];
}
