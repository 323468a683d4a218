/**
 * The relational schema Heed keeps, as Kysely sees it. One definition for SQLite and PostgreSQL; the
 * migrations in `migrations/` create exactly these tables. Times are epoch milliseconds (BIGINT on
 * PostgreSQL), JSON columns are text validated with zod where they are read.
 */
import type { Generated } from 'kysely';

/** One row per issue: its current state. `body` is the issue without its ledger, as JSON. */
export interface IssuesTable {
  id: string;
  number: number;
  status: string;
  priority: string;
  team: string;
  /** `platform:id` of the owner, or null. */
  owner: string | null;
  /** The customer snapshot (JSON), kept beside the body so open-issue summaries load without it. */
  customer: string;
  opened_at: number;
  updated_at: number;
  /** When the issue next needs the SLA scheduler (warn, nag, escalate); null when nothing is pending. */
  next_alert_at: number | null;
  /** The earliest deadline of the running SLA clocks; null while none runs (migration 0009). */
  due_at: Generated<number | null>;
  revision: number;
  body: string;
  /** Shared mode: until when one instance holds the issue's due alerts while it sends them. */
  alert_claim_until: number | null;
  /** The instance holding that claim. */
  alert_claimed_by: string | null;
}

/** The ownership ledger: append-only, one row per event. */
export interface LedgerTable {
  seq: Generated<number>;
  id: string;
  issue_id: string;
  at: number;
  kind: string;
  team: string;
  /** `platform:id` of whoever acted. */
  actor: string;
  /** The whole event as JSON. */
  event: string;
  // Report figures derived from the issue's ledger when the row is written (`reports/ledger-figures.ts`).
  /** Owner key (or `unassigned`) the event's figures go to; null when it bears none. */
  credit: string | null;
  /** First-response, resolution or apology delay in milliseconds. */
  duration_ms: number | null;
  deadlines_met: Generated<number>;
  deadlines_breached: Generated<number>;
  /**
   * One-touch candidate (`resolved`), breach (`nagged`), 👍 (`rated`): 1 or 0; null while the row has no
   * figures yet (written by a Heed from before them).
   */
  flag: number | null;
}

/** Which issue a customer thread belongs to (a follow-up issue takes over its predecessor's thread). */
export interface ThreadsTable {
  /** `platform:channel:thread`. */
  conversation: string;
  issue_id: string;
}

/** Every customer message Heed handled, unique per platform message: redeliveries are recognised. */
export interface SeenMessagesTable {
  platform: string;
  channel: string;
  message_id: string;
  issue_id: string;
  at: number;
}

/**
 * The newest customer-channel message Heed has handled per channel (`scope` is `platform:channel`), in
 * epoch milliseconds: where catching up after downtime starts reading.
 */
/** How each person Heed has seen is named (see migration 0007). */
export interface PeopleTable {
  platform: string;
  person_id: string;
  name: string;
  /** 1: from a message they wrote; 0: from a command or button (a handle). */
  strong: number;
  seen_at: number;
}

export interface WatermarksTable {
  scope: string;
  at: number;
}

/**
 * Messages Heed owes, recorded with the change that decided them and marked sent once out (see
 * `core/outbox.ts`). `target` and `message` are JSON; `group_key` gathers what one destination gets.
 */
export interface OutboxTable {
  id: string;
  issue_id: string | null;
  kind: string;
  group_key: string;
  target: string;
  message: string;
  created_at: number;
  claimed_until: number | null;
  claimed_by: string | null;
  attempts: Generated<number>;
  sent_at: number | null;
}

/** SLA alerts already sent (`clock:gen:warn`, `clock:gen:L0.0`), unique per issue. */
export interface FiredAlertsTable {
  issue_id: string;
  alert: string;
}

/** Named counters: the issue numbering. */
export interface CountersTable {
  name: string;
  value: number;
}

/** One row per customer profile; identities, e-mails and notes live in their own tables. */
export interface CustomersTable {
  id: string;
  name: string | null;
  organisation: string | null;
  tier: string | null;
  last_contact_at: number | null;
  updated_at: number;
  revision: number;
  /** The profile without its notes, as JSON. */
  body: string;
}

export interface CustomerIdentitiesTable {
  /** `platform:userId`. */
  identity: string;
  customer_id: string;
}

export interface CustomerEmailsTable {
  /** Lower-cased. */
  email: string;
  customer_id: string;
}

export interface CustomerNotesTable {
  seq: Generated<number>;
  customer_id: string;
  at: number;
  /** The note as JSON (`at`, `by`, `text`). */
  note: string;
}

/** Schedulers' state: when the manager digest last went out. */
export interface DigestsTable {
  name: string;
  last_slot: number;
  sent_at: number | null;
}

/** Short-lived keys with a TTL: locks, claims, delivery dedupe, keyv data. An expired row counts as absent. */
export interface TtlKeysTable {
  key: string;
  value: string;
  expires_at: number;
}

/** Work one instance at a time may do (holding the Discord gateway); the fence grows with every taker. */
export interface LeasesTable {
  name: string;
  holder: string;
  fence: number;
  expires_at: number;
}

/** On-call overrides (see migration 0008); `set_by`/`removed_by` are `platform:id`. */
export interface OncallOverridesTable {
  id: Generated<number>;
  schedule: string;
  platform: string;
  user_id: string;
  starts_at: number;
  ends_at: number;
  reason: string | null;
  set_by: string;
  created_at: number;
  removed_at: number | null;
  removed_by: string | null;
}

/** The key signing dashboard sign-in links (migration 0010): one row, `name` = `sign-in`. */
export interface DashboardKeysTable {
  name: string;
  secret: string;
  created_at: number;
}

/** A dashboard sign-in link: who it is for, until when, and when it was used (once). */
export interface DashboardLinksTable {
  id: string;
  /** The person as `/heed dashboard` saw them (JSON: platform, id, roles, name). */
  person: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A dashboard session, by the SHA-256 of its cookie. */
export interface DashboardSessionsTable {
  id_hash: string;
  person: string;
  created_at: number;
  expires_at: number;
}

/** Every table, for `Kysely<HeedTables>`. */
export interface HeedTables {
  issues: IssuesTable;
  ledger: LedgerTable;
  threads: ThreadsTable;
  seen_messages: SeenMessagesTable;
  watermarks: WatermarksTable;
  people: PeopleTable;
  outbox: OutboxTable;
  fired_alerts: FiredAlertsTable;
  counters: CountersTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  customer_emails: CustomerEmailsTable;
  customer_notes: CustomerNotesTable;
  digests: DigestsTable;
  ttl_keys: TtlKeysTable;
  leases: LeasesTable;
  oncall_overrides: OncallOverridesTable;
  dashboard_keys: DashboardKeysTable;
  dashboard_links: DashboardLinksTable;
  dashboard_sessions: DashboardSessionsTable;
}
