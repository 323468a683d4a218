/**
 * Files, edits and deletions on Slack, through the real Bolt app and the real core: a customer's files
 * reach the card as links, an edit of the first message changes the card's quote and is kept in the
 * ledger with the old text, a deletion leaves the issue open with a note on the card.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, quiet, S, startFixture, tsAt } from './slack-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});

afterEach(async () => {
  await f.close();
});

const issue = (number: number) => f.issue(number);

const screenshot = {
  id: 'F0SHOT001',
  name: 'error-500.png',
  title: 'error 500',
  mimetype: 'image/png',
  filetype: 'png',
  size: 48_213,
  url_private: 'https://files.slack.com/files-pri/T0HEED01-F0SHOT001/error-500.png',
  permalink: 'https://acme.slack.com/files/U0CUST001/F0SHOT001/error-500.png',
};
const log = {
  id: 'F0LOG0001',
  name: 'export.log',
  mimetype: 'text/plain',
  size: 1_024,
  url_private: 'https://files.slack.com/files-pri/T0HEED01-F0LOG0001/export.log',
  permalink: 'https://acme.slack.com/files/U0CUST001/F0LOG0001/export.log',
};

/** The customer posts a message with files (`file_share`), as Slack delivers it. */
async function postWithFiles(text: string, files: unknown[]): Promise<string> {
  const ts = tsAt(f.clock.now());
  const event = f.emu.messageEvent({
    channel: S.customerChannel,
    user: S.customer,
    text,
    ts,
    subtype: 'file_share',
    files,
  });
  expect((await f.emu.deliverEvent(event)).status).toBe(200);
  await quiet(f.emu);
  return ts;
}

function cardUpdates(cardTs: string) {
  return f.emu.callsTo('chat.update').filter((call) => call.ok && call.args.ts === cardTs);
}

describe('files, edits and deletions on Slack', () => {
  it('records the files of a message and lists them on the card as links', async () => {
    await postWithFiles('The export fails, screenshot and log attached', [screenshot, log]);
    const one = await issue(1);
    expect(one.messages[0]?.files).toEqual([
      { name: 'error-500.png', type: 'image/png', size: 48_213, url: screenshot.permalink },
      { name: 'export.log', type: 'text/plain', size: 1_024, url: log.permalink },
    ]);
    const [card] = f.posts(S.teamChannel);
    const wire = f.wire(card!);
    expect(wire).toContain(
      `📎 2 files: <${screenshot.permalink}|error-500.png>, <${log.permalink}|export.log>`,
    );
  });

  it('follows an edit of the first message: new quote on the card, old text in the ledger', async () => {
    const { ts } = await f.say('The CSV exprot fails');
    const cardTs = (await issue(1)).card!.id;
    const edit = f.emu.messageChangedEvent({
      channel: S.customerChannel,
      ts,
      text: 'The CSV export fails with error 500',
    });
    expect((await f.emu.deliverEvent(edit)).status).toBe(200);
    await quiet(f.emu);

    const one = await issue(1);
    expect(one.subject).toBe('The CSV export fails with error 500');
    expect(one.messages[0]).toMatchObject({ text: 'The CSV export fails with error 500' });
    expect(one.messages[0]?.editedAt).toBeTypeOf('number');
    expect(one.history.filter((e) => e.kind === 'edited')).toEqual([
      expect.objectContaining({
        actor: { platform: 'slack', id: S.customer },
        reason: 'The CSV exprot fails',
        data: { messageId: ts, first: true, files: 0 },
      }),
    ]);
    expect(one.status).toBe('new');
    const updated = cardUpdates(cardTs).at(-1)!;
    expect(f.wire(updated)).toContain('>The CSV export fails with error 500');
    expect(f.wire(updated)).toContain('1 edited');
  });

  it('ignores a message_changed that changes nothing (a link preview added)', async () => {
    const { ts } = await f.say('See https://status.example.com');
    const before = (await issue(1)).revision;
    const unfurl = f.emu.messageChangedEvent({
      channel: S.customerChannel,
      ts,
      text: 'See https://status.example.com',
    });
    await f.emu.deliverEvent(unfurl);
    await quiet(f.emu);
    const one = await issue(1);
    expect(one.revision).toBe(before);
    expect(one.history.some((e) => e.kind === 'edited')).toBe(false);
  });

  it('keeps an issue whose only message was deleted open, and says so on the card', async () => {
    const { ts } = await f.say('Please call me back');
    const cardTs = (await issue(1)).card!.id;
    const deletion = {
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: S.customerChannel,
      ts: tsAt(f.clock.now() + 1_000),
      deleted_ts: ts,
      event_ts: tsAt(f.clock.now() + 1_000),
      previous_message: { type: 'message', user: S.customer, text: 'Please call me back', ts },
      channel_type: 'channel',
    };
    expect((await f.emu.deliverEvent(deletion)).status).toBe(200);
    await quiet(f.emu);

    const one = await issue(1);
    expect(one.status).toBe('new');
    expect(one.messages[0]?.deletedAt).toBeTypeOf('number');
    expect(one.history.filter((e) => e.kind === 'deleted')).toEqual([
      expect.objectContaining({ reason: 'Please call me back', data: { messageId: ts, first: true } }),
    ]);
    const wire = f.wire(cardUpdates(cardTs).at(-1)!);
    expect(wire).toContain('[deleted by the customer] Please call me back');
    expect(wire).toContain('1 deleted by the customer');
    // Heed's own messages and staff replies are not customer messages: deleting one records nothing.
    const ack = (await issue(1)).acknowledgement!.id;
    await f.emu.deliverEvent({
      ...deletion,
      deleted_ts: ack,
      previous_message: { type: 'message', bot_id: 'B0HEEDBOT', ts: ack },
    });
    await quiet(f.emu);
    expect((await issue(1)).history.filter((e) => e.kind === 'deleted')).toHaveLength(1);
  });
});
