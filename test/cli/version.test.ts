import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runHeed } from './run-heed.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('heed --version', () => {
  it.each([['--version'], ['version'], ['-v']])(
    'heed %s prints the version in package.json',
    async (flag) => {
      const run = await runHeed([flag], { cwd: tmpdir() });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(`heed ${packageVersion}\n`);
    },
  );

  it('is listed in the help', async () => {
    const run = await runHeed(['help'], { cwd: tmpdir() });
    expect(run.stdout).toContain('version   Print Heed');
  });
});
