#!/usr/bin/env node
// Runs before `npm start`: a checkout that was never built gets built once (`npm run build`), so
// `npm start` works on a fresh clone too. After changing the sources, run `npm run build` again (or use
// `npm run dev`, which runs them directly).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

if (!existsSync(new URL('../dist/main.js', import.meta.url))) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    console.error(
      'Heed is not built (no dist/main.js) and TypeScript is not installed here: run npm ci, then npm run build.',
    );
    process.exit(2);
  }
  console.error('Building Heed (npm run build) before its first start…');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: new URL('..', import.meta.url),
    stdio: 'inherit',
  });
}
