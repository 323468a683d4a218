import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { acquireInstanceLock } from '../../src/store/instance-lock.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { MIGRATION_TABLE, schemaStatus } from '../../src/store/schema-version.ts';
import { copyOldStore, fileHash } from '../store/old-store-fixture.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { runHeed } from './run-heed.ts';

let dir = '';
let file = '';
let env: Record<string, string> = {};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-db-cli-'));
  file = path.join(dir, 'heed.sqlite');
  env = { HEED_STORE_URL: `sqlite://${file}` };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const heed = (args: readonly string[], environment = env) => runHeed(args, { env: environment, cwd: dir });

/** A store file that exists but has not been migrated (as an operator who migrates by hand has it). */
async function unmigratedStore(url = `sqlite://${file}`): Promise<void> {
  await (await openDatabase(url, { migrations: 'none' })).close();
}

const NAMES = Object.keys(MIGRATIONS);
const WIDTH = Math.max(...NAMES.map((name) => name.length));
/** A migration's line in `heed db status`, names padded to one column. */
const line = (name: string, state: string) => `  ${name.padEnd(WIDTH)}  ${state}`;

describe('heed db status and heed db migrate', () => {
  it('shows the pending migration, runs it, then has nothing to run', async () => {
    await unmigratedStore();
    const pending = await heed(['db', 'status']);
    expect(pending).toMatchObject({ code: 0, stderr: '' });
    expect(pending.stdout).toBe(
      [
        `Store: sqlite://${file}`,
        ...NAMES.map((name) => line(name, 'pending')),
        `${NAMES.length} migrations pending: run heed db migrate, or start the server, which migrates at start.`,
        '',
      ].join('\n'),
    );

    const migrate = await heed(['db', 'migrate']);
    expect(migrate).toMatchObject({ code: 0, stderr: '' });
    expect(migrate.stdout).toBe(
      `Store: sqlite://${file}\nRan ${NAMES.length} migrations:\n${NAMES.map((name) => `  ${name}\n`).join('')}`,
    );
    // The lock was held for the migration and given back.
    expect(existsSync(`${file}.lock`)).toBe(false);

    const again = await heed(['db', 'migrate']);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toBe(`Store: sqlite://${file}\nNothing to migrate: the schema is up to date.\n`);

    const done = await heed(['db', 'status']);
    expect(done.code).toBe(0);
    for (const name of NAMES) {
      expect(done.stdout).toMatch(
        new RegExp(`^${line(name, 'ran')} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`, 'm'),
      );
    }
    expect(done.stdout).toMatch(/Up to date\.\n$/);
  });

  it('says a Heed 0.1 store is in the old format and names heed import; migrate refuses it untouched', async () => {
    const old = await copyOldStore(dir);
    const before = await fileHash(old);
    const oldEnv = { HEED_STORE_URL: `sqlite://${old}` };

    const status = await heed(['db', 'status'], oldEnv);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('still in the document format of Heed 0.1');
    expect(status.stdout).toContain(`HEED_STORE_URL=<new store> npx heed import --from sqlite://${old}`);

    const migrate = await heed(['db', 'migrate'], oldEnv);
    expect(migrate.code).toBe(1);
    expect(migrate.stdout).toBe('');
    expect(migrate.stderr).toContain(`heed: sqlite://${old} was not migrated.`);
    expect(migrate.stderr).toContain('npx heed import --from');

    expect(await fileHash(old)).toBe(before);
    const database = await openDatabase(`sqlite://${old}`, { migrations: 'none' });
    try {
      expect(await schemaStatus(database)).toMatchObject({ documentFormat: true, pending: NAMES });
    } finally {
      await database.close();
    }
  });

  it('shows migrations a newer Heed ran, and migrate refuses to touch that store', async () => {
    const database = await openDatabase(`sqlite://${file}`);
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('9999-from-the-future', ${new Date().toISOString()})`.execute(
      database.db,
    );
    await database.close();

    const status = await heed(['db', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/ {2}9999-from-the-future +ran, unknown to this Heed\n/);
    expect(status.stdout).toContain('The store was migrated by a newer Heed (9999-from-the-future).');

    const migrate = await heed(['db', 'migrate']);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('was migrated by a newer Heed (9999-from-the-future)');
  });

  it('reads beside a running server, but migrate waits for it to stop', async () => {
    await unmigratedStore();
    const lock = await acquireInstanceLock(file, { pid: process.pid, startedAt: Date.now() });
    try {
      expect((await heed(['db', 'status'])).code).toBe(0);
      const migrate = await heed(['db', 'migrate']);
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toContain(`heed: Another Heed server is already using ${file}`);
    } finally {
      await lock.release();
    }
  });

  it('does not create a store that is not there', async () => {
    for (const command of ['status', 'migrate']) {
      const run = await heed(['db', command]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`heed: no Heed store at ${file} (HEED_STORE_URL=sqlite://${file})`);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('names a PostgreSQL store without its password', async () => {
    const schema = testSchema('db_cli');
    try {
      // The test server trusts local connections: the password is carried, never checked.
      const url = postgresStoreUrl(schema).replace('postgres@', 'postgres:hunter2@');
      await unmigratedStore(url);
      const pgEnv = { HEED_STORE_URL: url };
      const status = await heed(['db', 'status'], pgEnv);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('Store: postgres://postgres:***@127.0.0.1:5432/test');
      for (const name of NAMES) expect(status.stdout).toContain(line(name, 'pending'));
      const migrate = await heed(['db', 'migrate'], pgEnv);
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toContain(`Ran ${NAMES.length} migrations:\n  ${NAMES[0]}\n`);
      for (const run of [status, migrate]) expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    } finally {
      await dropPostgresSchema(schema);
    }
  });

  it('refuses Redis and memory:// as the store to look at', async () => {
    const redis = await heed(['db', 'status'], { HEED_STORE_URL: 'redis://:hunter2@127.0.0.1:6379/0' });
    expect(redis.code).toBe(1);
    expect(redis.stderr).toContain('Heed no longer uses as its store');
    expect(redis.stderr).not.toContain('hunter2');
    const memory = await heed(['db', 'migrate'], { HEED_STORE_URL: 'memory://' });
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain('memory://, which keeps nothing');
  });

  it.each([
    [[], 'which one? heed db status or heed db migrate'],
    [['frobnicate'], 'unknown command "db frobnicate"'],
    [['status', 'now'], 'heed db status takes no arguments'],
    [['migrate', '--force'], "Unknown option '--force'"],
  ])('heed db %j is a usage mistake: exit 2', async (args, message) => {
    const run = await heed(['db', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`heed db: ${message}`);
    expect(run.stderr).toContain('Usage: heed db status | heed db migrate');
  });

  it('heed help db and heed db --help print the usage', async () => {
    for (const args of [
      ['help', 'db'],
      ['db', '--help'],
      ['db', 'help'],
    ]) {
      const run = await heed(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('Usage: heed db status | heed db migrate');
    }
  });
});
