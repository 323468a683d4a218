import type { Platform, UserRef } from '../domain/refs.ts';
import type { ReferenceParser } from '../ports/reference-parser.ts';

/** Reads the people someone names in a command, through the platforms' own parsers (each adapter's). */
export interface PeopleReader {
  /** A teammate on the writer's own platform: a mention or a bare id as that platform writes them. */
  teammate(token: string): UserRef | undefined;
  /**
   * Anyone, on any platform: `<platform>:<id>`, a mention, or a bare id whose shape says its platform, so
   * a Slack user can name a Discord user and back.
   */
  anyone(token: string): UserRef | undefined;
}

const PREFIXED = /^([a-z]+):(\S+)$/i;

/** The people reader for someone writing on `writer`, given every platform's parser. */
export function peopleReader(parsers: readonly ReferenceParser[], writer: Platform): PeopleReader {
  const own = parsers.find((parser) => parser.platform === writer);
  return {
    teammate: (token) => own?.mention(token) ?? own?.userId(token),
    anyone(token) {
      const text = token.trim();
      const prefixed = PREFIXED.exec(text);
      if (prefixed) {
        const named = prefixed[1]!.toLowerCase();
        return parsers.find((parser) => parser.platform === named)?.prefixedUserId(prefixed[2]!);
      }
      for (const parser of parsers) {
        const found = parser.mention(text) ?? parser.userId(text);
        if (found) return found;
      }
      return undefined;
    },
  };
}
