import type { RawArgs } from '../ports/inbound-port.ts';
import type { ArgSpec } from './command.ts';
import type { PeopleReader } from './people-reader.ts';

const ISSUE_TOKEN = /^#?\d{1,9}$/;

/**
 * Splits the text after the command name into named arguments following the command's specs. An issue
 * argument is only consumed when the token looks like a reference, so it can be left out in a thread; a
 * person only when the token names one (read by `people`, through the platforms' parsers). Returns the
 * leftover text when a command got more than it takes.
 */
export function parsePositional(
  specs: readonly ArgSpec[],
  input: string,
  people: PeopleReader,
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
    if (spec.choices || spec.pattern) {
      const token = peek() ?? '';
      const fits = spec.choices ? spec.choices.includes(token.toLowerCase()) : spec.pattern!.test(token);
      if (fits) args[spec.name] = spec.choices ? take()?.toLowerCase() : take();
      continue;
    }
    if (spec.kind === 'identity') {
      // A person is taken only when the token names one, so an optional one can be left out; a required
      // one takes the token anyway and the command's schema explains what is wrong with it.
      const token = peek() ?? '';
      if (people.anyone(token) || !spec.optional) args[spec.name] = take();
      continue;
    }
    if (spec.kind === 'user') {
      if (people.teammate(peek() ?? '')) args[spec.name] = take();
      continue;
    }
    args[spec.name] = take();
  }
  return rest === '' ? { args } : { args, leftover: rest };
}

/**
 * A command's arguments with the people they name read into neutral references (`{ platform, id }`):
 * `identity` arguments name anyone, `user` arguments a teammate on the writer's platform. Text that names
 * nobody stays as it was, so the command's schema explains what is wrong with it.
 */
export function namePeople(specs: readonly ArgSpec[], raw: RawArgs, people: PeopleReader): RawArgs {
  const named: RawArgs = { ...raw };
  for (const spec of specs) {
    const value = raw[spec.name];
    if (typeof value !== 'string') continue;
    if (spec.kind === 'identity') named[spec.name] = people.anyone(value) ?? value;
    else if (spec.kind === 'user') named[spec.name] = people.teammate(value) ?? value;
  }
  return named;
}
