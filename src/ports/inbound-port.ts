import type { Attachment } from '../domain/customer-messages.ts';
import type { Issue } from '../domain/issue.ts';
import type { ConversationRef, Platform } from '../domain/refs.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { ActionName, FormSpec } from './chat-port.ts';
import type { HomePage, IssueChangeNotice } from './home-page.ts';
import type { ReferenceParser } from './reference-parser.ts';

/** A person as an adapter sees them: id plus, on Discord, their role ids. */
export interface PersonFacts {
  readonly platform: Platform;
  readonly id: string;
  readonly roles?: readonly string[] | undefined;
  /**
   * How the platform names them, when the request said (a Slack handle, a Discord display name): kept so
   * reports and digests show names. A name from a message the person wrote takes precedence.
   */
  readonly name?: string | undefined;
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
  /** Files that came with it (Slack `files`, Discord attachments and embeds), untrusted. */
  readonly files?: readonly Attachment[] | undefined;
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

/**
 * A message changed on the platform after Heed read it: edited (its new text and files) or deleted.
 * `channel` is as in {@link InboundMessage} (a thread's parent channel).
 */
export type MessageChange =
  | {
      readonly kind: 'edited';
      readonly platform: Platform;
      readonly channel: string;
      readonly messageId: string;
      readonly text: string;
      readonly files?: readonly Attachment[] | undefined;
      readonly at: number;
    }
  | {
      readonly kind: 'deleted';
      readonly platform: Platform;
      readonly channel: string;
      readonly messageId: string;
      readonly at: number;
    };

/** What became of a changed message: recorded on its issue, or ignored (not a customer message Heed keeps). */
export type ChangeOutcome =
  | { readonly kind: 'recorded'; readonly issue: Issue }
  | { readonly kind: 'ignored'; readonly reason: string };

/** What became of an inbound message. */
export type IntakeOutcome =
  | { readonly kind: 'opened'; readonly issue: Issue }
  | { readonly kind: 'appended'; readonly issue: Issue }
  | { readonly kind: 'reopened'; readonly issue: Issue }
  | { readonly kind: 'response'; readonly issue: Issue }
  | { readonly kind: 'duplicate'; readonly issue: Issue }
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Told during intake: `stored` once the message is safely persisted (before chat effects). `caughtUpAt`
 * is set when the message was read back after downtime (when it was read), not delivered live.
 */
export interface IntakeHooks {
  readonly stored?: () => void;
  readonly caughtUpAt?: number | undefined;
}

/** A command's arguments by name, before validation. */
export type RawArgs = Record<string, unknown>;

/** A command as an adapter received it: free text (Slack) or named, typed options (Discord). */
export type CommandInput = { readonly text: string } | { readonly name: string; readonly options: RawArgs };

/** A command someone ran, and where (an issue thread names the issue). */
/** Someone typing in a command argument that offers suggestions (Discord autocomplete). */
export interface SuggestRequest {
  readonly person: PersonFacts;
  readonly command: string;
  readonly argument: string;
  /** What they typed so far. */
  readonly typed: string;
}

/** One suggestion: what the person sees and the value it fills in. */
export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

export interface CommandRequest {
  readonly person: PersonFacts;
  readonly conversation?: ConversationRef | undefined;
  readonly input: CommandInput;
  /**
   * How people are written on every platform Heed knows (each adapter's parser; the composition root hands
   * each adapter all of them), to read the people a command names: a teammate by a mention on the writer's
   * platform, anyone by `slack:U0123ABC`, `discord:…` or a bare id. Without them nobody can be named.
   */
  readonly references?: readonly ReferenceParser[] | undefined;
}

/** What to answer the person who ran a command or pressed a button. */
export interface CommandReply {
  readonly text: Rich;
  /** Ephemeral replies are seen only by the person who ran the command. */
  readonly visibility: 'ephemeral' | 'public';
  /** The control centre (`/heed dashboard`): adapters that can show it richly do (an embed), else `text`. */
  readonly page?: HomePage | undefined;
  /** The web dashboard's sign-in link made for the person (also sent by DM): adapters may show it. */
  readonly signInUrl?: string | undefined;
}

/** A pressed button (after its form, if it has one). */
export interface ActionRequest {
  readonly person: PersonFacts;
  /** An action's name; anything else is refused politely by the runner. */
  readonly action: ActionName;
  readonly issueId: string;
  /** Values from the form the button opened (summary, reason, duration). */
  readonly fields?: Record<string, unknown>;
}

/**
 * What adapters may ask of the core: the one inbound port. Adapters turn platform payloads into these
 * neutral calls (and send what the core decides through the ChatPort); they never see the core's parts.
 */
export interface InboundPort {
  /**
   * Handles a message in a customer channel or an issue thread. Persists before any chat effect and says
   * so through `hooks.stored` (Slack is answered then, while the acknowledgement and card still go out).
   */
  handleMessage(message: InboundMessage, hooks?: IntakeHooks): Promise<IntakeOutcome>;
  /** Records a customer's edit or deletion of a message on its issue (ledger, card). */
  messageChanged(change: MessageChange): Promise<ChangeOutcome>;
  /** Runs a `/heed` command for a person; every failure becomes a friendly reply. */
  runCommand(request: CommandRequest): Promise<CommandReply>;
  /** Runs a card or alert button for a person; every failure becomes a friendly reply. */
  runAction(request: ActionRequest): Promise<CommandReply>;
  /** Suggestions for a command argument being typed (none for people who may not run the command). */
  suggest(request: SuggestRequest): Promise<readonly Suggestion[]>;
  /**
   * Asked before a button's form opens: the reply that refuses the press at once (someone other than the
   * customer, a question already answered), or undefined to open the form.
   */
  refusalBeforeForm(request: Omit<ActionRequest, 'fields'>): Promise<CommandReply | undefined>;
  /** The person's control centre (the Slack App Home): their desk, their teams' and their figures. */
  homePage(person: PersonFacts): Promise<HomePage>;
  /** Calls `listener` after every issue change (to refresh pages showing it); returns how to stop. */
  onIssueChanged(listener: (change: IssueChangeNotice) => void): () => void;
  /** The issue with this id (the id a button carries), if it exists. */
  issueById(id: string): Promise<Issue | undefined>;
  /** The form an action's button opens (also for buttons sent before a restart). */
  formFor(issue: Issue, action: ActionName): FormSpec | undefined;
  /** The customer channels configured on a platform (where intake listens). */
  intakeChannels(platform: Platform): readonly string[];
  /**
   * Reads back, through the adapter's history, what customers wrote while Heed was not listening (at
   * start, after a gateway session that could not resume, a Socket Mode reconnect, a gateway takeover).
   */
  catchUp(history: HistoryPort, reason: string): Promise<CatchUpSummary>;
}

/** What a catch-up pass found, as adapters may log it. */
export interface CatchUpSummary {
  readonly read: number;
  readonly opened: number;
  readonly joined: number;
  readonly failed: number;
}

/**
 * What an adapter reads back from its platform's history when Heed catches up after downtime or a
 * reconnect. Messages come translated exactly as live ones are, oldest first; bots' and system messages
 * may be included (intake ignores them as it does live). Each adapter pages the way its API does and
 * keeps to its rate limits.
 */
export interface HistoryPort {
  readonly platform: Platform;
  /**
   * New conversations started in a customer channel at or after `since` (epoch ms): top-level messages in
   * a channel, the opening posts of a forum.
   */
  channelMessages(channel: string, since: number): AsyncIterable<InboundMessage>;
  /** Replies in an issue's thread at or after `since`, oldest first; never the thread's first message. */
  threadMessages(conversation: ConversationRef, since: number): AsyncIterable<InboundMessage>;
}
