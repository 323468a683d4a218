import { type Kysely, sql } from 'kysely';

/**
 * A returning customer's last rating (`Customers.lastRating`, read for every new issue): the `rated`
 * events of their newest issues, found through an index of those events alone instead of reading every
 * event of each issue. Partial, so the events Heed writes all day cost it nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('ledger_rated')
    .on('ledger')
    .columns(['issue_id', 'at'])
    .where(sql<boolean>`kind = 'rated'`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ledger_rated').execute();
}
