import type { UserRef } from '../../src/domain/refs.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';

/** Slack user ids: `U…`, or `W…` on Enterprise Grid; upper case. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** A user mention as Slack writes it in text: `<@U0123ABC>`, with the name after a `|` in slash commands. */
const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

const user = (id: string): UserRef => ({ platform: 'slack', id });

/** How Slack writes people: `<@U0123ABC|dana>` mentions and `U…`/`W…` ids. */
export const slackReferences: ReferenceParser = {
  platform: 'slack',
  mention(token) {
    const id = MENTION.exec(token)?.[1];
    return id ? user(id) : undefined;
  },
  userId(text) {
    return USER_ID.test(text) ? user(text) : undefined;
  },
  // `slack:u0123abc` names Slack outright; its ids are upper case, whatever was typed.
  prefixedUserId(text) {
    return this.userId(text.toUpperCase());
  },
};
