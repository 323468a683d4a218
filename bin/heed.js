#!/usr/bin/env node
// The `heed` command. It runs the compiled build (dist/, made by `npm run build`, as in the container);
// in a checkout that has not been built it compiles the TypeScript sources on the fly with tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/heed.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/heed.ts');
}
process.exitCode = await cli.runFromProcess();
