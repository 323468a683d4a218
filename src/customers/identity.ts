import type { UserRef } from '../domain/refs.ts';

/** `slack:U0123ABC`: the key of an identity in `customer_identities` and how staff read it. */
export function identityKey(user: UserRef): string {
  return `${user.platform}:${user.id}`;
}

/** An e-mail address as a lookup key (`customer_emails`): trimmed and lower-cased, or undefined. */
export function emailKey(email: string | undefined): string | undefined {
  const key = email?.trim().toLowerCase();
  return key && /^[^@\s]+@[^@\s]+$/.test(key) ? key : undefined;
}
