/**
 * One import run's bookkeeping, shared by its stages: tallies, the records skipped or not copied (with
 * the reason), progress, and reading old documents (expired and unreadable ones noted, not thrown).
 */
import type { z } from 'zod';
import type { HeedDatabase } from '../database.ts';
import { NO_NAMESPACE, type OldDocumentStore, unwrapDocument } from '../old-documents.ts';
import type { ImportNote, ImportOptions, ImportStage, ImportSummary } from './import-types.ts';

/** How often `onProgress` hears from a stage, in records, unless told otherwise. */
export const PROGRESS_EVERY = 1_000;

/** Documents read and written per round trip and per transaction. */
export const BATCH = 250;

/** Namespaces the import reads; the rest are indexes the tables replace. */
const READ_NAMESPACES = new Set(['issues', 'customers', 'identities', 'customer-emails', 'threads']);

/** A zod error on one line: `path: message; …`. */
export function zodReason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** The items in runs of `size`. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** What a stage counted of one kind of record (see `ImportTally`). */
export interface Counts {
  imported: number;
  unchanged: number;
  failed: number;
}

/** Counts at zero. */
export const tally = (): Counts => ({ imported: 0, unchanged: 0, failed: 0 });

/** The state of one import run: what each stage counted, skipped and could not copy. */
export class ImportRun {
  readonly issues = { ...tally(), ledgerEvents: 0 };
  readonly customers = { ...tally(), identities: 0, emails: 0, notes: 0 };
  readonly threads = tally();
  readonly digests = tally();
  readonly skipped: ImportNote[] = [];
  readonly problems: ImportNote[] = [];
  readonly notCopied: Record<string, number> = {};
  /** Conversations whose thread row this run wrote along with an issue. */
  readonly threadsWritten = new Set<string>();
  /** The highest number of an issue now in both stores. */
  highestNumber = 0;
  numbering: ImportSummary['numbering'] = { oldLast: undefined, last: 0, raised: false };
  private readonly every: number;
  /** Documents per round trip: at most one progress step, so progress comes every `every` records. */
  readonly batch: number;

  constructor(
    private readonly source: OldDocumentStore,
    readonly to: HeedDatabase,
    private readonly keys: Map<string, string[]>,
    private readonly options: ImportOptions,
  ) {
    this.every = Math.max(1, options.progressEvery ?? PROGRESS_EVERY);
    this.batch = Math.min(BATCH, this.every);
  }

  /** A stage that runs once is done. */
  stageDone(stage: ImportStage): void {
    this.options.onProgress?.({ stage, done: 1, total: 1 });
  }

  keysOf(namespace: string): string[] {
    return this.keys.get(namespace) ?? [];
  }

  problem(counts: Counts, namespace: string, key: string, reason: string): void {
    counts.failed += 1;
    this.problems.push({ namespace, key, reason });
    this.options.logger?.warn({ namespace, key, reason }, 'import: record not copied');
  }

  skip(namespace: string, key: string, reason: string): void {
    this.skipped.push({ namespace, key, reason });
    this.options.logger?.info({ namespace, key, reason }, 'import: record left out');
  }

  /**
   * A record both stores hold at different revisions is never overwritten. Newer in the new store: it
   * changed there after an earlier import, as it should. Newer in the old store: the old server went on
   * after an earlier import, and those changes are not copied, which the operator has to hear.
   */
  otherRevision(counts: Counts, namespace: string, key: string, stored: number, old: number): void {
    if (stored > old) {
      this.skip(
        namespace,
        key,
        `the new store holds a newer revision (${stored}, the old store ${old}); left as it is`,
      );
    } else {
      this.problem(
        counts,
        namespace,
        key,
        `the old store holds a newer revision (${old}) than the new store (${stored}), which is left as it is; import into an empty store to take the old store's copy`,
      );
    }
  }

  progress(stage: ImportStage, done: number, total: number, previous: number): void {
    if (total === 0) return;
    if (done === total || Math.floor(done / this.every) > Math.floor(previous / this.every)) {
      this.options.onProgress?.({ stage, done, total });
    }
  }

  /** Reads some documents of a namespace; undefined for one that is gone, expired or unreadable. */
  async documents(
    namespace: string,
    keys: readonly string[],
    counts: Counts | undefined,
  ): Promise<Map<string, unknown>> {
    const texts = await this.source.read(namespace, keys);
    const now = (this.options.now ?? Date.now)();
    const out = new Map<string, unknown>();
    for (const key of keys) {
      const text = texts.get(key);
      if (text === undefined) {
        this.skip(namespace, key, 'deleted from the old store while the import ran');
        continue;
      }
      const stored = unwrapDocument(text, now);
      if (stored.kind === 'expired') {
        this.skip(namespace, key, `expired on ${new Date(stored.expiredAt).toISOString()}`);
      } else if (stored.kind === 'unreadable') {
        if (counts) this.problem(counts, namespace, key, stored.reason);
        else this.skip(namespace, key, stored.reason);
      } else {
        out.set(key, stored.value);
      }
    }
    return out;
  }

  countNotCopied(): void {
    for (const [namespace, keys] of this.keys) {
      if (READ_NAMESPACES.has(namespace) || namespace === 'digest' || namespace === 'meta') continue;
      this.notCopied[namespace === NO_NAMESPACE ? '(not documents)' : namespace] = keys.length;
    }
  }

  summary(): ImportSummary {
    const { issues, customers, threads, digests } = this;
    return {
      from: this.source.where,
      to: this.to.where,
      issues: { ...issues },
      customers: { ...customers },
      threads: { ...threads },
      digests: { ...digests },
      numbering: this.numbering,
      notCopied: { ...this.notCopied },
      skipped: [...this.skipped],
      problems: [...this.problems],
      changed:
        issues.imported + customers.imported + threads.imported + digests.imported > 0 ||
        this.numbering.raised,
    };
  }
}
