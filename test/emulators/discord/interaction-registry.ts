import type { JsonObject } from './objects.ts';
import type { InteractionCallback, InteractionPromise } from './types.ts';

/** One interaction Discord sent, and what the bot did with it. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  createdAt: number;
  /** True once a callback was accepted. */
  acknowledged: boolean;
  /** True when the response window passed without a callback (Discord then answers 10062). */
  expired: boolean;
  callbacks: InteractionCallback[];
  /** The `@original` response message, once there is one. */
  originalMessageId: string | null;
  /** The message a component was on (component interactions). */
  sourceMessageId: string | null;
  payload: JsonObject;
}

interface Pending {
  resolve: (callback: InteractionCallback) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Interactions by id and token, with the promise each helper returns. */
export class InteractionRegistry {
  /** Modals the bot opened (callback type 9), by custom_id: used to shape modal submissions. */
  readonly modals = new Map<string, JsonObject>();
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();
  private readonly pending = new Map<string, Pending>();

  /** Registers an interaction and returns the promise of its first callback. */
  register(record: InteractionRecord, timeoutMs: number): InteractionPromise {
    this.byId.set(record.id, record);
    this.byToken.set(record.token, record);
    const promise = new Promise<InteractionCallback>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(record.id);
        if (!record.acknowledged) record.expired = true;
        reject(
          new Error(`discord emulator: interaction ${record.id} was not acknowledged within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(record.id, { resolve, reject, timer });
    });
    // Callers may ignore the promise; a timeout must not become an unhandled rejection.
    promise.catch(() => {});
    return Object.assign(promise, { interaction: record.payload, id: record.id, token: record.token });
  }

  /** Records an accepted callback and settles the helper's promise. */
  acknowledge(record: InteractionRecord, callback: InteractionCallback): void {
    record.acknowledged = true;
    record.callbacks.push(callback);
    const pending = this.pending.get(record.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(record.id);
    pending.resolve(callback);
  }

  /** An interaction by id. */
  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id);
  }

  /** An interaction by its token (webhook routes). */
  getByToken(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }

  /** Every interaction, oldest first. */
  all(): InteractionRecord[] {
    return [...this.byId.values()];
  }

  /** Rejects pending promises and clears timers (emulator shutdown). */
  close(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error('discord emulator closed'));
    }
    this.pending.clear();
  }
}
