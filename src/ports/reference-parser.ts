import type { Platform, UserRef } from '../domain/refs.ts';

/**
 * How one platform writes people in text, provided by its adapter (errbot's `build_identifier` per
 * backend): the core reads the mentions and ids staff type in commands only through these, and never
 * parses a platform's syntax itself. Each method answers a neutral reference on the parser's platform, or
 * undefined when the text is not that platform's way of naming someone.
 */
export interface ReferenceParser {
  readonly platform: Platform;
  /** A mention as this platform puts it in a message or a command (Slack `<@U0123ABC|dana>`). */
  mention(token: string): UserRef | undefined;
  /** A bare user id, exactly in this platform's shape (Slack `U0123ABC`, a Discord snowflake). */
  userId(text: string): UserRef | undefined;
  /**
   * The id written after an explicit `<platform>:` prefix (Heed's own syntax, `slack:U0123ABC`), which
   * names the platform, so it may be read more leniently than a bare id (Slack: in any case).
   */
  prefixedUserId(text: string): UserRef | undefined;
}
