import { expect } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load-config.ts';

/** The message a config is refused with (the test fails if it is accepted). */
export function configProblem(raw: unknown): string {
  try {
    parseConfig(raw, 'heed.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}
