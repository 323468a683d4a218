import path from 'node:path';

/** The store URL used when `HEED_STORE_URL` is unset: an SQLite file under `./data`. */
export const DEFAULT_STORE_URL = 'sqlite://./data/heed.sqlite';

/** The backends a store URL can name. */
export type StoreKind = 'sqlite' | 'redis' | 'postgres' | 'memory';

interface LocationCommon {
  /** The location for logs and error messages: passwords replaced by `***`. */
  describe(): string;
}

/** An SQLite file; `path` is absolute. */
export interface SqliteLocation extends LocationCommon {
  readonly kind: 'sqlite';
  readonly path: string;
}

/**
 * A Redis server. `url` is the full URL, credentials included: it is not enumerable, so logging or
 * JSON-serialising the location does not reveal it.
 */
export interface RedisLocation extends LocationCommon {
  readonly kind: 'redis';
  readonly url: string;
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly database: number;
}

/** A PostgreSQL database. `url` holds credentials and is not enumerable (see {@link RedisLocation}). */
export interface PostgresLocation extends LocationCommon {
  readonly kind: 'postgres';
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  /** `?schema=name`: Heed's tables live in this PostgreSQL schema (created if missing); else `public`. */
  readonly schema: string | undefined;
}

/** An in-process store that keeps nothing (tests). */
export interface MemoryLocation extends LocationCommon {
  readonly kind: 'memory';
}

/** Where the documents live, parsed from a store URL by {@link parseStoreUrl}. */
export type StoreLocation = SqliteLocation | RedisLocation | PostgresLocation | MemoryLocation;

/** Thrown by {@link parseStoreUrl}; the message never contains a password. */
export class StoreUrlError extends Error {
  readonly code = 'STORE_URL_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'StoreUrlError';
  }
}

const EXAMPLES = [
  'sqlite://./data/heed.sqlite          a file relative to the working directory (the default)',
  'sqlite:///var/lib/heed/heed.sqlite   an absolute path (three slashes)',
  'redis://127.0.0.1:6379/0             a Redis server and database number (rediss:// for TLS)',
  'postgres://heed@127.0.0.1:5432/heed  a PostgreSQL database (postgresql:// works too; ?schema=name for a schema)',
  'memory://                            in-process, keeps nothing (tests only)',
];

const SECRET_PARAM = /pass|secret|token|key/i;

/**
 * Replaces passwords in a store URL (the `user:password@` part and query parameters such as
 * `password=`) with `***`. Works on malformed input too, so it is safe for error messages.
 */
export function redactStoreUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  // A file path may legitimately contain `user:x@`-like text and never carries a password.
  if (/^(sqlite|memory):/i.test(scheme)) {
    return url;
  }
  const rest = url.slice(scheme.length);
  const queryStart = rest.search(/[?#]/);
  const beforeQuery = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart);

  // The last `@` before the query ends the credentials, even when an unencoded password holds `@` or `/`.
  let authority = beforeQuery;
  const at = beforeQuery.lastIndexOf('@');
  if (at !== -1) {
    const userInfo = beforeQuery.slice(0, at);
    const colon = userInfo.indexOf(':');
    const safeUserInfo = colon === -1 ? userInfo : `${userInfo.slice(0, colon)}:***`;
    authority = `${safeUserInfo}${beforeQuery.slice(at)}`;
  }

  const safeQuery = query.replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (whole, sep: string, name: string) =>
    SECRET_PARAM.test(name) ? `${sep}${name}=***` : whole,
  );
  return `${scheme}${authority}${safeQuery}`;
}

/**
 * Parses a store URL (`HEED_STORE_URL`). Relative SQLite paths resolve against `cwd`.
 * Throws a {@link StoreUrlError} that says what is wrong and lists valid forms.
 *
 * @example parseStoreUrl('sqlite://./data/heed.sqlite', process.cwd())
 * @example parseStoreUrl('redis://127.0.0.1:6379/3', process.cwd())
 */
