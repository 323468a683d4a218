import type { UserRef } from '../../src/domain/refs.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';

/** A Discord user id: a snowflake, all digits. */
const USER_ID = /^\d{5,25}$/;
/** A user mention as Discord writes it: `<@123…>`, or `<@!123…>` for a nickname (older clients). */
const MENTION = /^<@!?(\d{5,25})>$/;

const user = (id: string): UserRef => ({ platform: 'discord', id });

/** How Discord writes people: `<@123…>` / `<@!123…>` mentions and snowflake ids. */
export const discordReferences: ReferenceParser = {
  platform: 'discord',
  mention(token) {
    const id = MENTION.exec(token)?.[1];
    return id ? user(id) : undefined;
  },
  userId(text) {
    return USER_ID.test(text) ? user(text) : undefined;
  },
  prefixedUserId(text) {
    return this.userId(text);
  },
};
