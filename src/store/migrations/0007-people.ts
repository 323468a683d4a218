import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * How people are named (staff and customers Heed has seen, per platform id), so reports and digests
 * show "Bea" rather than `slack:U0BILL01`. `strong` names come from a message the person wrote (the
 * platform's display name); weak ones from a command or button (a handle) and never replace a strong one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('people')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('strong', 'integer', (c) => c.notNull())
    .addColumn('seen_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('people_pk', ['platform', 'person_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('people').execute();
}
