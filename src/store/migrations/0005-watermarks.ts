import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Catching up after downtime: for each channel Heed reads customers in, the time of the newest message it
 * has handled there (`platform:channel`). Moved forward in the transaction that stores what the message
 * caused, and after each catch-up pass; a channel without one is read from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('watermarks')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('at', time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('watermarks').execute();
}
