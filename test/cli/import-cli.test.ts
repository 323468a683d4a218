import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertIssues } from '../../src/core/issue-rows.ts';
import { issueSchema } from '../../src/domain/issue.ts';
import { openDatabase } from '../../src/store/database.ts';
import { acquireInstanceLock } from '../../src/store/instance-lock.ts';
import { copyOldStore, damage, FIXTURE, fileHash, oldDocument } from '../store/old-store-fixture.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { runHeed } from './run-heed.ts';

let dir = '';
let oldFile = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'heed-import-cli-'));
  oldFile = await copyOldStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const heed = (args: readonly string[], env: Record<string, string> = {}) => runHeed(args, { env, cwd: dir });

describe('heed import', () => {
  it('copies the old store into HEED_STORE_URL, shows progress on stderr and the summary on stdout', async () => {
    const before = await fileHash(oldFile);
    const env = { HEED_STORE_URL: 'sqlite://./new.sqlite' };
    const run = await heed(['import', '--from', 'sqlite://./old.sqlite'], env);
    expect(run.stderr).toContain('heed import: issues 5 of 5\n');
    expect(run.stderr).toContain('heed import: customers 3 of 3\n');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe(
      [
        `From sqlite://${oldFile}`,
        `Into sqlite://${path.join(dir, 'new.sqlite')}`,
        '',
        '  issues      5 imported, 0 unchanged, 0 failed (33 ledger events)',
        '  customers   3 imported, 0 unchanged, 0 failed (3 identities, 1 e-mail, 1 note)',
        '  threads     4 imported, 0 unchanged, 0 failed',
        '  digest      1 imported, 0 unchanged, 0 failed',
        "  numbering   the next issue is #6 (the old store's last was #5)",
        '  not copied  15 index documents the tables replace (meta 5, numbers 5, ledger-days 5)',
        '',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
    // The lock on the new store was taken and given back; the old store was only read.
    expect((await readdir(dir)).sort()).toEqual(['new.sqlite', 'old.sqlite']);
    expect(await fileHash(oldFile)).toBe(before);

    const again = await heed(['import', '--from', `sqlite://${oldFile}`], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('  issues      0 imported, 5 unchanged, 0 failed');
    expect(again.stdout).toContain('Nothing changed: the new store already held everything the old one has.');
  });

  it('lists each record it could not copy and exits 1, having copied the rest', async () => {
    damage(oldFile, `issues:${FIXTURE.urgent.id}`, 'not json at all');
    const run = await heed(['import', '--from', `sqlite://${oldFile}`], {
      HEED_STORE_URL: `sqlite://${path.join(dir, 'new.sqlite')}`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  issues      4 imported, 0 unchanged, 1 failed');
    expect(run.stdout).toContain(
      `Could not copy (2):\n  issues/${FIXTURE.urgent.id}: the stored text is not JSON\n  threads/discord:1300000000000000001:1574343750451200002: points at issue ${FIXTURE.urgent.id}, which was not imported`,
    );
    expect(run.stderr).toContain('heed: 2 records could not be copied (listed above); everything else was.');
  });

  it('refuses a new store that holds other issues, unless --merge', async () => {
    const target = path.join(dir, 'new.sqlite');
    const database = await openDatabase(`sqlite://${target}`);
    const own = issueSchema.parse({
      ...(oldDocument(oldFile, `issues:${FIXTURE.fresh.id}`) as object),
      id: 'opened-in-the-new-store',
      number: 77,
      conversation: { platform: 'slack', channel: 'C0NEW', thread: '1796000000.000001' },
      seenMessages: ['1796000000.000001'],
      history: [],
    });
    await database.change((trx) => insertIssues(trx, [own]));
    await database.close();

    const env = { HEED_STORE_URL: `sqlite://${target}` };
    const refused = await heed(['import', '--from', `sqlite://${oldFile}`], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('already holds 1 issue that the old store does not (such as #77)');
    expect(refused.stderr).toContain('Add --merge');

    const merged = await heed(['import', '--from', `sqlite://${oldFile}`, '--merge'], env);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('  issues      5 imported, 0 unchanged, 0 failed');
  });

  it('does not write beside a server that holds the new store', async () => {
    const target = path.join(dir, 'new.sqlite');
    const lock = await acquireInstanceLock(target, { pid: process.pid, startedAt: Date.now() });
    try {
      const run = await heed(['import', '--from', `sqlite://${oldFile}`], {
        HEED_STORE_URL: `sqlite://${target}`,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`heed: Another Heed server is already using ${target}`);
      expect(existsSync(target)).toBe(false);
    } finally {
      await lock.release();
    }
  });

  it.each([
    [[], 'say which store to import with --from <old store URL>'],
    [['--from'], "Option '--from <value>' argument missing"],
    [['--from', 'sqlite://./old.sqlite', '--force'], "Unknown option '--force'"],
    [['--from', 'sqlite://./old.sqlite', 'extra'], "Unexpected argument 'extra'"],
    [['--from', 'mysql://db/heed'], 'the scheme "mysql:" is not supported'],
    [['--from', 'memory://'], '--from memory:// names a store that keeps nothing'],
    [['--from', 'sqlite://./missing.sqlite'], '--from: there is no file at'],
    [['--from', 'sqlite://./old.sqlite', '--key-prefix', 'no spaces'], '--key-prefix may hold'],
  ])('heed import %j is a usage mistake: exit 2, nothing created', async (args, message) => {
    const run = await heed(['import', ...args], { HEED_STORE_URL: 'sqlite://./new.sqlite' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: heed import --from <old store URL>');
    expect(await readdir(dir)).toEqual(['old.sqlite']);
  });

  it('refuses to import a store into itself, as a usage mistake', async () => {
    const before = await fileHash(oldFile);
    const run = await heed(['import', '--from', 'sqlite://./old.sqlite'], {
      HEED_STORE_URL: `sqlite://${oldFile}`,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`heed import: --from and HEED_STORE_URL both name sqlite://${oldFile}.`);
    expect(await fileHash(oldFile)).toBe(before);
  });

  it('never shows a password: a failing Redis source and a PostgreSQL target are named redacted', async () => {
    const failing = await heed(['import', '--from', 'redis://:hunter2@127.0.0.1:6379/0'], {
      HEED_STORE_URL: 'sqlite://./new.sqlite',
    });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('redis://:***@127.0.0.1:6379/0');
    expect(failing.stderr).toContain('heed: the import stopped:');
    expect(`${failing.stdout}${failing.stderr}`).not.toContain('hunter2');

    const schema = testSchema('import_cli');
    try {
      // The test server trusts local connections, so the password is never checked, only carried.
      const url = postgresStoreUrl(schema).replace('postgres@', 'postgres:hunter2@');
      const run = await heed(['import', '--from', `sqlite://${oldFile}`], { HEED_STORE_URL: url });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Into postgres://postgres:***@');
      expect(run.stdout).toContain('  issues      5 imported, 0 unchanged, 0 failed');
      expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2');
    } finally {
      await dropPostgresSchema(schema);
    }
  });

  it('heed help import and heed import --help print the usage', async () => {
    for (const args of [
      ['help', 'import'],
      ['import', '--help'],
      ['import', '-h'],
    ]) {
      const run = await heed(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('--merge');
    }
    const general = await heed(['help']);
    expect(general.stdout).toContain('import    Copy a store of Heed 0.1');
  });
});
