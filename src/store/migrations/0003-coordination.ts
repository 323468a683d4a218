import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * What several instances agree on through the database itself (shared mode on PostgreSQL): short-lived
 * keys with a TTL (locks, claims, delivery dedupe, forms, directory cache), leases with fencing tokens
 * (the Discord gateway), and the claim an instance holds on an issue's due alerts while it sends them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const time = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('ttl_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ttl_keys_expiry').on('ttl_keys').column('expires_at').execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('fence', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
  await db.schema.alterTable('issues').addColumn('alert_claim_until', time).execute();
  await db.schema.alterTable('issues').addColumn('alert_claimed_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('issues').dropColumn('alert_claimed_by').execute();
  await db.schema.alterTable('issues').dropColumn('alert_claim_until').execute();
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('ttl_keys').execute();
}
