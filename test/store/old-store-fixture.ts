import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { HeedDatabase } from '../../src/store/database.ts';
import type { HeedTables } from '../../src/store/tables.ts';

/** The store Heed 0.1 wrote (see test/fixtures/README.md). */
export const OLD_STORE_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/store-0.1.sqlite');

/** What the fixture holds, as its README describes it. */
export const FIXTURE = {
  issues: 5,
  ledgerEvents: 33,
  customers: 3,
  lastNumber: 5,
  /** #2: resolved, 13 ledger events, six SLA alerts fired, revision 14. */
  billing: {
    id: 'OoXd5xMzywRFwn4zr5DW',
    number: 2,
    events: 13,
    fired: 6,
    revision: 14,
    nextAlertAt: 1796045220000,
    thread: 'discord:1300000000000000001:1574335194071040001',
  },
  /** #5, Lee's follow-up of #2 in #2's thread. */
  followUp: { id: '4WZsOr5CB-_d86QzF9xS', number: 5 },
  /** #3, Kim's urgent issue. */
  urgent: { id: 'R_G9aIx-kREjb6jrcjjn', number: 3 },
  /** #4, Dana's second issue, still new. */
  fresh: { id: 'h3hrcbzCa0ci-ruVwfeg', number: 4 },
  kim: { id: 'cus_ShEIdE_G-aU-BGt6', identity: 'discord:1600000000000000002' },
  dana: { id: 'cus_wQfKFIBS54fmESZ4', identity: 'slack:U0DANA001', email: 'dana@bigco.com' },
  digest: { lastSlot: 1796284800000, sentAt: 1796284860000 },
} as const;

/** Copies the fixture into `dir` (tests never touch the original) and returns the copy's path. */
export async function copyOldStore(dir: string, name = 'old.sqlite'): Promise<string> {
  const file = path.join(dir, name);
  await copyFile(OLD_STORE_FIXTURE, file);
  return file;
}

/** Every row of an old SQLite store: key → stored text. */
export function oldRows(file: string): Map<string, string> {
  const raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = raw.prepare('select key, value from heed_documents').all() as {
      key: string;
      value: string;
    }[];
    return new Map(rows.map((row) => [row.key, row.value]));
  } finally {
    raw.close();
  }
}

/** The document stored under `key` (`issues:<id>`) of an old SQLite store. */
export function oldDocument(file: string, key: string): unknown {
  const text = oldRows(file).get(key);
  if (text === undefined) throw new Error(`the old store has no ${key}`);
  return (JSON.parse(text) as { value: unknown }).value;
}

/** Rewrites the stored text of one document of an old SQLite store (a damaged record). */
export function damage(file: string, key: string, text: string): void {
  const raw = new BetterSqlite3(file);
  try {
    const { changes } = raw.prepare('update heed_documents set value = ? where key = ?').run(text, key);
    if (changes !== 1) throw new Error(`no ${key} to damage`);
  } finally {
    raw.close();
  }
}

/** Writes one document again, so it is read last (the old table has no order of its own). */
export function rewriteLast(file: string, key: string): void {
  const raw = new BetterSqlite3(file);
  try {
    raw.transaction(() => {
      const row = raw.prepare('select value from heed_documents where key = ?').get(key) as
        | { value: string }
        | undefined;
      if (!row) throw new Error(`no ${key} to rewrite`);
      raw.prepare('delete from heed_documents where key = ?').run(key);
      raw.prepare('insert into heed_documents(key, value) values (?, ?)').run(key, row.value);
    })();
  } finally {
    raw.close();
  }
}

/** A digest of a file's bytes, to show it was not written. */
export async function fileHash(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

const TABLES: readonly (keyof HeedTables)[] = [
  'issues',
  'ledger',
  'threads',
  'seen_messages',
  'fired_alerts',
  'counters',
  'customers',
  'customer_identities',
  'customer_emails',
  'customer_notes',
  'digests',
];

/** Every row of every table, in a stable order: two dumps are equal when nothing changed. */
export async function dumpTables(database: HeedDatabase): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await database.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return out;
}
