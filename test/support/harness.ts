import { Heed } from '../../src/boot/heed.ts';
import type { HeedConfig } from '../../src/config/schema.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { HeedDatabase } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { testConfig } from './test-config.ts';

/** Monday 2026-11-23 10:00 in Prague: inside business hours. */
export const MONDAY_10AM = Date.parse('2026-11-23T10:00:00+01:00');

export interface Harness {
  readonly heed: Heed;
  readonly chat: RecordingChatPort;
  readonly clock: FakeClock;
  readonly store: HeedDatabase;
}

/** A started core on the given store (memory by default) with a recording chat port and a fake clock. */
export async function startHarness(
  options: { config?: HeedConfig; store?: HeedDatabase; clock?: FakeClock } = {},
): Promise<Harness> {
  const store = options.store ?? (await openDatabase('memory://'));
  const chat = new RecordingChatPort();
  const clock = options.clock ?? new FakeClock(MONDAY_10AM);
  const heed = new Heed({
    config: options.config ?? testConfig(),
    database: store,
    chat,
    clock,
    logger: silentLogger(),
  });
  await heed.start();
  return { heed, chat, clock, store };
}
