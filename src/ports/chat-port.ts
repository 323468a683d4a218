import type { Priority } from '../domain/issue.ts';
import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../domain/refs.ts';
import type { Rich } from '../messages/rich-text.ts';

/**
 * The name of a button's action, as the action registry (`src/actions/registry.ts`) defines it; adapters
 * encode it in Slack action ids and Discord custom ids.
 */
export type ActionName = string;

export interface ActionButton {
  readonly action: ActionName;
  readonly issueId: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  /** Opens a form first (reason, summary, duration) before the action runs. */
  readonly form?: FormSpec;
}

/** One choice of a form's select field: the value submitted and what the person sees. */
export interface FormChoice {
  readonly value: string;
  readonly label: string;
}

/**
 * One field of a form, in neutral terms: a text input, or a select when it has `choices` (Slack: a static
 * select; Discord: a string select in the modal). Adapters keep as many choices as their platform allows
 * (Slack 100, Discord 25), so the most likely come first.
 */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly placeholder?: string;
  readonly long?: boolean;
  /** May be left empty (Slack: an optional input block; Discord: a text input that is not required). */
  readonly optional?: boolean;
  /** The text filled in, or the choice selected, when the form opens. */
  readonly initial?: string;
  readonly choices?: readonly FormChoice[];
}

/** A small form (Slack modal, Discord modal) that collects text before an action runs. */
export interface FormSpec {
  readonly title: string;
  readonly fields: readonly FormField[];
}

/** Everything a team card shows; adapters render it as Block Kit or an embed. */
export interface IssueCard {
  readonly issueId: string;
  readonly reference: string;
  readonly status: string;
  readonly priority: Priority;
  readonly team: string;
  readonly customerName: string;
  readonly customerDetails: string;
  /** Untrusted: the customer's words. */
  readonly excerpt: string;
  readonly owner?: UserRef;
  readonly deadlines: readonly string[];
  readonly history: string;
  /** Files the customer sent (untrusted names; links), from messages not deleted, oldest first. */
  readonly files?: readonly CardFile[];
  /** Files beyond those listed. */
  readonly moreFiles?: number;
  readonly threadLink?: string;
  /** The saved reply that best fits the customer's words, offered to staff. */
  readonly suggestedReply?: { readonly id: string; readonly title: string };
  /** What the customer is worth, as the card shows it (`ARR 12k`). */
  readonly value?: string;
  readonly actions: readonly ActionButton[];
}

/** A file on a card: its name (the customer's, untrusted), link, and type when known (`image/png`). */
export interface CardFile {
  readonly name: string;
  readonly url: string;
  readonly type?: string | undefined;
}

/** A neutral outbound message. `mentions` lists the people the message is meant to ping. */
export interface OutboundMessage {
  readonly text: Rich;
  readonly card?: IssueCard;
  readonly actions?: readonly ActionButton[];
}

/**
 * The one outbound port: adapters implement it per platform; the core addresses everything with neutral
 * references stored on each issue, so a nag hours later finds its way back.
 */
export interface ChatPort {
  /** Posts a new message in a channel. */
  post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef>;
  /**
   * Replies in the thread rooted at `conversation.thread` (Slack: `thread_ts`; Discord: the thread
   * started from that message, created on first use; a forum post is already a thread), or in the
   * channel itself when `thread` is unset.
   */
  reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef>;
  /** Sends a direct message. */
  dm(user: UserRef, message: OutboundMessage): Promise<MessageRef>;
  /** Replaces a message Heed posted earlier (cards are updated in place). */
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
}
