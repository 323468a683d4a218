import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { runIssueStoreContract } from './issue-store-contract.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema, withPostgres } from './services.ts';

describe('sqlite', () => {
  runIssueStoreContract(
    'sqlite://',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'heed-store-'));
      // A nested directory that does not exist yet: opening creates it.
      return {
        open: () => openDatabase('sqlite://./nested/data/heed.sqlite', { cwd: dir }),
        drop: () => rm(dir, { recursive: true, force: true }),
      };
    },
    { sharedWriters: false },
  );
});

describe('postgres', () => {
  beforeAll(async () => {
    await withPostgres((pool) => pool.query('select 1'));
  });
  runIssueStoreContract(
    'postgres://',
    async () => {
      const schema = testSchema('contract');
      return {
        open: () => openDatabase(postgresStoreUrl(schema)),
        drop: () => dropPostgresSchema(schema),
      };
    },
    { sharedWriters: true },
  );
});
