import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/** The first relational schema: issues, ledger, threads, seen messages, alerts, customers, digests. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  // Epoch milliseconds overflow PostgreSQL's 32-bit integer; SQLite's INTEGER is 64-bit already.
  const time = postgres ? 'bigint' : 'integer';
  const serial = postgres ? 'bigserial' : 'integer';

  await db.schema
    .createTable('issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('opened_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('next_alert_at', time)
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  // Open issues are loaded at start and listed by queues; closed ones are the bulk and never are.
  await db.schema
    .createIndex('issues_open')
    .on('issues')
    .columns(['status', 'team'])
    .where('status', '<>', 'closed')
    .execute();
  // The SLA scheduler's deadline index: the next alert time per issue.
  await db.schema
    .createIndex('issues_next_alert')
    .on('issues')
    .column('next_alert_at')
    .where('next_alert_at', 'is not', null)
    .execute();
  await db.schema.createIndex('issues_owner').on('issues').columns(['owner', 'status']).execute();

  await db.schema
    .createTable('ledger')
    .addColumn('seq', serial, (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_issue').on('ledger').columns(['issue_id', 'seq']).execute();
  // Reports: by time, by team and time, by actor and time.
  await db.schema.createIndex('ledger_at').on('ledger').columns(['at', 'issue_id']).execute();
  await db.schema.createIndex('ledger_team_at').on('ledger').columns(['team', 'at']).execute();
  await db.schema.createIndex('ledger_actor_at').on('ledger').columns(['actor', 'at']).execute();

  await db.schema
    .createTable('threads')
    .addColumn('conversation', 'text', (c) => c.primaryKey())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('threads_issue').on('threads').column('issue_id').execute();

  await db.schema
    .createTable('seen_messages')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('seen_messages_pk', ['platform', 'channel', 'message_id'])
    .execute();
  await db.schema.createIndex('seen_messages_issue').on('seen_messages').column('issue_id').execute();

  await db.schema
    .createTable('fired_alerts')
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('alert', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fired_alerts_pk', ['issue_id', 'alert'])
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('organisation', 'text')
    .addColumn('tier', 'text')
    .addColumn('last_contact_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('customer_identities')
    .addColumn('identity', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_identities_customer')
    .on('customer_identities')
    .column('customer_id')
    .execute();
  await db.schema
    .createTable('customer_emails')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_emails_customer')
    .on('customer_emails')
    .column('customer_id')
    .execute();
  await db.schema
    .createTable('customer_notes')
    .addColumn('seq', serial, (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_notes_customer')
    .on('customer_notes')
    .columns(['customer_id', 'seq'])
    .execute();

  await db.schema
    .createTable('digests')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_slot', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'digests',
    'customer_notes',
    'customer_emails',
    'customer_identities',
    'customers',
    'counters',
    'fired_alerts',
    'seen_messages',
    'threads',
    'ledger',
    'issues',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
