import type { Kysely } from 'kysely';
import type { ChangeWork } from './group-commit.ts';
import type { Notifications } from './pg-notifications.ts';
import type { HeedTables } from './tables.ts';

/** Heed's store: reads on `db`, every change through `change`. */
export interface HeedDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** The store for logs and messages, without its password. */
  readonly where: string;
  /** Reads outside a change (on SQLite a separate connection that sees only committed data). */
  readonly db: Kysely<HeedTables>;
  /**
   * Runs `work` in one transaction: all of it commits, or none of it. `work` does database work only and
   * never calls `change` again. On PostgreSQL, lock the rows you read and then change (`forUpdate`);
   * SQLite's single writer needs no row locks.
   */
  change<T>(work: ChangeWork<HeedTables, T>): Promise<T>;
  /**
   * Transactions committed and changes they carried (group commit shares one among many), and on an
   * SQLite file the log flushes Heed ran to make them durable (one covers every commit before it).
   */
  readonly commitStats: {
    readonly transactions: number;
    readonly changes: number;
    readonly flushes?: number;
  };
  /** PostgreSQL only: LISTEN/NOTIFY between the instances sharing the store. */
  readonly notifications?: Notifications;
  /** Throws a `STORE_UNAVAILABLE` StoreError when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
