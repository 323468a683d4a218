import type { EmulatorCore } from './core.ts';
import {
  type AllowedMentions,
  attachmentObject,
  buildMessage,
  messageEventData,
  normalizeComponents,
  normalizeEmbeds,
} from './messages.ts';
import { type ChannelRecord, isTextType, type JsonObject, type UserRecord } from './objects.ts';
import type { UploadedFile } from './router.ts';
import type { StoredMessage } from './types.ts';
import { type ApiError, apiError, validateMessageBody } from './validate.ts';

/** Extra fields for messages created by interaction responses and webhooks. */
export interface BotMessageExtras {
  id?: string;
  author?: UserRecord;
  type?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: JsonObject;
  /** Skip the MESSAGE_CREATE dispatch (ephemeral messages are never dispatched). */
  silent?: boolean;
  /** Allow an empty message (the "thinking…" placeholder of a deferred reply). */
  allowEmpty?: boolean;
  /** Where the body sits in the request, for error paths: `['data']` in a callback, `['message']` in a forum post. */
  errorPath?: string[];
}

function attachmentsFor(
  core: EmulatorCore,
  channelId: string,
  body: JsonObject,
  files: UploadedFile[],
): JsonObject[] {
  const described = Array.isArray(body.attachments) ? (body.attachments as JsonObject[]) : [];
  return files.map((file, index) => {
    const meta = described.find((a) => String(a.id) === String(index)) ?? described[index];
    const description = typeof meta?.description === 'string' ? meta.description : undefined;
    const filename = typeof meta?.filename === 'string' ? meta.filename : file.filename;
    return attachmentObject(core.origin(), channelId, { ...file, filename }, description);
  });
}

/** Checks that the bot may post in a channel; returns the channel or an API error. */
export function postableChannel(core: EmulatorCore, channelId: string): ChannelRecord | ApiError {
  const channel = core.store.channels.get(channelId);
  if (!channel) return apiError(404, 10003, 'Unknown Channel');
  if (!isTextType(channel.type)) return apiError(400, 50008, 'Cannot send messages in a non-text channel');
  if (channel.type === 1) {
    const recipient = channel.recipientId ? core.store.users.get(channel.recipientId) : undefined;
    if (!recipient || recipient.dmsClosed) return apiError(403, 50007, 'Cannot send messages to this user');
  }
  if (channel.thread?.locked) return apiError(403, 160005, 'Thread is locked');
  return channel;
}

/**
 * Creates a message authored by the bot (or `extras.author`) from a REST body: validates it like
 * Discord, stores it and dispatches MESSAGE_CREATE (Discord echoes the bot's own messages).
 */
export function createBotMessage(
  core: EmulatorCore,
  channel: ChannelRecord,
  body: JsonObject,
  files: UploadedFile[],
  extras: BotMessageExtras = {},
): StoredMessage | ApiError {
  const invalid = validateMessageBody(body, {
    hasFiles: files.length > 0,
    edit: extras.allowEmpty ?? false,
    at: extras.errorPath ?? [],
  });
  if (invalid) return invalid;
  const reference = body.message_reference as JsonObject | undefined;
  let referenced: StoredMessage | undefined;
  if (reference && typeof reference.message_id === 'string') {
    referenced = core.store.message(reference.message_id);
    if (!referenced && reference.fail_if_not_exists !== false) {
      return apiError(400, 50035, 'Invalid Form Body', {
        message_reference: {
          _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }],
        },
      });
    }
  }
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const message = buildMessage(core.store, {
    ...(extras.id ? { id: extras.id } : {}),
    channel,
    author: extras.author ?? core.store.botUser,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    attachments: attachmentsFor(core, channel.id, body, files),
    flags,
    tts: body.tts === true,
    ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
    ...(reference && referenced
      ? {
          messageReference: {
            type: 0,
            message_id: referenced.id,
            channel_id: referenced.channel_id,
            ...(channel.guildId ? { guild_id: channel.guildId } : {}),
          },
          referencedMessage: referenced,
        }
      : {}),
    ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions as AllowedMentions } : {}),
    ...(extras.type !== undefined ? { type: extras.type } : {}),
    ...(extras.webhookId ? { webhookId: extras.webhookId } : {}),
    ...(extras.applicationId ? { applicationId: extras.applicationId } : {}),
    ...(extras.interactionMetadata ? { interactionMetadata: extras.interactionMetadata } : {}),
  });
  core.store.putMessage(message);
  if (channel.thread?.archived) {
    // Posting in an archived (unlocked) thread unarchives it, as on Discord.
    channel.thread.archived = false;
    core.gateway.dispatch('THREAD_UPDATE', core.store.channelJson(channel));
  }
  if (!extras.silent && (flags & 64) === 0)
    core.gateway.dispatch('MESSAGE_CREATE', messageEventData(core.store, message));
  return message;
}

/** Applies an edit body to a stored message, stores it and dispatches MESSAGE_UPDATE. */
export function editStoredMessage(
  core: EmulatorCore,
  message: StoredMessage,
  body: JsonObject,
  files: UploadedFile[],
  options: { silent?: boolean; errorPath?: string[] } = {},
): StoredMessage | ApiError {
  const invalid = validateMessageBody(body, {
    hasFiles: files.length > 0,
    edit: true,
    at: options.errorPath ?? [],
  });
  if (invalid) return invalid;
  const updated: JsonObject = { ...message, edited_timestamp: core.store.isoNow() };
  if ('content' in body) updated.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) updated.embeds = normalizeEmbeds(Array.isArray(body.embeds) ? body.embeds : []);
  if ('components' in body)
    updated.components = normalizeComponents(Array.isArray(body.components) ? body.components : []);
  if (typeof body.flags === 'number')
    updated.flags = (message.flags ?? 0) & 64 ? body.flags | 64 : body.flags;
  // A deferred response loses its "thinking" flag once edited.
  if (typeof updated.flags === 'number') updated.flags &= ~128;
  if (files.length > 0 || Array.isArray(body.attachments)) {
    const kept = Array.isArray(body.attachments)
      ? message.attachments.filter((a) =>
          (body.attachments as JsonObject[]).some((k) => String(k.id) === a.id),
        )
      : message.attachments;
    updated.attachments = [...kept, ...attachmentsFor(core, message.channel_id, { attachments: [] }, files)];
  }
  const stored = core.store.putMessage(updated as unknown as StoredMessage);
  if (!options.silent && ((stored.flags ?? 0) & 64) === 0) {
    core.gateway.dispatch('MESSAGE_UPDATE', messageEventData(core.store, stored));
  }
  return stored;
}

/** Whether a value is an API error rather than a message. */
export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' && value !== null && 'status' in value && 'body' in value && !('id' in value)
  );
}