export function parseStoreUrl(url: string, cwd: string): StoreLocation {
  const input = url.trim();
  const fail = (problem: string): never => {
    const shown = input === '' ? '(empty)' : `"${redactStoreUrl(input)}"`;
    throw new StoreUrlError(
      `Invalid store URL ${shown}: ${problem}.\nSet HEED_STORE_URL to one of these forms:\n${EXAMPLES.map((line) => `  ${line}`).join('\n')}`,
    );
  };

  if (input === '') {
    return fail('it is empty');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite':
      return parseSqlite(input, cwd, fail);
    case 'redis':
    case 'rediss':
      return parseRedis(input, scheme === 'rediss', fail);
    case 'postgres':
    case 'postgresql':
      return parsePostgres(input, fail);
    case 'memory':
      if (!/^memory:(\/\/)?$/i.test(input)) {
        return fail('memory:// takes nothing after the scheme');
      }
      return { kind: 'memory', describe: () => 'memory://' };
    case undefined:
      if (/^[./~]/.test(input)) {
        return fail(`it has no scheme; for an SQLite file write sqlite://${input}`);
      }
      return fail('it has no scheme (such as sqlite:// or redis://)');
    default:
      return fail(`the scheme "${scheme}:" is not supported`);
  }
}

type Fail = (problem: string) => never;

function parseSqlite(input: string, cwd: string, fail: Fail): SqliteLocation {
  const match = /^sqlite:\/\/(.*)$/i.exec(input);
  const rest = match?.[1];
  if (rest === undefined) {
    return fail('write sqlite:// followed by a file path');
  }
  if (rest === '') {
    return fail('the SQLite file path is missing');
  }
  if (rest === ':memory:') {
    return fail('an in-memory SQLite database keeps nothing; use memory:// for tests');
  }
  if (rest.endsWith('/') || rest.endsWith(path.sep)) {
    return fail('the SQLite path names a directory; add a file name such as heed.sqlite');
  }
  if (/[?#]/.test(rest)) {
    return fail('SQLite URLs take no query parameters');
  }
  const file = path.isAbsolute(rest) ? path.normalize(rest) : path.resolve(cwd, rest);
  return { kind: 'sqlite', path: file, describe: () => `sqlite://${file}` };
}

function parseUrl(input: string, fail: Fail): URL {
  try {
    return new URL(input);
  } catch {
    return fail('it is not a valid URL (check the host, the port and that special characters are %-encoded)');
  }
}

function parsePort(url: URL, fallback: number, fail: Fail): number {
  if (url.port === '') {
    return fallback;
  }
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return fail('the port must be a number from 1 to 65535');
  }
  return port;
}

// Attaches the credential-bearing URL without making it enumerable, so it never lands in a log.
function withHiddenUrl<T extends object>(location: T, url: string): T & { readonly url: string } {
  return Object.defineProperty(location, 'url', { value: url, enumerable: false }) as T & {
    readonly url: string;
  };
}

function parseRedis(input: string, tls: boolean, fail: Fail): RedisLocation {
  const url = parseUrl(input, fail);
  if (url.hostname === '') {
    return fail('the Redis host is missing, as in redis://127.0.0.1:6379');
  }
  const port = parsePort(url, 6379, fail);
  if (url.search !== '' || url.hash !== '') {
    return fail('Redis URLs take no query parameters');
  }
  let database = 0;
  if (url.pathname !== '' && url.pathname !== '/') {
    const digits = /^\/(\d{1,9})$/.exec(url.pathname)?.[1];
    if (digits === undefined) {
      return fail('the Redis database must be a number, as in redis://127.0.0.1:6379/3');
    }
    database = Number(digits);
  }
  const described = redactStoreUrl(input);
  return withHiddenUrl(
    { kind: 'redis' as const, tls, host: url.hostname, port, database, describe: () => described },
    input,
  );
}

function parsePostgres(input: string, fail: Fail): PostgresLocation {
  const url = parseUrl(input, fail);
  // A Unix socket directory may be given as ?host=/var/run/postgresql instead of a host name.
  const host = url.hostname !== '' ? url.hostname : (url.searchParams.get('host') ?? '');
  if (host === '') {
    return fail('the PostgreSQL host is missing, as in postgres://heed@127.0.0.1:5432/heed');
  }
  const port = parsePort(url, 5432, fail);
  let database: string;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    return fail('the database name is not correctly %-encoded');
  }
  if (database === '' || database.includes('/')) {
    return fail('the PostgreSQL database name is missing, as in postgres://heed@127.0.0.1:5432/heed');
  }
  let user: string | undefined;
  try {
    user = url.username === '' ? undefined : decodeURIComponent(url.username);
  } catch {
    return fail('the user name is not correctly %-encoded');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return fail('the schema must be lower-case letters, digits and _, as in ?schema=heed');
  }
  // The driver does not know `schema`: it is Heed's own parameter.
  url.searchParams.delete('schema');
  const described = redactStoreUrl(input);
  return withHiddenUrl(
    { kind: 'postgres' as const, host, port, database, user, schema, describe: () => described },
    url.toString(),
  );
}
