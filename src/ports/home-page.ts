import type { Rich } from '../messages/rich-text.ts';
import type { ActionButton } from './chat-port.ts';

/** One line of the home page: text, and a button beside it (Claim, on queued issues). */
export interface HomePageLine {
  readonly text: Rich;
  readonly button?: ActionButton;
}

/** A titled part of the home page. */
export interface HomePageSection {
  readonly title: string;
  readonly lines: readonly HomePageLine[];
  /** Said when there is no line. */
  readonly empty?: string;
  /** Lines left out (the page shows the first few). */
  readonly more?: number;
}

/**
 * The control centre for one person, in neutral terms: the Slack App Home renders it as a home view,
 * `/heed dashboard` as an embed (Discord) or text. Customer text in it is `customer` segments, which
 * every renderer neutralises.
 */
export interface HomePage {
  readonly title: string;
  readonly intro: Rich;
  readonly sections: readonly HomePageSection[];
  /** When the figures were read. */
  readonly at: number;
  /** The teams whose issues the page shows: a change to one of their issues changes the page. */
  readonly teams: readonly string[];
  /** The issues the page lists. */
  readonly issueIds: readonly string[];
}

/** An issue changed (stored here, or announced by another instance): pages showing it are out of date. */
export interface IssueChangeNotice {
  readonly issueId: string;
  /** Its team, when known (unknown for an issue another instance closed). */
  readonly team?: string | undefined;
}
