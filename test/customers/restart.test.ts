import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCore } from '../../src/boot/start-core.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { type Harness, MONDAY_10AM } from '../support/harness.ts';
import { testConfig } from '../support/test-config.ts';
import { acknowledgementOf, cardOf, customerSays, D, DAY, people, S, slash } from './customer-story.ts';

describe('customer profiles in the embedded SQLite store', () => {
  it('survive a restart: identities, e-mails, notes, links and history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-customers-'));
    const clock = new FakeClock(MONDAY_10AM);
    const options = {
      config: testConfig(),
      storeUrl: `sqlite://${join(dir, 'heed.sqlite')}`,
      logger: silentLogger(),
      clock,
      runScheduler: false,
    };
    const boot = async (): Promise<Harness & { stop(): Promise<void> }> => {
      const chat = new RecordingChatPort();
      const core = await startCore({ ...options, chat });
      return { heed: core.heed, chat, clock, store: core.database, stop: () => core.stop() };
    };

    const first = await boot();
    await customerSays(first, 'Hello', {
      author: { id: S.customer, name: 'Dana Customer', email: 'dana@bigco.com' },
    });
    await slash(first, people.staff, `note <@${S.customer}> Prefers e-mail`);
    await slash(first, people.staff, `link <@${S.customer}> discord:${D.customer}`);
    const before = await first.heed.customers.find(people.dana);
    await first.stop();

    clock.advance(3 * DAY);
    const second = await boot();
    expect(await second.heed.customers.find(people.danaOnDiscord)).toEqual(before);
    expect(await second.heed.customers.repository.findByEmail('dana@bigco.com')).toEqual(before);
    expect(await slash(second, people.staff, `customer discord:${D.customer}`)).toContain('Prefers e-mail');

    // She comes back on Discord: greeted as a returning customer, with her history on the card.
    const back = await customerSays(second, 'Hi again', {
      platform: 'discord',
      author: { id: D.customer, name: 'dana_d' },
    });
    expect(back.number).toBe(2);
    expect(acknowledgementOf(second, back)?.plain).toContain('Welcome back, dana_d!');
    expect(cardOf(second, back)?.history).toMatch(/^2nd issue · last contact 3 days ago · 1 note on file/);
    await second.stop();
  });
});
