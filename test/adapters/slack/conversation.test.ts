import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/domain/issue.ts';
import type { CallRecord } from '../../emulators/slack/index.ts';
import { BOT_TOKEN, type Fixture, S, startFixture } from './slack-fixture.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});

afterEach(async () => {
  await f.close();
});

async function issue(number: number): Promise<Issue> {
  const found = await f.heed.findIssue(`#${number}`);
  if (!found) throw new Error(`issue #${number} does not exist`);
  return found;
}

function ephemeralTexts(): string[] {
  return f.emu.ephemerals.map((e) => e.text ?? '');
}

function submit(userId: string, callbackId: string, values: Record<string, string>) {
  const state = {
    values: Object.fromEntries(
      Object.entries(values).map(([field, value]) => [field, { value: { type: 'plain_text_input', value } }]),
    ),
  };
  return f.emu.viewSubmission({ userId, view: { callback_id: callbackId, state } });
}

const cardUpdate = (ts: string, needle: string) => (call: CallRecord) =>
  call.args.ts === ts && f.wire(call).includes(needle);

describe('Heed on Slack, through the real Bolt app and the real core', () => {
  it('acknowledges, posts a card, is claimed, nags, escalates, apologizes and resolves', async () => {
    const { emu, heed, clock } = f;

    // Dana writes in the shared customer channel.
    const dana = await f.say('Hi, the CSV export fails with error 500 since this morning');
    expect(dana.status).toBe(200);

    // Heed answers in her thread at once, with the reference and a promised time.
    const [ack] = f.posts(S.customerChannel, dana.ts);
    expect(ack?.args.text).toContain('Hi Dana, thanks for reaching out! This is *#1*.');
    expect(ack?.args.text).toMatch(
      /within 4h of business time \(by <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-23T13:00:00Z>\)/,
    );
    expect(ack?.args.unfurl_links).toBe('false');

    // A card with buttons lands in the team channel.
    const one = await issue(1);
    // The link to the thread is the one Slack's chat.getPermalink gives, built without calling it.
    expect(emu.callsTo('chat.getPermalink')).toHaveLength(0);
    const slack = new WebClient(BOT_TOKEN, { slackApiUrl: emu.apiUrl });
    const permalink = await slack.chat.getPermalink({
      channel: S.customerChannel,
      message_ts: one.acknowledgement!.id,
    });
    expect(one.acknowledgement?.link).toBe(permalink.permalink);
    const [card] = f.posts(S.teamChannel);
    expect(card?.args.text).toContain('New issue *#1* from Dana');
    const blocks = card?.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '#1 · New · unclaimed' } });
    expect(f.wire(card!)).toContain('>Hi, the CSV export fails with error 500 since this morning');
    const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'heed:claim',
      'heed:resolve',
      'heed:escalate',
      'heed:acknowledge',
      'heed:snooze',
    ]);
    expect(buttons.every((b) => b.value === one.id)).toBe(true);
    const cardTs = one.card!.id;

    // Sam claims it with the button; only Sam sees the answer, and the card shows the owner.
    const click = await emu.blockAction({
      userId: S.staff,
      channelId: S.teamChannel,
      messageTs: cardTs,
      actionId: 'heed:claim',
    });
    expect(click.status).toBe(200);
    await expect.poll(ephemeralTexts).toContain('You now own *#1*.');
    const claimed = await emu.waitForCall('chat.update', cardUpdate(cardTs, `<@${S.staff}>`));
    expect(f.wire(claimed)).not.toContain('heed:claim');
    expect((await issue(1)).owner?.id).toBe(S.staff);

    // Lee writes a minute later; Alex claims that one with the slash command.
    clock.advance(MINUTE);
    const lee = await f.say('How do I rotate my API keys?', { user: 'U0CUST02' });
    expect((await issue(2)).conversation.thread).toBe(lee.ts);
    const slash = await emu.slashCommand({ text: 'claim #2', userId: S.staff2, channelId: S.teamChannel });
    expect(slash.body).toEqual({ response_type: 'ephemeral', text: 'You now own *#2*.' });

    // Sam answers Dana in her thread: that is the first response, no nag will follow for it.
    clock.advance(10 * MINUTE);
    const answer = await f.say('We found it, a fix is rolling out', { user: S.staff, thread: dana.ts });
    expect(answer.status).toBe(200);
    expect((await issue(1)).status).toBe('waiting');

    // Four hours later nobody has answered Lee: Alex (the owner) is nagged by DM.
    clock.advance(4 * HOUR);
    await heed.scheduler.tick();
    expect(emu.callsTo('conversations.open').map((c) => c.args.users)).toContain(S.staff2);
    const nag = f.posts('D0STAFF2').at(-1);
    // Lee works at Acme (a Slack Connect organisation): Heed names it, from team.info.
    expect(nag?.args.text).toMatch(
      /⏰ \*#2\* · Lee \(Acme Corp\) — first response was due .* and is overdue/,
    );
    expect(f.wire(nag!)).toContain('heed:apologize');
    const everything = emu.callsTo('chat.postMessage').map((c) => f.wire(c));
    expect(everything.filter((text) => text.includes('⏰') && text.includes('*#1*'))).toEqual([]);

    // An hour more: the manager is told.
    clock.advance(HOUR);
    await heed.scheduler.tick();
    const escalation = f.posts('D0MGR001').at(-1);
    expect(escalation?.args.text).toMatch(/⬆️ Escalation level \d · \*#2\* · Lee/);

    // Alex apologizes from the nag's button: a modal asks what to tell the customer.
    const nagTs = emu.messagesIn('D0STAFF2').find((m) => m.text?.includes('⏰'))!.ts;
    await emu.blockAction({
      userId: S.staff2,
      channelId: 'D0STAFF2',
      messageTs: nagTs,
      actionId: 'heed:apologize',
    });
    const modal = await emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:apologize'));
    expect(modal.args.view).toMatchObject({
      type: 'modal',
      callback_id: 'heed:apologize',
      private_metadata: (await issue(2)).id,
      blocks: [{ type: 'input', block_id: 'reason', element: { type: 'plain_text_input', multiline: true } }],
    });
    const submitted = await submit(S.staff2, 'heed:apologize', {
      reason: 'Our key service had a hiccup this morning.',
    });
    expect(submitted.status).toBe(200);
    const apology = await emu.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === lee.ts && String(c.args.text).includes('Sorry for the wait'),
    );
    expect(apology.args.text).toContain(
      'Sorry for the wait on *#2*, Lee. Our key service had a hiccup this morning.',
    );
    await expect.poll(ephemeralTexts).toContain('Apology sent to the customer on *#2*.');

    // Alex resolves it from the card's Resolve button and its modal.
    const cardTwo = (await issue(2)).card!.id;
    await emu.blockAction({
      userId: S.staff2,
      channelId: S.teamChannel,
      messageTs: cardTwo,
      actionId: 'heed:resolve',
    });
    await emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:resolve'));
    await submit(S.staff2, 'heed:resolve', { summary: 'Rotated the keys and re-enabled the export' });
    const resolution = await emu.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === lee.ts && String(c.args.text).includes('is resolved'),
    );
    expect(resolution.args.text).toContain('*#2* is resolved: Rotated the keys and re-enabled the export.');

    // The card now says Resolved and has no buttons left.
    const resolved = await emu.waitForCall('chat.update', cardUpdate(cardTwo, '#2 · Resolved'));
    expect(f.wire(resolved)).not.toContain('heed:');
    expect((await issue(2)).status).toBe('resolved');
  });

  it('lets the customer rate the resolution with 👍 / 👎 and an optional comment; a 👎 reaches the manager', async () => {
    const { emu } = f;
    const dana = await f.say('The PDF export is empty');
    await emu.slashCommand({
      text: 'resolve #1 Fixed the PDF template',
      userId: S.staff,
      channelId: S.teamChannel,
    });
    const resolution = await emu.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === dana.ts && String(c.args.text).includes('is resolved'),
    );
    expect(f.wire(resolution)).toContain('heed:rate-up');
    expect(f.wire(resolution)).toContain('👎 Not helpful');
    const message = emu.messagesIn(S.customerChannel).find((m) => m.text?.includes('is resolved'))!;

    // Somebody else presses 👍: a private, polite refusal at once, no form, nothing recorded.
    await emu.blockAction({
      userId: 'U0CUST02',
      channelId: S.customerChannel,
      messageTs: message.ts,
      actionId: 'heed:rate-up',
    });
    await expect
      .poll(ephemeralTexts)
      .toContain('Thanks for looking! Only the customer who asked about #1 can rate its answer.');
    expect(emu.callsTo('views.open')).toHaveLength(0);
    // A form submitted anyway (an old one) is refused the same way.
    await f.emu.viewSubmission({
      userId: 'U0CUST02',
      view: { callback_id: 'heed:rate-up', state: { values: {} } },
    });
    await expect
      .poll(ephemeralTexts)
      .toContain('Thanks for looking! Only the customer who asked about #1 can rate its answer.');
    expect((await issue(1)).history.some((e) => e.kind === 'rated')).toBe(false);

    // Dana presses 👎 and explains in the form.
    await emu.blockAction({
      userId: S.customer,
      channelId: S.customerChannel,
      messageTs: message.ts,
      actionId: 'heed:rate-down',
    });
    const modal = await emu.waitForCall('views.open', (c) => f.wire(c).includes('heed:rate-down'));
    expect(modal.args.view).toMatchObject({
      callback_id: 'heed:rate-down',
      title: { text: 'Rate #1' },
      blocks: [{ type: 'input', block_id: 'comment', optional: true, element: { multiline: true } }],
    });
    await submit(S.customer, 'heed:rate-down', { comment: 'It took three days' });
    await expect
      .poll(ephemeralTexts)
      .toContain('Thanks for telling us. A team lead will look at *#1* and get back to you.');
    expect(f.emu.ephemerals.at(-1)?.user).toBe(S.customer);
    const rated = (await issue(1)).history.find((e) => e.kind === 'rated');
    expect(rated).toMatchObject({
      actor: { platform: 'slack', id: S.customer },
      reason: 'It took three days',
      data: { score: 'down' },
    });

    // The manager gets the recovery task by DM, and the team channel sees it.
    const dm = await emu.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'D0MGR001' && String(c.args.text).includes('Recovery needed'),
    );
    expect(dm.args.text).toContain('*#1* · Dana');
    expect(dm.args.text).toContain('It took three days');
    expect(dm.args.text).toMatch(/<https?:\/\/[^|>]+\|open thread>/);
    expect(f.posts(S.teamChannel).some((c) => String(c.args.text).includes('Recovery needed'))).toBe(true);

    // A second click is answered at once, without opening the comment form again, and records nothing.
    await emu.blockAction({
      userId: S.customer,
      channelId: S.customerChannel,
      messageTs: message.ts,
      actionId: 'heed:rate-up',
    });
    await expect.poll(ephemeralTexts).toContain('Thanks, you already rated this.');
    expect(emu.callsTo('views.open').filter((c) => f.wire(c).includes('heed:rate-up'))).toHaveLength(0);
    expect((await issue(1)).history.filter((e) => e.kind === 'rated')).toHaveLength(1);
  });

  it('refuses a customer who presses Claim, privately, and changes nothing', async () => {
    await f.say('My dashboard is empty');
    const before = await issue(1);
    f.emu.clearCalls();

    await f.emu.blockAction({
      userId: S.customer,
      channelId: S.teamChannel,
      messageTs: before.card!.id,
      actionId: 'heed:claim',
    });

    await expect.poll(ephemeralTexts).toEqual([expect.stringContaining('Not done:')]);
    expect(f.emu.ephemerals[0]?.user).toBe(S.customer);
    expect(f.emu.callsTo('chat.update')).toEqual([]);
    expect(await issue(1)).toEqual(before);
  });

  it('answers a malformed button with a friendly note instead of acting', async () => {
    await f.say('Where is my export PDF?');
    const card = (await issue(1)).card!;

    await f.emu.blockAction({
      userId: S.staff,
      channelId: card.channel,
      messageTs: card.id,
      actionId: 'heed:claim',
      value: '../../not-an-issue',
    });

    await expect.poll(ephemeralTexts).toEqual([expect.stringContaining('That button did not work.')]);
    expect((await issue(1)).owner).toBeUndefined();
  });

  it('answers `/heed` for non-staff with the core’s polite refusal, and help for everyone', async () => {
    await f.say('Cannot log in');
    const refused = await f.emu.slashCommand({
      text: 'claim #1',
      userId: S.customer,
      channelId: S.customerChannel,
    });
    expect(refused.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('is for the support team'),
    });
    const help = await f.emu.slashCommand({ text: 'help', userId: S.customer, channelId: S.customerChannel });
    expect(String((help.body as { text: string }).text)).toContain(
      'write your question in the support channel',
    );
  });
});
