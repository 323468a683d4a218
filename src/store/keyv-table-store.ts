/**
 * A keyv 5 store over the `ttl_keys` table, so keyv's short-lived keys live in the same database as
 * everything else: `new Keyv({ store: new KeyvTableStore(new TtlKeys(database)), namespace: 'forms' })`.
 * keyv serializes values and prefixes keys with its namespace; this store adds `keyv:` in front, so its
 * rows never meet the coordination keys (`lock:`, `claim:`, `delivery:`) that share the table.
 */
import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { z } from 'zod';
import type { Logger } from '../logging/logger.ts';
import type { TtlKeys } from './ttl-keys.ts';

/** Every row this store writes starts with this. */
export const KEYV_ROW_PREFIX = 'keyv:';
/** The table needs an expiry: a key set without a TTL lasts this long. */
export const KEYV_DEFAULT_TTL_MS = 30 * 24 * 60 * 60_000;

// What keyv's default serializer writes: `{"value":…,"expires":…}` (expires left out without a TTL).
const envelopeSchema = z.object({ value: z.unknown(), expires: z.number().nullish() });

export interface KeyvTableStoreOptions {
  /** Told (without the value) when a row cannot be read back; it then counts as absent. */
  readonly logger?: Logger;
  /** How long a key set without a TTL lasts (default 30 days). */
  readonly defaultTtlMs?: number;
}

/**
 * keyv's `KeyvStoreAdapter` on {@link TtlKeys}. Values are keyv's serialized strings (the default JSON
 * serializer); what is read back is checked to be one before keyv deserializes it, and a row that is
 * not (corrupt, or written by something else) is treated as absent, never thrown. It is left in place:
 * during a rolling deploy it may be another version's, and its expiry removes it anyway.
 */
export class KeyvTableStore extends EventEmitter implements KeyvStoreAdapter {
  /** Set by keyv from its own `namespace` option; `clear()` removes that namespace only. */
  namespace?: string | undefined;
  readonly opts: { readonly table: 'ttl_keys'; readonly defaultTtlMs: number };

  constructor(
    private readonly keys: TtlKeys,
    private readonly options: KeyvTableStoreOptions = {},
  ) {
    super();
    this.opts = { table: 'ttl_keys', defaultTtlMs: options.defaultTtlMs ?? KEYV_DEFAULT_TTL_MS };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = await this.keys.get(KEYV_ROW_PREFIX + key);
    return this.readable(key, row) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const rows = await this.keys.getMany(keys.map((key) => KEYV_ROW_PREFIX + key));
    return keys.map((key) => this.readable(key, rows.get(KEYV_ROW_PREFIX + key)) as StoredData<Value>);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    return (await this.getMany(keys)).map((value) => value !== undefined);
  }

  /** `value` is keyv's serialized string; `ttl` in milliseconds (none: the default expiry). */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    if (typeof value !== 'string') {
      throw new TypeError('KeyvTableStore stores serialized strings: keep keyv’s serializer on');
    }
    const ttlMs = typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : this.opts.defaultTtlMs;
    await this.keys.set(KEYV_ROW_PREFIX + key, value, ttlMs);
    return true;
  }

  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    await Promise.all(entries.map((entry) => this.set(entry.key, entry.value, entry.ttl)));
  }

  async delete(key: string): Promise<boolean> {
    return this.keys.delete(KEYV_ROW_PREFIX + key);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const deleted = await Promise.all(keys.map((key) => this.delete(key)));
    return deleted.every(Boolean);
  }

  /** Deletes this namespace's keys (keyv prefixes them `<namespace>:`), or every keyv key without one. */
  async clear(): Promise<void> {
    await this.keys.deletePrefix(this.namespace ? `${KEYV_ROW_PREFIX}${this.namespace}:` : KEYV_ROW_PREFIX);
  }

  /** The database belongs to the composition root, which closes it. */
  async disconnect(): Promise<void> {}

  private readable(key: string, row: string | undefined): string | undefined {
    if (row === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row);
    } catch {
      parsed = undefined;
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (envelope.success) return row;
    this.options.logger?.warn({ key, length: row.length }, 'ignored an unreadable keyv row');
    return undefined;
  }
}
