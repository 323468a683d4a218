import type { CliIo } from '../../src/cli/cli-io.ts';
import { main } from '../../src/cli/heed.ts';
import { REFERENCES } from '../support/references.ts';

/** What one `heed` run printed and returned. */
export interface HeedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `heed …` in process with a captured terminal, as a person would from `cwd`. */
export async function runHeed(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd: string; now?: number },
): Promise<HeedRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env ?? {},
    cwd: options.cwd,
    now: () => options.now ?? Date.parse('2026-12-04T12:00:00Z'),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    references: REFERENCES,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
