/** What `heed import` is asked and what it answers. */
import type { Logger } from '../../logging/logger.ts';
import type { HeedDatabase } from '../database.ts';

/** The parts of an import, in the order they run. */
export type ImportStage = 'issues' | 'customers' | 'threads' | 'digest' | 'numbering';

/** How far one stage of an import has come. */
export interface ImportProgress {
  readonly stage: ImportStage;
  readonly done: number;
  readonly total: number;
}

/** What {@link importStore} copies from where, and how it reports. */
export interface ImportOptions {
  /** The Heed 0.1 store: `sqlite://…`, `postgres://…` (`?schema=` if not `public`) or `redis://…`. */
  readonly from: string;
  /** The new store, open and migrated. */
  readonly to: HeedDatabase;
  /** Import beside issues the new store already holds that the old one does not. */
  readonly merge?: boolean;
  /** Told every {@link ImportOptions.progressEvery} records of a stage, and when a stage ends. */
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly progressEvery?: number;
  readonly logger?: Logger;
  /** Directory that relative `sqlite://./…` paths resolve against; defaults to `process.cwd()`. */
  readonly cwd?: string;
  /** Redis only: the prefix the old server used (`HEED_KEY_PREFIX`, default `heed:`). */
  readonly redisKeyPrefix?: string;
  /** The time that decides whether a document with a TTL has expired. */
  readonly now?: () => number;
}

/** What happened to the records of one kind. */
export interface ImportTally {
  /** Written to the new store by this run. */
  readonly imported: number;
  /** Already in the new store at the same revision (an earlier run), left alone. */
  readonly unchanged: number;
  /** Not copied because something is wrong with them; each one is listed in `problems`. */
  readonly failed: number;
}

/** A record that was not copied, and why. Never holds the record's content. */
export interface ImportNote {
  readonly namespace: string;
  readonly key: string;
  readonly reason: string;
}

/** What an import did, record kind by record kind. */
export interface ImportSummary {
  /** The old store, without its password. */
  readonly from: string;
  readonly to: string;
  readonly issues: ImportTally & { readonly ledgerEvents: number };
  readonly customers: ImportTally & {
    readonly identities: number;
    readonly emails: number;
    readonly notes: number;
  };
  readonly threads: ImportTally;
  readonly digests: ImportTally;
  readonly numbering: {
    /** The old store's last issue number (`meta:issue-counter`), if it had one. */
    readonly oldLast: number | undefined;
    /** The new store's counter after the import: the next issue gets the number after it. */
    readonly last: number;
    readonly raised: boolean;
  };
  /** Documents of indexes the tables replace (`numbers`, `ledger-days`, open-issue shards), per namespace. */
  readonly notCopied: Readonly<Record<string, number>>;
  /** Records deliberately left out (expired, superseded, pointing nowhere), with the reason. */
  readonly skipped: readonly ImportNote[];
  /** Records that could not be copied: bad documents, conflicts with the new store. */
  readonly problems: readonly ImportNote[];
  /** True when this run wrote anything. */
  readonly changed: boolean;
}
