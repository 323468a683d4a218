/**
 * The storage port. The core only ever talks to these interfaces; keyv and its
 * backends (SQLite, Redis, PostgreSQL) live behind them in `open-store.ts`.
 */

/** One namespace of documents ("issues", "threads", "dedupe", ...). Values are JSON-serialisable. */
export interface DocumentCollection {
  /** Returns the stored value or `undefined`. Store errors are thrown, never hidden. */
  get(key: string): Promise<unknown>;
  /** Values in the same order as `keys`; `undefined` for missing keys. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** Stores `value`; with `ttlMs` the document disappears after that many milliseconds. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Stores several documents at once (one round trip where the backend allows; bulk imports, benchmarks). */
  setMany(entries: readonly (readonly [key: string, value: unknown])[]): Promise<void>;
  /** Returns true when something was deleted. */
  delete(key: string): Promise<boolean>;
}

/** A document store: a set of isolated namespaces on one backend. */
export interface DocumentStore {
  /** Backend kind, for logs and health checks. */
  readonly kind: 'sqlite' | 'redis' | 'postgres' | 'memory';
  /** Returns the collection for `namespace` (one keyv instance and one adapter per namespace). */
  collection(namespace: string): DocumentCollection;
  /** Throws when the backend is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
