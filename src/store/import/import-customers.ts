/** Imports the old store's customer profiles with their identities, e-mails and notes. */
import type { Insertable, Selectable, Transaction } from 'kysely';
import { customerRow, noteRows } from '../../customers/customer-rows.ts';
import { emailKey, identityKey } from '../../customers/identity.ts';
import {
  type CustomerProfile,
  customerProfileSchema,
  profilePointerSchema,
} from '../../customers/profile.ts';
import { causeText, isConstraintViolation } from '../store-error.ts';
import type { CustomerNotesTable, CustomersTable, HeedTables } from '../tables.ts';
import { BATCH, chunks, type ImportRun, zodReason } from './import-run.ts';

interface CustomerPlan {
  readonly row: Selectable<CustomersTable>;
  readonly identities: readonly string[];
  readonly emails: readonly string[];
  readonly notes: readonly Insertable<CustomerNotesTable>[];
}

/** An old index (`identities`, `customer-emails`): key → profile id. */
async function pointers(run: ImportRun, namespace: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const batch of chunks(run.keysOf(namespace), BATCH)) {
    for (const [key, value] of await run.documents(namespace, batch, undefined)) {
      const pointer = profilePointerSchema.safeParse(value);
      if (pointer.success) out.set(key, pointer.data.profileId);
      else run.skip(namespace, key, `not a pointer to a profile: ${zodReason(pointer.error)}`);
    }
  }
  return out;
}

/** The old profiles, in batches, with the identities and e-mails the old indexes give them. */
export async function importCustomers(run: ImportRun): Promise<void> {
  const keys = run.keysOf('customers');
  const owners = {
    identities: await pointers(run, 'identities'),
    emails: await pointers(run, 'customer-emails'),
  };
  const claimed = { identities: new Set<string>(), emails: new Set<string>() };
  let done = 0;
  for (const batch of chunks(keys, run.batch)) {
    const profiles: CustomerProfile[] = [];
    for (const [key, value] of await run.documents('customers', batch, run.customers)) {
      const parsed = customerProfileSchema.safeParse(value);
      if (!parsed.success) {
        run.problem(run.customers, 'customers', key, `not a valid profile: ${zodReason(parsed.error)}`);
      } else if (parsed.data.id !== key) {
        run.problem(run.customers, 'customers', key, `the document holds profile ${parsed.data.id}`);
      } else {
        profiles.push(parsed.data);
      }
    }
    await storeCustomers(run, profiles, owners, claimed);
    const previous = done;
    done += batch.length;
    run.progress('customers', done, keys.length, previous);
  }
}

async function storeCustomers(
  run: ImportRun,
  profiles: readonly CustomerProfile[],
  owners: { identities: Map<string, string>; emails: Map<string, string> },
  claimed: { identities: Set<string>; emails: Set<string> },
): Promise<void> {
  if (profiles.length === 0) return;
  const stored = new Map(
    (
      await run.to.db
        .selectFrom('customers')
        .select(['id', 'revision'])
        .where(
          'id',
          'in',
          profiles.map((profile) => profile.id),
        )
        .execute()
    ).map((row) => [row.id, row.revision]),
  );
  const fresh: CustomerProfile[] = [];
  for (const profile of profiles) {
    const revision = stored.get(profile.id);
    if (revision === profile.revision) run.customers.unchanged += 1;
    else if (revision !== undefined) {
      run.otherRevision(run.customers, 'customers', profile.id, revision, profile.revision);
    } else fresh.push(profile);
  }
  if (fresh.length === 0) return;

  const identityKeys = fresh.flatMap((profile) => profile.identities.map(identityKey));
  const emailKeys = fresh.flatMap((profile) => profile.emails.flatMap((email) => emailKey(email) ?? []));
  const taken = {
    identities: new Map(
      identityKeys.length === 0
        ? []
        : (
            await run.to.db
              .selectFrom('customer_identities')
              .select(['identity', 'customer_id'])
              .where('identity', 'in', identityKeys)
              .execute()
          ).map((row) => [row.identity, row.customer_id]),
    ),
    emails: new Map(
      emailKeys.length === 0
        ? []
        : (
            await run.to.db
              .selectFrom('customer_emails')
              .select(['email', 'customer_id'])
              .where('email', 'in', emailKeys)
              .execute()
          ).map((row) => [row.email, row.customer_id]),
    ),
  };
  const plans = fresh.map((profile) => planCustomer(run, profile, owners, taken, claimed));
  const write = (plan: CustomerPlan) => async (trx: Transaction<HeedTables>) => {
    await trx.insertInto('customers').values(plan.row).execute();
    if (plan.identities.length > 0) {
      await trx
        .insertInto('customer_identities')
        .values(plan.identities.map((identity) => ({ identity, customer_id: plan.row.id })))
        .execute();
    }
    if (plan.emails.length > 0) {
      await trx
        .insertInto('customer_emails')
        .values(plan.emails.map((email) => ({ email, customer_id: plan.row.id })))
        .execute();
    }
    if (plan.notes.length > 0) await trx.insertInto('customer_notes').values(plan.notes).execute();
  };
  try {
    await run.to.change(async (trx) => {
      for (const plan of plans) await write(plan)(trx);
    });
    for (const plan of plans) customerStored(run, plan);
  } catch (error) {
    if (!isConstraintViolation(error)) throw error;
    for (const plan of plans) {
      try {
        await run.to.change(write(plan));
        customerStored(run, plan);
      } catch (single) {
        if (!isConstraintViolation(single)) throw single;
        run.problem(
          run.customers,
          'customers',
          plan.row.id,
          `the new store refused it: ${causeText(single)}`,
        );
      }
    }
  }
}

/**
 * The rows of one profile. An identity or e-mail goes to the profile the old index names (a merge cut
 * short by a crash can leave two profiles listing one identity), and never to a second customer.
 */
function planCustomer(
  run: ImportRun,
  profile: CustomerProfile,
  owners: { identities: Map<string, string>; emails: Map<string, string> },
  taken: { identities: Map<string, string>; emails: Map<string, string> },
  claimed: { identities: Set<string>; emails: Set<string> },
): CustomerPlan {
  const keep = (kind: 'identities' | 'emails', key: string, namespace: string): boolean => {
    const owner = owners[kind].get(key);
    const holder = taken[kind].get(key);
    let reason: string | undefined;
    if (owner !== undefined && owner !== profile.id) {
      reason = `the old store's index gives it to profile ${owner}, not ${profile.id}`;
    } else if (holder !== undefined && holder !== profile.id) {
      reason = `the new store already gives it to customer ${holder}; left there`;
    } else if (claimed[kind].has(key)) {
      reason = `another profile of the old store lists it too; ${profile.id} does not get it`;
    }
    if (reason) {
      run.skip(namespace, key, reason);
      return false;
    }
    claimed[kind].add(key);
    return true;
  };
  const identities = [...new Set(profile.identities.map(identityKey))].filter((key) =>
    keep('identities', key, 'identities'),
  );
  const emails: string[] = [];
  for (const email of new Set(profile.emails)) {
    const key = emailKey(email);
    if (key === undefined)
      run.skip('customer-emails', email, `not an e-mail address (profile ${profile.id})`);
    else if (!emails.includes(key) && keep('emails', key, 'customer-emails')) emails.push(key);
  }
  return { row: customerRow(profile), identities, emails, notes: noteRows(profile) };
}

function customerStored(run: ImportRun, plan: CustomerPlan): void {
  run.customers.imported += 1;
  run.customers.identities += plan.identities.length;
  run.customers.emails += plan.emails.length;
  run.customers.notes += plan.notes.length;
}
