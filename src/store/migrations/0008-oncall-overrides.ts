import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * On-call overrides: someone covering a schedule on one platform for a while (`/heed oncall override`),
 * with who set it and why; removing one keeps the row (`removed_at`, `removed_by`), as a record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  const time = postgres ? 'bigint' : 'integer';
  await db.schema
    .createTable('oncall_overrides')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', time, (c) => c.notNull())
    .addColumn('ends_at', time, (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('removed_at', time)
    .addColumn('removed_by', 'text')
    .execute();
  await db.schema
    .createIndex('oncall_overrides_by_end')
    .on('oncall_overrides')
    .columns(['ends_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oncall_overrides').execute();
}
