import type { HeedConfig } from '../config/schema.ts';
import type { Customers } from '../customers/customers.ts';
import type { DashboardSignIn } from '../dashboard/sign-in.ts';
import type { Logger } from '../logging/logger.ts';
import type { HeedObserver } from '../observability/observer.ts';
import type { OnCall } from '../oncall/on-call.ts';
import type { ChatPort } from '../ports/chat-port.ts';
import type { Clock } from './clock.ts';
import type { IssueRepository } from './issue-repository.ts';
import type { Outbox } from './outbox.ts';
import type { PeopleNames } from './people-names.ts';

/**
 * What every part of the core works with: the config, the issues and customer profiles, the chat port,
 * time and the log. Built once at boot (`src/boot/compose-core.ts`) and handed to intake, the staff
 * operations and the commands, which are plain functions of it.
 */
export interface Core {
  readonly config: HeedConfig;
  readonly issues: IssueRepository;
  /** Customer profiles: one per person, across platforms. */
  readonly customers: Customers;
  readonly chat: ChatPort;
  readonly clock: Clock;
  /** Bound to `module: 'core'`. */
  readonly logger: Logger;
  /** The logger Heed was given, for parts that bind their own `module` (commands). */
  readonly rootLogger: Logger;
  /** Told about stored changes, handled messages and SLA ticks (the metrics). */
  readonly observer: HeedObserver;
  /** Sends what changes recorded as owed (acknowledgements, cards, pages, SLA alerts), at least once. */
  readonly outbox: Outbox;
  /** The names of people Heed has seen, for reports and digests. */
  readonly people: PeopleNames;
  /** Who is on call for each team, from its schedule and the overrides. */
  readonly onCall: OnCall;
  /** Sign-in links and sessions of the web dashboard (links are made once it is served). */
  readonly dashboard: DashboardSignIn;
}
