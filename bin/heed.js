#!/usr/bin/env node
// The `heed` command. It runs the compiled build (dist/, made by `npm run build`), as installed in the
// container. In a checkout whose sources changed after the last build (or that was never built) it runs
// the TypeScript sources through tsx instead, so it never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/src/cli/heed.js', root);

/** The newest modification time under the source folders (0 when there are none, as in the container). */
function newestSource() {
  let newest = 0;
  for (const folder of ['src', 'adapters', 'manifest']) {
    const dir = new URL(`${folder}/`, root);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) {
        newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
      }
    }
  }
  return newest;
}

// How each platform writes people (`slack:U0123ABC`, Discord snowflakes): the adapters' parsers, which
// the core never reimplements; the CLI reads people in files through them (`heed customers import`).
let cli;
let slack;
let discord;
if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource()) {
  cli = await import(compiled.href);
  slack = await import(new URL('dist/adapters/slack/slack-references.js', root).href);
  discord = await import(new URL('dist/adapters/discord/discord-references.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/heed.ts');
  slack = await import('../adapters/slack/slack-references.ts');
  discord = await import('../adapters/discord/discord-references.ts');
}
process.exitCode = await cli.runFromProcess([slack.slackReferences, discord.discordReferences]);
