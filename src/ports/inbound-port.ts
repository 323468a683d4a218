import type { Issue } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';

/** A person as an adapter sees them: id plus, on Discord, their role ids. */
export interface PersonFacts {
  readonly platform: Platform;
  readonly id: string;
  readonly roles?: readonly string[] | undefined;
}

/** A message someone wrote in a channel Heed watches, as the adapter saw it. */
export interface InboundMessage {
  readonly platform: Platform;
  /** The channel (for Discord threads: the parent channel). */
  readonly channel: string;
  /** Thread root id (Slack `thread_ts`; Discord thread channel id), unset for a top-level message. */
  readonly thread?: string | undefined;
  readonly messageId: string;
  readonly text: string;
  readonly at: number;
  readonly author: {
    readonly id: string;
    readonly name?: string | undefined;
    readonly organisation?: string | undefined;
    readonly teamId?: string | undefined;
    readonly roles?: readonly string[] | undefined;
    readonly email?: string | undefined;
    readonly isBot?: boolean | undefined;
  };
}

/** What became of an inbound message. */
export type IntakeOutcome =
  | { readonly kind: 'opened'; readonly issue: Issue }
  | { readonly kind: 'appended'; readonly issue: Issue }
  | { readonly kind: 'reopened'; readonly issue: Issue }
  | { readonly kind: 'response'; readonly issue: Issue }
  | { readonly kind: 'duplicate'; readonly issue: Issue }
  | { readonly kind: 'ignored'; readonly reason: string };

/** Told during intake: `stored` once the message is safely persisted (before chat effects). */
export interface IntakeHooks {
  readonly stored?: () => void;
}
