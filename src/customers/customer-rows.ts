/**
 * How a customer profile maps onto rows and back: the `customers` row (the profile without its notes),
 * its `customer_notes`, and the pointers to it (`customer_identities`, `customer_emails`). Used by the
 * repository and by `heed import`, so both write the same rows.
 */
import type { Insertable, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { HeedError } from '../core/errors.ts';
import type { UserRef } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/database.ts';
import type { CustomerNotesTable, CustomersTable, HeedTables } from '../store/tables.ts';
import { identityKey } from './identity.ts';
import { type CustomerProfile, customerProfileSchema } from './profile.ts';

/** The tables that point at a profile. */
export type PointerTable = 'customer_identities' | 'customer_emails';

/** A lookup row to point at the profile being written: an identity or a (lower-cased) e-mail. */
export interface Pointer {
  readonly table: PointerTable;
  readonly key: string;
}

/** The pointer of an identity (`platform:userId`). */
export function identityPointer(user: UserRef): Pointer {
  return { table: 'customer_identities', key: identityKey(user) };
}

/** The pointer of a (lower-cased) e-mail address. */
export function emailPointer(email: string): Pointer {
  return { table: 'customer_emails', key: email };
}

/** The `customers` row of a profile: the profile without its notes, with the columns queries use. */
export function customerRow(profile: CustomerProfile): Selectable<CustomersTable> {
  const { notes: _notes, ...body } = profile;
  return {
    id: profile.id,
    name: profile.name ?? null,
    organisation: profile.organisation ?? null,
    tier: profile.tier ?? null,
    last_contact_at: profile.lastContactAt ?? null,
    updated_at: profile.updatedAt,
    revision: profile.revision,
    body: JSON.stringify(body),
  };
}

/** The `customer_notes` rows of a profile, oldest first. */
export function noteRows(profile: CustomerProfile): Insertable<CustomerNotesTable>[] {
  return profile.notes.map((note) => ({ customer_id: profile.id, at: note.at, note: JSON.stringify(note) }));
}

const POINTER_KEY = { customer_identities: 'identity', customer_emails: 'email' } as const;

/** The profile with this id, validated (a failure is logged by its id); undefined when there is none. */
export async function readProfile(
  database: HeedDatabase,
  id: string,
  logger: Logger,
): Promise<CustomerProfile | undefined> {
  const row = await database.db
    .selectFrom('customers')
    .select('body')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const notes = await database.db
    .selectFrom('customer_notes')
    .select('note')
    .where('customer_id', '=', id)
    .orderBy('seq')
    .execute();
  const parsed = customerProfileSchema.safeParse({
    ...(parseJson(row.body) as object),
    notes: notes.map((entry) => parseJson(entry.note)),
  });
  if (!parsed.success || parsed.data.id !== id) {
    logger.error(
      { profileId: id, problem: parsed.success ? 'wrong id' : z.prettifyError(parsed.error) },
      'stored customer profile failed validation',
    );
    throw new HeedError('STORE_RECORD_INVALID', `Stored customer profile ${id} is not valid`, {
      profileId: id,
    });
  }
  return parsed.data;
}

/** The profile a pointer names, if any. */
export async function readPointer(
  database: HeedDatabase,
  table: PointerTable,
  key: string,
): Promise<string | undefined> {
  const row = await database.db
    .selectFrom(table)
    .select('customer_id')
    .where(POINTER_KEY[table], '=', key)
    .executeTakeFirst();
  return row?.customer_id;
}

/** Whether a profile with this id exists. */
export async function profileExists(database: HeedDatabase, id: string): Promise<boolean> {
  return (
    (await database.db.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

/**
 * Writes the profile row and, when they changed, its notes. Written only over the revision that was read
 * (`before`); a new profile is inserted, so a concurrent creation of the same id fails on the key.
 */
export async function writeProfile(
  trx: Transaction<HeedTables>,
  profile: CustomerProfile,
  before: CustomerProfile | undefined,
): Promise<void> {
  const { id, ...row } = customerRow(profile);
  const notes = noteRows(profile);
  if (before) {
    // Written only over the revision that was read: a writer whose lock lapsed (shared mode) is refused
    // instead of overwriting a newer profile.
    const written = await trx
      .updateTable('customers')
      .set(row)
      .where('id', '=', id)
      .where('revision', '=', before.revision)
      .executeTakeFirst();
    if (written.numUpdatedRows !== 1n) {
      throw new HeedError('STALE_REVISION', `Customer profile ${id} changed after it was read`, {
        profileId: id,
      });
    }
  } else {
    // A new profile: a concurrent creation of the same id fails on the key instead of being overwritten.
    await trx
      .insertInto('customers')
      .values({ id, ...row })
      .execute();
  }
  if (JSON.stringify(profile.notes) === JSON.stringify(before?.notes ?? [])) return;
  // Notes change rarely (a staff note, a merge): rewrite the profile's list, oldest first.
  await trx.deleteFrom('customer_notes').where('customer_id', '=', profile.id).execute();
  if (notes.length > 0) {
    await trx.insertInto('customer_notes').values(notes).execute();
  }
}

/** Removes a pointer (one to a profile that is gone). */
export async function removePointer(database: HeedDatabase, table: PointerTable, key: string): Promise<void> {
  await database.change((trx) => trx.deleteFrom(table).where(POINTER_KEY[table], '=', key).execute());
}

/** Points an identity or e-mail at a profile (moving it from another). */
export async function pointIn(
  trx: Transaction<HeedTables>,
  pointer: Pointer,
  profileId: string,
): Promise<void> {
  const moved = { customer_id: profileId };
  if (pointer.table === 'customer_identities') {
    await trx
      .insertInto('customer_identities')
      .values({ identity: pointer.key, ...moved })
      .onConflict((conflict) => conflict.column('identity').doUpdateSet(moved))
      .execute();
  } else {
    await trx
      .insertInto('customer_emails')
      .values({ email: pointer.key, ...moved })
      .onConflict((conflict) => conflict.column('email').doUpdateSet(moved))
      .execute();
  }
}

/** A profile from its `customers.body` alone (lists that show no notes), or undefined when damaged. */
export function profileWithoutNotes(body: string): CustomerProfile | undefined {
  const parsed = customerProfileSchema.safeParse({ ...(parseJson(body) as object), notes: [] });
  return parsed.success ? parsed.data : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
