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

  it('reads back a message Slack never delivered once the socket reconnects, and answers it with an apology', async () => {
    f = await startFixture({ socketMode: true });
    const { emu, heed, clock } = f;
    clock.advance(60_000);
    // Written while the app was away: Slack keeps nothing for a disconnected Socket Mode app.
    const missed = emu.postWhileOffline({
      channel: S.customerChannel,
      user: S.customer,
      text: 'Webhooks stopped arriving',
      ts: tsAt(clock.now()),
    });
    const connections = emu.callsTo('apps.connections.open').length;
    await emu.dropSocket('close');
    await expect.poll(() => emu.callsTo('apps.connections.open').length).toBeGreaterThan(connections);
    await expect.poll(() => heed.issues.listOpen().length).toBe(1);
    await heed.caughtUp();
    await quiet(emu);
    const [ack] = f.posts(S.customerChannel, String(missed.ts));
    expect(ack?.args.text).toContain('This is *#1*');
    expect(ack?.args.text).toContain('Sorry for the delay: we were briefly offline.');
    // The first connection found no watermark and read nothing; the reconnection read the channel once.
    expect(emu.callsTo('conversations.history')).toHaveLength(1);
  });
});
