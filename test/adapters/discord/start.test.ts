import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../adapters/discord/index.ts';
import { Heed } from '../../../src/boot/heed.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { PlatformRouter } from '../../../src/ports/platform-router.ts';
import { openDatabase } from '../../../src/store/database.ts';
import { FakeClock } from '../../doubles/fake-clock.ts';
import type { DiscordEmulator } from '../../emulators/discord/index.ts';
import { MONDAY_10AM } from '../../support/harness.ts';
import { D, discordTestConfig, startEmulator } from './discord-fixture.ts';

let emulator: DiscordEmulator | undefined;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  stop = undefined;
  await emulator?.close();
  emulator = undefined;
});

async function adapterFor(running: DiscordEmulator) {
  const router = new PlatformRouter();
  const heed = new Heed({
    config: discordTestConfig(),
    database: await openDatabase('memory://'),
    chat: router,
    clock: new FakeClock(MONDAY_10AM),
    logger: silentLogger(),
  });
  await heed.start();
  const adapter = createDiscordAdapter({
    heed,
    token: D.token,
    applicationId: D.app,
    apiUrl: running.apiUrl,
    logger: silentLogger(),
  });
  router.register('discord', adapter.chatPort);
  stop = () => adapter.stop();
  return adapter;
}

describe('starting the Discord adapter', () => {
  it('identifies with exactly the four intents and registers no commands', async () => {
    emulator = await startEmulator();
    const adapter = await adapterFor(emulator);
    expect(adapter.connected).toBe(false);
    await adapter.start();
    expect(adapter.connected).toBe(true);
    expect(emulator.identifies[0]?.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.MessageContent |
        GatewayIntentBits.DirectMessages,
    );
    expect(emulator.calls.map((call) => call.route)).toEqual(['GET /gateway/bot']);
    await adapter.stop();
    await expect.poll(() => adapter.connected).toBe(false);
  });

  it('fails to start when the Message Content intent is not enabled in the developer portal', async () => {
    emulator = await startEmulator({ privilegedIntents: { messageContent: false } });
    const adapter = await adapterFor(emulator);
    await expect(adapter.start()).rejects.toThrow("Discord refused Heed's gateway intents (close code 4014)");
    await expect.poll(() => emulator?.closeCodes).toContain(4014);
  });
});
