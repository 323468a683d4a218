import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, quiet, S, startFixture, tsAt } from './slack-fixture.ts';

let f: Fixture | undefined;

afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('Heed on Slack over Socket Mode', () => {
  it('connects through apps.connections.open, opens an issue from a customer message, and runs /heed', async () => {
    f = await startFixture({ socketMode: true });
    const { emu, heed, adapter } = f;
    expect(adapter.mode).toBe('socket');
    expect(emu.callsTo('apps.connections.open')[0]?.ok).toBe(true);

    const event = emu.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'The mobile app crashes on start',
      ts: tsAt(f.clock.now()),
    });
    const delivered = await emu.deliverEvent(event, { eventId: 'Ev0SOCKET01' });
    expect(delivered.ack?.envelope_id).toBeTruthy();
    expect(heed.issues.listOpen()).toHaveLength(1);
    await quiet(emu);
    expect(f.posts(S.customerChannel, String(event.ts))[0]?.args.text).toContain('*#1*');

    // A redelivered envelope is acked without a second issue.
    const again = await emu.deliverEvent(event, {
      eventId: 'Ev0SOCKET01',
      retryNum: 1,
      retryReason: 'timeout',
    });
    expect(again.ack?.envelope_id).toBeTruthy();
    expect(heed.issues.listOpen()).toHaveLength(1);

    const claimed = await emu.slashCommand({ text: 'claim #1', userId: S.staff, channelId: S.teamChannel });
    expect(claimed.body).toEqual({ response_type: 'ephemeral', text: 'You now own *#1*.' });
  });
});
