import { createBotMessage, editStoredMessage, isApiError } from './bot-messages.ts';
import type { EmulatorCore } from './core.ts';
import type { InteractionRecord } from './interaction-registry.ts';
import { LIMITS } from './limits.ts';
import { validateModal } from './modal-rules.ts';
import type { JsonObject } from './objects.ts';
import { bodyObject, noContent, ok, type RestRequest, type RestResponse, type RouteDef } from './router.ts';
import type { InteractionCallbackData, StoredMessage } from './types.ts';
import { type ApiError, apiError, FormErrors } from './validate.ts';

const EPHEMERAL = 64;
const LOADING = 128;

const unknownInteraction = (): ApiError => apiError(404, 10062, 'Unknown interaction');
const unknownWebhook = (): ApiError => apiError(404, 10015, 'Unknown Webhook');
const unknownMessage = (): ApiError => apiError(404, 10008, 'Unknown Message');

function interactionMetadata(record: InteractionRecord): JsonObject {
  const user = (record.payload.member as JsonObject | undefined)?.user ?? record.payload.user;
  const data = record.payload.data as JsonObject | undefined;
  return {
    id: record.id,
    type: record.type,
    user,
    authorizing_integration_owners: record.payload.authorizing_integration_owners,
    ...(record.type === 2 && data ? { name: data.name, command_type: data.type } : {}),
    ...(record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
  };
}

function responseExtras(core: EmulatorCore, record: InteractionRecord, type: number) {
  return {
    type,
    webhookId: core.options.applicationId,
    applicationId: core.options.applicationId,
    interactionMetadata: interactionMetadata(record),
  };
}

/** Autocomplete choices: at most 25, each a name of 1–100 characters and a value (a string of at most 100). */
function validateAutocompleteResult(data: JsonObject): null | ApiError {
  const limits = LIMITS.autocomplete;
  const errors = new FormErrors();
  if (!Array.isArray(data.choices)) {
    errors.required(['data', 'choices']);
    return errors.toApiError();
  }
  errors.badLength(['data', 'choices'], data.choices.length, limits.choices);
  data.choices.forEach((raw, index) => {
    const choice = (raw ?? {}) as JsonObject;
    const at = ['data', 'choices', String(index)];
    errors.requiredString([...at, 'name'], choice.name, limits.name);
    if (typeof choice.value === 'string')
      errors.maxLength([...at, 'value'], choice.value.length, limits.value);
    else if (typeof choice.value !== 'number') errors.required([...at, 'value']);
  });
  return errors.toApiError();
}

function callbackResult(
  core: EmulatorCore,
  record: InteractionRecord,
  type: number,
  data: JsonObject,
  request: RestRequest,
): StoredMessage | null | ApiError {
  const channel = core.store.channels.get(record.channelId);
  if (!channel) return apiError(404, 10003, 'Unknown Channel');
  const source = record.sourceMessageId ? core.store.message(record.sourceMessageId) : undefined;
  const messageType = record.type === 2 ? 20 : 0;
  // docs interactions/receiving-and-responding.mdx: an autocomplete interaction is answered only with
  // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (8), and only it may be.
  if ((record.type === 4) !== (type === 8)) {
    return apiError(400, 50035, 'Invalid Form Body', {
      type: {
        _errors: [
          { code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid.' },
        ],
      },
    });
  }
  switch (type) {
    case 8:
      return validateAutocompleteResult(data);
    case 1:
    case 10:
    case 12:
      return null;
    case 4:
      return createBotMessage(core, channel, data, request.files, {
        ...responseExtras(core, record, messageType),
        errorPath: ['data'],
      });
    case 5: {
      const flags = LOADING | ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL);
      const loading = { content: '', flags, embeds: [], components: [] };
      // The "thinking…" placeholder is a real (empty, flagged) message.
      return createBotMessage(core, channel, loading, [], {
        ...responseExtras(core, record, messageType),
        allowEmpty: true,
      });
    }
    case 6:
    case 7: {
      if (!source) {
        return apiError(400, 50035, 'Invalid Form Body', {
          type: {
            _errors: [
              {
                code: 'INTERACTION_RESPONSE_TYPE_INVALID',
                message: 'Only valid for component-based interactions.',
              },
            ],
          },
        });
      }
      return type === 7
        ? editStoredMessage(core, source, data, request.files, { errorPath: ['data'] })
        : source;
    }
    case 9: {
      if (record.type === 5) return apiError(400, 50035, 'Invalid Form Body');
      const invalid = validateModal(data);
      if (invalid) return invalid;
      core.interactions.modals.set(String(data.custom_id), data);
      return null;
    }
    default:
      return apiError(400, 50035, 'Invalid Form Body', {
        type: {
          _errors: [
            { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.` },
          ],
        },
      });
  }
}

function callback(core: EmulatorCore, request: RestRequest): RestResponse {
  const record = core.interactions.get(request.params.id ?? '');
  if (!record || record.token !== request.params.token || record.expired) return unknownInteraction();
  if (record.acknowledged) return apiError(400, 40060, 'Interaction has already been acknowledged.');
  const body = bodyObject(request);
  const type = typeof body.type === 'number' ? body.type : -1;
  const data = (body.data ?? {}) as JsonObject;
  const result = callbackResult(core, record, type, data, request);
  if (isApiError(result)) return result;
  if (result) record.originalMessageId = result.id;
  core.interactions.acknowledge(record, {
    type,
    ...(body.data !== undefined ? { data: body.data as InteractionCallbackData } : {}),
  });
  if (request.query.with_response !== 'true') return noContent();
  return ok({
    interaction: {
      id: record.id,
      type: record.type,
      ...(result
        ? {
            response_message_id: result.id,
            response_message_loading: ((result.flags ?? 0) & LOADING) !== 0,
            response_message_ephemeral: ((result.flags ?? 0) & EPHEMERAL) !== 0,
          }
        : {}),
    },
    resource: { type, ...(result ? { message: result } : {}) },
  });
}

function webhookRecord(core: EmulatorCore, request: RestRequest): InteractionRecord | undefined {
  if (request.params.app !== core.options.applicationId) return undefined;
  return core.interactions.getByToken(request.params.token ?? '');
}

function targetMessage(
  core: EmulatorCore,
  record: InteractionRecord,
  messageId: string,
): StoredMessage | undefined {
  const id = messageId === '@original' ? record.originalMessageId : messageId;
  return id ? core.store.message(id) : undefined;
}

function followUp(core: EmulatorCore, request: RestRequest): RestResponse {
  const record = webhookRecord(core, request);
  if (!record?.acknowledged) return unknownWebhook();
  const body = bodyObject(request);
  const original = record.originalMessageId ? core.store.message(record.originalMessageId) : undefined;
  if (original && ((original.flags ?? 0) & LOADING) !== 0) {
    // The first follow-up after a deferred reply replaces the "thinking…" message (keeping its ephemerality).
    const flags =
      ((original.flags ?? 0) & EPHEMERAL) | (typeof body.flags === 'number' ? body.flags & ~EPHEMERAL : 0);
    const edited = editStoredMessage(core, original, { ...body, flags }, request.files);
    return isApiError(edited) ? edited : ok(edited);
  }
  const channel = core.store.channels.get(record.channelId);
  if (!channel) return apiError(404, 10003, 'Unknown Channel');
  const created = createBotMessage(core, channel, body, request.files, responseExtras(core, record, 0));
  return isApiError(created) ? created : ok(created);
}

function getWebhookMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const record = webhookRecord(core, request);
  if (!record) return unknownWebhook();
  const message = targetMessage(core, record, request.params.mid ?? '@original');
  return message ? ok(message) : unknownMessage();
}

function editWebhookMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const record = webhookRecord(core, request);
  if (!record) return unknownWebhook();
  const message = targetMessage(core, record, request.params.mid ?? '@original');
  if (!message) return unknownMessage();
  const edited = editStoredMessage(core, message, bodyObject(request), request.files);
  return isApiError(edited) ? edited : ok(edited);
}

function deleteWebhookMessage(core: EmulatorCore, request: RestRequest): RestResponse {
  const record = webhookRecord(core, request);
  if (!record) return unknownWebhook();
  const message = targetMessage(core, record, request.params.mid ?? '@original');
  if (!message) return unknownMessage();
  core.store.deleteMessage(message.id);
  if (((message.flags ?? 0) & EPHEMERAL) === 0) {
    core.gateway.dispatch('MESSAGE_DELETE', {
      id: message.id,
      channel_id: message.channel_id,
      ...(message.guild_id ? { guild_id: message.guild_id } : {}),
    });
  }
  return noContent();
}

/** Interaction callback and interaction webhook routes (no bot token: the interaction token authorizes). */
export function interactionRoutes(core: EmulatorCore): RouteDef[] {
  const original = (request: RestRequest): RestRequest => ({
    ...request,
    params: { ...request.params, mid: '@original' },
  });
  return [
    {
      method: 'POST',
      path: '/interactions/:id/:token/callback',
      auth: false,
      handle: (r) => callback(core, r),
    },
    { method: 'POST', path: '/webhooks/:app/:token', auth: false, handle: (r) => followUp(core, r) },
    {
      method: 'GET',
      path: '/webhooks/:app/:token/messages/@original',
      auth: false,
      handle: (r) => getWebhookMessage(core, original(r)),
    },
    {
      method: 'PATCH',
      path: '/webhooks/:app/:token/messages/@original',
      auth: false,
      handle: (r) => editWebhookMessage(core, original(r)),
    },
    {
      method: 'DELETE',
      path: '/webhooks/:app/:token/messages/@original',
      auth: false,
      handle: (r) => deleteWebhookMessage(core, original(r)),
    },
    {
      method: 'GET',
      path: '/webhooks/:app/:token/messages/:mid',
      auth: false,
      handle: (r) => getWebhookMessage(core, r),
    },
    {
      method: 'PATCH',
      path: '/webhooks/:app/:token/messages/:mid',
      auth: false,
      handle: (r) => editWebhookMessage(core, r),
    },
    {
      method: 'DELETE',
      path: '/webhooks/:app/:token/messages/:mid',
      auth: false,
      handle: (r) => deleteWebhookMessage(core, r),
    },
  ];
}
