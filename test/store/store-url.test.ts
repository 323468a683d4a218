import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STORE_URL,
  parseStoreUrl,
  redactStoreUrl,
  StoreUrlError,
} from '../../src/store/store-url.ts';

const cwd = '/srv/heed';

function errorOf(url: string): StoreUrlError {
  try {
    parseStoreUrl(url, cwd);
  } catch (error) {
    if (error instanceof StoreUrlError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('parseStoreUrl', () => {
  it('defaults to an SQLite file under ./data', () => {
    expect(DEFAULT_STORE_URL).toBe('sqlite://./data/heed.sqlite');
    expect(parseStoreUrl(DEFAULT_STORE_URL, cwd)).toMatchObject({
      kind: 'sqlite',
      path: '/srv/heed/data/heed.sqlite',
    });
  });

  it('resolves relative SQLite paths against cwd and keeps absolute ones', () => {
    expect(parseStoreUrl('sqlite://../shared/heed.sqlite', cwd)).toMatchObject({
      path: '/srv/shared/heed.sqlite',
    });
    expect(parseStoreUrl('sqlite://data/heed.sqlite', cwd)).toMatchObject({
      path: '/srv/heed/data/heed.sqlite',
    });
    const absolute = parseStoreUrl('sqlite:///var/lib/heed/heed.sqlite', cwd);
    expect(absolute).toMatchObject({ kind: 'sqlite', path: '/var/lib/heed/heed.sqlite' });
    expect(absolute.describe()).toBe('sqlite:///var/lib/heed/heed.sqlite');
  });

  it('parses Redis URLs with database index and TLS', () => {
    expect(parseStoreUrl('redis://127.0.0.1:6379', cwd)).toMatchObject({
      kind: 'redis',
      host: '127.0.0.1',
      port: 6379,
      database: 0,
      tls: false,
      url: 'redis://127.0.0.1:6379',
    });
    expect(parseStoreUrl('redis://cache.internal/3', cwd)).toMatchObject({ port: 6379, database: 3 });
    expect(parseStoreUrl('rediss://:pw@cache.internal:6380/1', cwd)).toMatchObject({
      tls: true,
      port: 6380,
      database: 1,
    });
  });

  it('parses PostgreSQL URLs in both spellings', () => {
    expect(parseStoreUrl('postgres://heed@db.internal:5433/heed', cwd)).toMatchObject({
      kind: 'postgres',
      host: 'db.internal',
      port: 5433,
      database: 'heed',
      user: 'heed',
    });
    expect(parseStoreUrl('postgresql://127.0.0.1/test', cwd)).toMatchObject({
      port: 5432,
      database: 'test',
      user: undefined,
    });
    expect(parseStoreUrl('postgres:///heed?host=/var/run/postgresql', cwd)).toMatchObject({
      host: '/var/run/postgresql',
      database: 'heed',
    });
  });

  it('accepts memory:// for tests', () => {
    expect(parseStoreUrl('memory://', cwd)).toMatchObject({ kind: 'memory' });
    expect(parseStoreUrl('  memory://  ', cwd).describe()).toBe('memory://');
  });

  it.each([
    ['', /empty/],
    ['./data/heed.sqlite', /no scheme; for an SQLite file write sqlite:\/\/\.\/data\/heed\.sqlite/],
    ['localhost:6379', /scheme "localhost:" is not supported/],
    ['mysql://localhost/heed', /scheme "mysql:" is not supported/],
    ['sqlite:data.db', /sqlite:\/\/ followed by a file path/],
    ['sqlite://', /path is missing/],
    ['sqlite://./data/', /names a directory/],
    ['sqlite://:memory:', /use memory:\/\//],
    ['redis://', /host is missing/],
    ['redis://127.0.0.1:6379/cache', /database must be a number/],
    ['redis://127.0.0.1:99999', /not a valid URL|port/],
    ['redis://127.0.0.1:6379?tls=true', /no query parameters/],
    ['postgres://heed@db.internal:5432', /database name is missing/],
    ['postgres:///heed', /host is missing/],
    ['memory://something', /nothing after the scheme/],
  ])('rejects %j with a helpful message', (url, problem) => {
    const error = errorOf(url);
    expect(error.code).toBe('STORE_URL_INVALID');
    expect(error.message).toMatch(problem);
    // Every message shows valid forms to copy.
    expect(error.message).toContain('sqlite://./data/heed.sqlite');
    expect(error.message).toContain('redis://127.0.0.1:6379/0');
    expect(error.message).toContain('postgres://heed@127.0.0.1:5432/heed');
    expect(error.message).toContain('HEED_STORE_URL');
  });

  it('never puts a password in an error message', () => {
    for (const url of [
      'redis://:hunter2@127.0.0.1:6379/not-a-number',
      'redis://user:hunter2@127.0.0.1:6379?x=1',
      'postgres://heed:hunter2@db.internal:5432',
      'postgres://heed:hunter2@db.internal:notaport/heed',
      'postgres://heed:hun@ter2/x@db.internal:5432/',
      'postgres://heed@db.internal/?password=hunter2&x=1',
      'mongodb://heed:hunter2@db.internal/heed',
    ]) {
      expect(errorOf(url).message).not.toContain('hunter2');
      expect(errorOf(url).message).not.toContain('ter2');
    }
  });

  it('keeps the password out of describe(), JSON and inspection, but available as url', () => {
    const location = parseStoreUrl('postgres://heed:hunter2@db.internal:5432/heed?sslmode=require', cwd);
    expect(location.describe()).toBe('postgres://heed:***@db.internal:5432/heed?sslmode=require');
    expect(JSON.stringify(location)).not.toContain('hunter2');
    expect(Object.keys(location)).not.toContain('url');
    expect(location.kind === 'postgres' && location.url).toBe(
      'postgres://heed:hunter2@db.internal:5432/heed?sslmode=require',
    );
  });
});

describe('redactStoreUrl', () => {
  it.each([
    ['redis://:secret@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    ['rediss://default:secret@cache:6380', 'rediss://default:***@cache:6380'],
    ['postgres://heed:secret@db/heed', 'postgres://heed:***@db/heed'],
    ['postgres://heed@db/heed', 'postgres://heed@db/heed'],
    ['postgres://heed:p@ss/w@rd@db/heed', 'postgres://heed:***@db/heed'],
    ['postgres://db/heed?user=heed&password=secret', 'postgres://db/heed?user=heed&password=***'],
    [
      'postgres://db/heed?sslpassword=secret&sslmode=require',
      'postgres://db/heed?sslpassword=***&sslmode=require',
    ],
    ['user:secret@host:6379', 'user:***@host:6379'],
    ['sqlite:///data/a:b@c.sqlite', 'sqlite:///data/a:b@c.sqlite'],
    ['memory://', 'memory://'],
  ])('%s → %s', (input, expected) => {
    expect(redactStoreUrl(input)).toBe(expected);
  });
});
