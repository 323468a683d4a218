/**
 * Removes a person's words from text Heed keeps (pure): every occurrence of their ids, names, e-mail
 * addresses and message texts becomes `[forgotten]`, case-insensitively and as whole words ("Dana" goes,
 * "Danaher" stays), in plain strings and in every string of a JSON value (keys and structure stay, so the
 * value still validates).
 */

/** What a removed piece of personal data reads as. */
export const FORGOTTEN = '[forgotten]';

/** Names shorter than this are not searched for in other text (an "Al" would cut through every word). */
export const MIN_NAME = 3;
/** Message texts shorter than this are not searched for in other text ("ok", "thanks"). */
export const MIN_TEXT = 8;

const literal = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const WORD = /[\p{L}\p{N}]/u;

/** Whether a match runs on into a longer word ("Dana" in "Danaher"): a term's edge that is a letter or digit must meet one that is not. */
function inWord(text: string, at: number, found: string): boolean {
  const before = text[at - 1];
  const after = text[at + found.length];
  const starts = WORD.test(found[0] ?? '');
  const ends = WORD.test(found.at(-1) ?? '');
  return (
    (starts && before !== undefined && WORD.test(before)) || (ends && after !== undefined && WORD.test(after))
  );
}

export class Redactor {
  /** The terms searched for, longest first (so a name inside a message text goes with the text). */
  readonly terms: readonly string[];
  private readonly pattern: RegExp | undefined;

  constructor(terms: Iterable<string>) {
    const unique = new Map<string, string>();
    for (const term of terms) {
      const trimmed = term.trim();
      if (trimmed !== '') unique.set(trimmed.toLowerCase(), trimmed);
    }
    this.terms = [...unique.values()].sort((a, b) => b.length - a.length);
    this.pattern = this.terms.length > 0 ? new RegExp(this.terms.map(literal).join('|'), 'giu') : undefined;
  }

  /** Whether the text holds any of the terms (as whole words). */
  matches(text: string): boolean {
    return this.text(text) !== text;
  }

  /** The text with every term replaced (as whole words). */
  text(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, (found: string, at: number) =>
      inWord(text, at, found) ? found : FORGOTTEN,
    );
  }

  /** A JSON value with every string in it redacted (object keys are left as they are). */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, this.value(item)]),
      ) as T;
    }
    return value;
  }

  /** A JSON text with every string in it redacted; text that is not JSON is redacted as text. */
  json(text: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.text(text);
    }
    return JSON.stringify(this.value(parsed));
  }
}
