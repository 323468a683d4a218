import type { Platform, UserRef } from '../domain/refs.ts';

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const DISCORD_USER = /^\d{5,25}$/;

/** The platform a bare user id belongs to: Slack ids start with U or W, Discord ids are all digits. */
export function platformOfUserId(id: string): Platform | undefined {
  if (SLACK_USER.test(id)) return 'slack';
  if (DISCORD_USER.test(id)) return 'discord';
  return undefined;
}

/**
 * Reads a person from what staff typed: an explicit `slack:U0123ABC` or `discord:123456789012345678`,
 * a mention (`<@U123|name>`, `<@U123>`, `<@!123>`, `<@123>`) or a bare id. The platform follows from
 * the prefix or, without one, from the id's shape, so a Slack user can name a Discord user and back.
 */
export function parseIdentityToken(token: string): UserRef | undefined {
  const text = token.trim();
  const explicit = /^(slack|discord):(\S+)$/i.exec(text);
  if (explicit) {
    const platform = explicit[1]!.toLowerCase() as Platform;
    const id = platform === 'slack' ? explicit[2]!.toUpperCase() : explicit[2]!;
    return platformOfUserId(id) === platform ? { platform, id } : undefined;
  }
  const mention = /^<@!?([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(text);
  const id = mention ? mention[1]! : text;
  const platform = platformOfUserId(id);
  return platform ? { platform, id } : undefined;
}

/** `slack:U0123ABC`: the key of an identity in `customer_identities` and how staff read it. */
export function identityKey(user: UserRef): string {
  return `${user.platform}:${user.id}`;
}

/** An e-mail address as a lookup key (`customer_emails`): trimmed and lower-cased, or undefined. */
export function emailKey(email: string | undefined): string | undefined {
  const key = email?.trim().toLowerCase();
  return key && /^[^@\s]+@[^@\s]+$/.test(key) ? key : undefined;
}
