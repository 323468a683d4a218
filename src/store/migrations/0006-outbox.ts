import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * The outbox: messages Heed owes (SLA alerts), decided and recorded in the transaction that changes the
 * issue, sent after, then marked sent. An entry is claimed by the instance sending it until
 * `claimed_until`; one left unsent past its claim (a crash, a platform outage) is sent by the next pass.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('issue_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('claimed_until', time)
    .addColumn('claimed_by', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', time)
    .execute();
  await db.schema.createIndex('outbox_unsent').on('outbox').columns(['sent_at', 'claimed_until']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
}
