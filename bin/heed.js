#!/usr/bin/env node
// The `heed` command in a checkout: tsx compiles the TypeScript sources on the fly.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/cli/heed.ts');
process.exitCode = await runFromProcess();
