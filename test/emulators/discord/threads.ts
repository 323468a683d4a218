import type { EmulatorCore } from './core.ts';
import { LIMITS } from './limits.ts';
import type { ChannelRecord, JsonObject } from './objects.ts';
import type { StoredMessage } from './types.ts';
import { type ApiError, FormErrors } from './validate.ts';

/** What a new thread needs. */
export interface NewThread {
  parent: ChannelRecord;
  name: string;
  ownerId: string;
  /** 11 public (default) or 12 private. */
  type?: number;
  /** Threads started from a message share the message's id, as on Discord. */
  id?: string;
  autoArchiveDuration?: number;
  appliedTags?: string[];
}

const ARCHIVE_DURATIONS = new Set([60, 1440, 4320, 10080]);

/**
 * Collects what Discord refuses in a thread create body: the name, 1–100 characters (`LIMITS.thread`),
 * and the archive duration, one of Discord's four.
 */
export function threadBodyErrors(errors: FormErrors, body: JsonObject): void {
  errors.requiredString(['name'], body.name, LIMITS.thread.name);
  const duration = body.auto_archive_duration;
  if (duration !== undefined && duration !== null && !ARCHIVE_DURATIONS.has(Number(duration))) {
    errors.add(
      ['auto_archive_duration'],
      'BASE_TYPE_CHOICES',
      'Value must be one of {60, 1440, 4320, 10080}.',
    );
  }
}

/** Validates the name and archive duration of a thread create body. */
export function threadBodyError(body: JsonObject): ApiError | null {
  const errors = new FormErrors();
  threadBodyErrors(errors, body);
  return errors.toApiError();
}

/** The wire form of a thread as THREAD_CREATE carries it (with the bot's thread member when it joined). */
export function threadCreateData(
  core: EmulatorCore,
  thread: ChannelRecord,
  newlyCreated: boolean,
): JsonObject {
  const data: JsonObject = { ...core.store.channelJson(thread), newly_created: newlyCreated };
  const botId = core.store.botUser.id;
  if (thread.thread?.memberIds.has(botId)) {
    data.member = { id: thread.id, user_id: botId, join_timestamp: thread.thread.createTimestamp, flags: 0 };
  }
  return data;
}

/** Creates a thread channel under a parent and dispatches THREAD_CREATE. */
export function createThread(core: EmulatorCore, spec: NewThread): ChannelRecord {
  const { store } = core;
  const thread = store.addChannel({
    id: spec.id ?? store.nextId(),
    type: spec.type ?? 11,
    guildId: spec.parent.guildId,
    name: spec.name,
    parentId: spec.parent.id,
  });
  thread.thread = store.newThreadState(spec.ownerId, spec.autoArchiveDuration ?? 4320);
  thread.thread.appliedTags = [...(spec.appliedTags ?? [])];
  const starter = spec.id ? store.message(spec.id, spec.parent.id) : undefined;
  if (starter) {
    // The starter message now carries the HAS_THREAD flag and the thread.
    const marked = { ...starter, flags: (starter.flags ?? 0) | 32, thread: store.channelJson(thread) };
    store.putMessage(marked as unknown as StoredMessage);
  }
  core.gateway.dispatch('THREAD_CREATE', threadCreateData(core, thread, true));
  return thread;
}
