/**
 * Signing in to the web dashboard. `/heed dashboard` asks for a link for the person who ran it: a link
 * id and its expiry, signed with HMAC-SHA256 by a key kept in the store (so a link made on one instance
 * opens on any other), valid for 10 minutes and usable once. Opening it starts a session of 12 hours:
 * a random cookie value, stored only as its SHA-256. Links and sessions remember the person as the
 * platform described them (roles included), and every request works out their access again from the
 * config of the moment and their roles of the last few minutes (`current-people.ts`).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { platformSchema } from '../domain/refs.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { HeedTables } from '../store/tables.ts';

/** How long a sign-in link stays valid. */
export const LINK_TTL_MS = 10 * 60_000;
/** How long a dashboard session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** Expired links and sessions are deleted once they are this old. */
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

const personSchema = z.object({
  platform: platformSchema,
  id: z.string().min(1),
  roles: z.array(z.string()).optional(),
  name: z.string().optional(),
});

/** Where links point: the public base URL, or the local server (then the dashboard is local only). */
export interface DashboardAddress {
  readonly baseUrl: string;
  readonly localOnly: boolean;
}

/** A link made for someone. */
export interface SignInLink {
  readonly url: string;
  readonly expiresAt: number;
  readonly localOnly: boolean;
}

/** What opening a link gives: a session, or why not. */
export type Redeemed =
  | { readonly ok: true; readonly session: string; readonly person: PersonFacts; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' | 'used' };

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

function personFacts(json: string): PersonFacts | undefined {
  try {
    const parsed = personSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes links or sessions that expired more than a day ago (done with each new one). */
function pruneExpired(
  tx: Transaction<HeedTables>,
  table: 'dashboard_links' | 'dashboard_sessions',
  now: number,
): Promise<unknown> {
  return tx
    .deleteFrom(table)
    .where('expires_at', '<', now - KEEP_EXPIRED_MS)
    .execute();
}

export class DashboardSignIn {
  private address: DashboardAddress | undefined;
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly database: HeedDatabase,
    private readonly clock: Clock,
  ) {}

  /** Called once the HTTP server listens: where links point. Until then no link can be made. */
  serveAt(address: DashboardAddress): void {
    this.address = address;
  }

  /** Where the dashboard is served, when it is. */
  get served(): DashboardAddress | undefined {
    return this.address;
  }

  /** The signing key: read from the store, or made by whichever instance comes first. */
  private signingKey(): Promise<Buffer> {
    this.key ??= (async () => {
      const fresh = base64url(randomBytes(32));
      await this.database.change((tx) =>
        tx
          .insertInto('dashboard_keys')
          .values({ name: 'sign-in', secret: fresh, created_at: this.clock.now() })
          .onConflict((c) => c.column('name').doNothing())
          .execute(),
      );
      const row = await this.database.db
        .selectFrom('dashboard_keys')
        .select('secret')
        .where('name', '=', 'sign-in')
        .executeTakeFirstOrThrow();
      return Buffer.from(row.secret, 'base64url');
    })().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async signature(id: string, expiresAt: number): Promise<string> {
    const key = await this.signingKey();
    return base64url(createHmac('sha256', key).update(`${id}.${expiresAt}`).digest());
  }

  /** A signed, single-use link for `person`, or undefined while the dashboard is not served. */
  async linkFor(person: PersonFacts): Promise<SignInLink | undefined> {
    const address = this.address;
    if (!address) return undefined;
    const now = this.clock.now();
    const id = base64url(randomBytes(18));
    const expiresAt = now + LINK_TTL_MS;
    const facts = {
      platform: person.platform,
      id: person.id,
      ...(person.roles ? { roles: [...person.roles] } : {}),
      ...(person.name ? { name: person.name } : {}),
    };
    const token = `${id}.${expiresAt}.${await this.signature(id, expiresAt)}`;
    await this.database.change(async (tx) => {
      await pruneExpired(tx, 'dashboard_links', now);
      await tx
        .insertInto('dashboard_links')
        .values({ id, person: JSON.stringify(facts), created_at: now, expires_at: expiresAt, used_at: null })
        .execute();
    });
    const url = new URL('/dashboard/sign-in', address.baseUrl);
    url.searchParams.set('token', token);
    return { url: url.toString(), expiresAt, localOnly: address.localOnly };
  }

  /**
   * Opens a link: checks its signature and expiry, marks it used (once, in one statement, so two
   * instances opening it at once give one session) and starts a session.
   */
  async redeem(token: string): Promise<Redeemed> {
    const parts = /^([\w-]{16,64})\.(\d{1,16})\.([\w-]{43})$/.exec(token);
    if (!parts) return { ok: false, reason: 'malformed' };
    const [, id, expiry, signature] = parts as unknown as [string, string, string, string];
    const expiresAt = Number(expiry);
    const expected = Buffer.from(await this.signature(id, expiresAt));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { ok: false, reason: 'forged' };
    }
    const now = this.clock.now();
    if (now >= expiresAt) return { ok: false, reason: 'expired' };
    const session = base64url(randomBytes(32));
    const sessionExpiresAt = now + SESSION_TTL_MS;
    const person = await this.database.change(async (tx) => {
      const used = await tx
        .updateTable('dashboard_links')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('person')
        .executeTakeFirst();
      if (!used) return undefined;
      await pruneExpired(tx, 'dashboard_sessions', now);
      await tx
        .insertInto('dashboard_sessions')
        .values({
          id_hash: sha256(session),
          person: used.person,
          created_at: now,
          expires_at: sessionExpiresAt,
        })
        .execute();
      return used.person;
    });
    const facts = person === undefined ? undefined : personFacts(person);
    if (!facts) return { ok: false, reason: 'used' };
    return { ok: true, session, person: facts, expiresAt: sessionExpiresAt };
  }

  /**
   * The person a session cookie belongs to, while it lasts, as the platform described them when they
   * signed in (`since`): their roles may have changed since (see `current-people.ts`).
   */
  async signedIn(session: string): Promise<{ person: PersonFacts; since: number } | undefined> {
    if (!/^[\w-]{43}$/.test(session)) return undefined;
    const row = await this.database.db
      .selectFrom('dashboard_sessions')
      .select(['person', 'created_at'])
      .where('id_hash', '=', sha256(session))
      .where('expires_at', '>', this.clock.now())
      .executeTakeFirst();
    const person = row ? personFacts(row.person) : undefined;
    return row && person ? { person, since: row.created_at } : undefined;
  }

  /** Ends a session (signing out). */
  async endSession(session: string): Promise<void> {
    if (!/^[\w-]{43}$/.test(session)) return;
    await this.database.change((tx) =>
      tx.deleteFrom('dashboard_sessions').where('id_hash', '=', sha256(session)).execute(),
    );
  }
}
