/** Started as its own process by the SLA benchmark: time from process start to a ready core. */
import { startCore } from '../src/boot/start-core.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { benchConfig } from './fixtures.ts';
import { nullChatPort } from './null-chat-port.ts';

const core = await startCore({
  config: benchConfig(),
  storeUrl: process.argv[2],
  chat: nullChatPort(),
  logger: silentLogger(),
});
const readyMs = performance.now();
const rss = process.memoryUsage().rss;
process.stdout.write(
  `${JSON.stringify({ readyMs, rss, open: core.heed.issues.listOpen().length, pending: core.heed.scheduler.pending })}\n`,
);
await core.stop();
