import { createClient } from '@keyv/redis';
import pg from 'pg';

/** Redis used by the store tests; CI provides it on the default port. */
export const TEST_REDIS_URL = process.env.HEED_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** PostgreSQL used by the store tests (trust auth); CI provides it on the default port. */
export const TEST_POSTGRES_URL =
  process.env.HEED_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';
const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** A unique, SQL- and Redis-safe id for one test run. */
export function runId(): string {
  return `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

function message(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return String(error.errors[0]);
  }
  return error instanceof Error ? error.message : String(error);
}

function createRawRedis() {
  return createClient({ url: TEST_REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2_000 } });
}

/** Runs `action` with a raw Redis client; fails with how to start Redis when it is not running. */
export async function withRedis<T>(
  action: (client: ReturnType<typeof createRawRedis>) => Promise<T>,
): Promise<T> {
  const client = createRawRedis();
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${message(error)}). The Redis store tests do not skip: ` +
        `start it with\n  ${START_REDIS}\nor point HEED_TEST_REDIS_URL at a running server.`,
    );
  }
  try {
    return await action(client);
  } finally {
    await client.close();
  }
}

/** Deletes every key that starts with `prefix`. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  return withRedis(async (client) => {
    let deleted = 0;
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) {
        deleted += await client.unlink(keys);
      }
    }
    return deleted;
  });
}

/** Runs `action` with a raw pg pool; fails with how to start PostgreSQL when it is not running. */
export async function withPostgres<T>(action: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000, max: 1 });
  pool.on('error', () => {});
  try {
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${message(error)}). The PostgreSQL store tests do not ` +
          `skip: start it with\n  ${START_POSTGRES}\nor point HEED_TEST_POSTGRES_URL at a running server.`,
      );
    }
    return await action(pool);
  } finally {
    await pool.end();
  }
}

/** A PostgreSQL schema name no other test run uses: `<label>_<run id>`. */
export function testSchema(label: string): string {
  return `${label}_${runId()}`.toLowerCase();
}

/** `HEED_STORE_URL` for the test server with Heed's tables in `schema`. */
export function postgresStoreUrl(schema: string): string {
  return `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
}

/** Drops a schema (and every table in it) created by a test run. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`refusing to drop odd schema name ${schema}`);
  }
  await withPostgres((pool) => pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}
