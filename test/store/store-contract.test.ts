import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import {
  deleteRedisKeys,
  dropPostgresTable,
  runId,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  withPostgres,
  withRedis,
} from './services.ts';
import { runStoreContract } from './store-contract.ts';

const id = runId();

describe('memory', () => {
  runStoreContract('memory://', () => openStore('memory://'), { persistent: false });
});

describe('sqlite', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  // A nested directory that does not exist yet: openStore must create it.
  runStoreContract('sqlite://', () => openStore('sqlite://./nested/data/heed.sqlite', { cwd: dir }));
});

describe('redis', () => {
  const keyPrefix = `heed-test-${id}:`;
  beforeAll(async () => {
    await withRedis(async (client) => client.ping());
  });
  afterAll(async () => {
    await deleteRedisKeys(keyPrefix);
  });
  runStoreContract(TEST_REDIS_URL, () => openStore(TEST_REDIS_URL, { keyPrefix }));
});

describe('postgres', () => {
  const tablePrefix = `t_${id}_`.toLowerCase();
  beforeAll(async () => {
    await withPostgres(async (pool) => pool.query('SELECT 1'));
  });
  afterAll(async () => {
    await dropPostgresTable(`${tablePrefix}heed_documents`);
  });
  runStoreContract(TEST_POSTGRES_URL, () => openStore(TEST_POSTGRES_URL, { tablePrefix }));
});
