/**
 * Dashboard sign-in links and sessions on both stores: a link made by one instance opens on another
 * (the signing key lives in the store), once only even when two instances open it at the same moment,
 * never after 10 minutes, never with a changed expiry or a key of another store; sessions last 12 hours
 * and the store keeps only a hash of their cookie.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DashboardSignIn, LINK_TTL_MS, SESSION_TTL_MS } from '../../src/dashboard/sign-in.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';

const ADDRESS = { baseUrl: 'https://heed.example.com', localOnly: false } as const;
const SAM = {
  platform: 'discord',
  id: '1200000000000000001',
  roles: ['1500000000000000001'],
  name: 'Sam',
} as const;
const token = (url: string) => new URL(url).searchParams.get('token')!;

const schema = testSchema('dashboard');
afterAll(() => dropPostgresSchema(schema));

describe.each([
  ['sqlite', () => openDatabase('memory://'), false],
  ['postgres', () => openDatabase(postgresStoreUrl(schema)), true],
] as const)('dashboard sign-in on %s', (_name, open, shared) => {
  async function twoInstances(clock: FakeClock) {
    const first = await open();
    const second: HeedDatabase = shared ? await open() : first;
    const here = new DashboardSignIn(first, clock);
    const there = new DashboardSignIn(second, clock);
    here.serveAt(ADDRESS);
    there.serveAt(ADDRESS);
    return {
      here,
      there,
      first,
      async close() {
        await first.close();
        if (second !== first) await second.close();
      },
    };
  }

  it('opens a link made elsewhere once, even when two open it at the same moment', async () => {
    const clock = new FakeClock(Date.parse('2026-11-23T09:00:00Z'));
    const { here, there, first, close } = await twoInstances(clock);
    try {
      const link = (await here.linkFor(SAM))!;
      expect(link.url.startsWith('https://heed.example.com/dashboard/sign-in?token=')).toBe(true);
      expect(link.expiresAt).toBe(clock.now() + LINK_TTL_MS);
      const results = await Promise.all([here.redeem(token(link.url)), there.redeem(token(link.url))]);
      const opened = results.filter((result) => result.ok);
      expect(opened).toHaveLength(1);
      expect(results.find((result) => !result.ok)).toEqual({ ok: false, reason: 'used' });
      const session = opened[0]!;
      if (!session.ok) throw new Error('unreachable');
      expect(session.person).toEqual(SAM);
      // Either instance knows the session; the store holds its hash, not the cookie.
      expect((await there.signedIn(session.session))?.person).toEqual(SAM);
      expect((await here.signedIn(session.session))?.person).toEqual(SAM);
      const stored = await first.db.selectFrom('dashboard_sessions').selectAll().execute();
      expect(stored.map((row) => row.id_hash)).not.toContain(session.session);
      expect(JSON.stringify(stored)).not.toContain(session.session);
      clock.advance(SESSION_TTL_MS - 1);
      expect((await there.signedIn(session.session))?.person).toEqual(SAM);
      clock.advance(1);
      expect((await there.signedIn(session.session))?.person).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('refuses an expired link, a changed expiry and a link signed by another store’s key', async () => {
    const clock = new FakeClock(Date.parse('2026-11-23T09:00:00Z'));
    const { here, there, close } = await twoInstances(clock);
    const elsewhere = await openDatabase('memory://');
    try {
      const link = token((await here.linkFor(SAM))!.url);
      const [id, expiry, signature] = link.split('.');
      expect(await there.redeem(`${id}.${Number(expiry) + 60_000}.${signature}`)).toEqual({
        ok: false,
        reason: 'forged',
      });
      const stranger = new DashboardSignIn(elsewhere, clock);
      stranger.serveAt(ADDRESS);
      const foreign = token((await stranger.linkFor(SAM))!.url);
      expect(await here.redeem(foreign)).toEqual({ ok: false, reason: 'forged' });
      expect(await here.redeem('not a token')).toEqual({ ok: false, reason: 'malformed' });
      clock.advance(LINK_TTL_MS);
      expect(await there.redeem(link)).toEqual({ ok: false, reason: 'expired' });
    } finally {
      await elsewhere.close();
      await close();
    }
  });

  it('makes no link until the dashboard is served', async () => {
    const database = await open();
    try {
      const signIn = new DashboardSignIn(database, new FakeClock(0));
      expect(await signIn.linkFor(SAM)).toBeUndefined();
      signIn.serveAt({ baseUrl: 'http://localhost:3000/', localOnly: true });
      const link = (await signIn.linkFor(SAM))!;
      expect(link.localOnly).toBe(true);
      expect(link.url.startsWith('http://localhost:3000/dashboard/sign-in?token=')).toBe(true);
    } finally {
      await database.close();
    }
  });
});
