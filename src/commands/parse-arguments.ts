import { parseIdentityToken } from '../customers/identity.ts';
import type { Platform } from '../domain/refs.ts';
import type { RawArgs } from '../ports/inbound-port.ts';
import type { ArgSpec } from './command.ts';

/** `<@U123|name>`, `<@U123>`, `<@!123>`, `<@123>` or a bare id → the id; anything else → undefined. */
export function parseUserToken(token: string): string | undefined {
  const mention = /^<@!?([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(token);
  if (mention) return mention[1];
  if (/^[UW][A-Z0-9]{2,}$/.test(token) || /^\d{5,25}$/.test(token)) return token;
  return undefined;
}

const ISSUE_TOKEN = /^#?\d{1,9}$/;

/**
 * Splits the text after the command name into named arguments following the command's specs. An issue
 * argument is only consumed when the token looks like a reference, so it can be left out in a thread.
 * Returns the leftover text when a command got more than it takes.
 */
export function parsePositional(
  specs: readonly ArgSpec[],
  input: string,
  platform: Platform,
): { args: RawArgs; leftover?: string } {
  const args: RawArgs = {};
  let rest = input.trim();
  const take = (): string | undefined => {
    const match = /^(\S+)\s*/.exec(rest);
    if (!match) return undefined;
    rest = rest.slice(match[0].length);
    return match[1];
  };
  const peek = (): string | undefined => /^(\S+)/.exec(rest)?.[1];
  for (const spec of specs) {
    if (rest === '') break;
    if (spec.rest) {
      args[spec.name] = rest;
      rest = '';
      break;
    }
    if (spec.kind === 'issue') {
      if (ISSUE_TOKEN.test(peek() ?? '')) args[spec.name] = take();
      continue;
    }
    if (spec.alternativeTo !== undefined && args[spec.alternativeTo] !== undefined) continue;
    if (spec.kind === 'identity') {
      // A person is taken only when the token names one, so an optional one can be left out; a required
      // one takes the token anyway and the command's schema explains what is wrong with it.
      const token = peek() ?? '';
      if (parseIdentityToken(token) || !spec.optional) args[spec.name] = take();
      continue;
    }
    if (spec.kind === 'user') {
      const token = peek() ?? '';
      const id = parseUserToken(token);
      if (id) {
        take();
        args[spec.name] = { platform, id };
      }
      continue;
    }
    args[spec.name] = take();
  }
  return rest === '' ? { args } : { args, leftover: rest };
}
