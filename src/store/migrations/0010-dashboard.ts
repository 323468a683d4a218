import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * The web dashboard's sign-in (`src/dashboard/sign-in.ts`): the key that signs sign-in links (one row,
 * shared by every instance on the store), the links sent by `/heed dashboard` (single use: `used_at`
 * is set once), and the sessions they open, kept by a hash of the cookie, never the cookie itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('dashboard_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dashboard_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('used_at', time)
    .execute();
  await db.schema
    .createTable('dashboard_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dashboard_links_by_expiry')
    .on('dashboard_links')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('dashboard_sessions_by_expiry')
    .on('dashboard_sessions')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dashboard_sessions').execute();
  await db.schema.dropTable('dashboard_links').execute();
  await db.schema.dropTable('dashboard_keys').execute();
}
