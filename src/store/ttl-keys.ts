/**
 * Short-lived keys with a TTL in the `ttl_keys` table, on the same database as everything else: locks,
 * claims and delivery dedupe between instances, and keyv's data (forms behind buttons, the directory
 * cache). An expired row counts as absent and is swept now and then. Every write is one statement, so
 * it is atomic on its own; on SQLite writes go through the store's single writer.
 */
import type { Kysely } from 'kysely';
import type { HeedDatabase } from './database.ts';
import type { HeedTables } from './tables.ts';

export class TtlKeys {
  constructor(
    private readonly database: HeedDatabase,
    /** Wall-clock time for expiries (TTLs are real time, not a test's fake clock). */
    private readonly now: () => number = Date.now,
  ) {}

  /** One statement that commits by itself (PostgreSQL), or a change through the single writer (SQLite). */
  private write<T>(work: (db: Kysely<HeedTables>) => Promise<T>): Promise<T> {
    return this.database.kind === 'postgres' ? work(this.database.db) : this.database.change(work);
  }

  /** Sets `key` to `value` unless a live value is there: true for the first caller only. */
  async claim(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const row = await this.write((db) =>
      db
        .insertInto('ttl_keys')
        .values({ key, value, expires_at: now + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('key')
            .doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('ttl_keys.expires_at', '<=', now),
        )
        .returning('key')
        .executeTakeFirst(),
    );
    return row !== undefined;
  }

  /** The live value of `key`, if any. */
  async get(key: string): Promise<string | undefined> {
    const row = await this.database.db
      .selectFrom('ttl_keys')
      .select('value')
      .where('key', '=', key)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return row?.value;
  }

  /** Live values of several keys at once. */
  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('ttl_keys')
      .select(['key', 'value'])
      .where('key', 'in', [...keys])
      .where('expires_at', '>', this.now())
      .execute();
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  /** Sets `key` whatever was there. */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const expires = this.now() + ttlMs;
    await this.write((db) =>
      db
        .insertInto('ttl_keys')
        .values({ key, value, expires_at: expires })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value, expires_at: expires }))
        .execute(),
    );
  }

  /** Extends `key` while it still holds `value` and has not expired; false otherwise. */
  async extendIf(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const result = await this.write((db) =>
      db
        .updateTable('ttl_keys')
        .set({ expires_at: now + ttlMs })
        .where('key', '=', key)
        .where('value', '=', value)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  /** Deletes `key` (only while it holds `value`, when one is given). */
  async delete(key: string, value?: string): Promise<boolean> {
    const result = await this.write((db) => {
      let query = db.deleteFrom('ttl_keys').where('key', '=', key);
      if (value !== undefined) query = query.where('value', '=', value);
      return query.executeTakeFirst();
    });
    return result.numDeletedRows > 0n;
  }

  /** Deletes every key starting with `prefix` (keyv's `clear` of a namespace). */
  async deletePrefix(prefix: string): Promise<void> {
    await this.write((db) =>
      db
        .deleteFrom('ttl_keys')
        .where((eb) => eb(eb.fn('substr', [eb.ref('key'), eb.lit(1), eb.lit(prefix.length)]), '=', prefix))
        .execute(),
    );
  }

  /** Removes rows that expired more than a minute ago. Returns how many. */
  async sweep(): Promise<number> {
    const before = this.now() - 60_000;
    const result = await this.write((db) =>
      db.deleteFrom('ttl_keys').where('expires_at', '<', before).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}
