import type { ReferenceParser } from '../ports/reference-parser.ts';

/** What the command line touches of the outside world, passed in so tests can drive it in process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  now(): number;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The terminal's width, when stdout is one (tables fit it); 100 otherwise. */
  readonly columns?: number | undefined;
  /** How each platform writes people (the adapters' parsers, handed in by `bin/heed.js`). */
  readonly references?: readonly ReferenceParser[] | undefined;
}

/** Exit codes of `heed`: success, a failure to produce the output, a mistake on the command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
