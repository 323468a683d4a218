import { type Kysely, PostgresAdapter } from 'kysely';

/** True when `db` talks to PostgreSQL (row locks, BIGINT); false for SQLite. */
export function isPostgres(db: Kysely<never> | Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
