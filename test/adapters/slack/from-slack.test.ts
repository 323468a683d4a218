import { describe, expect, it } from 'vitest';
import {
  readButton,
  readMessageEvent,
  readSubmission,
  slackMarkupToPlain,
  slackTsToMillis,
  toCommandRequest,
  toInboundMessage,
} from '../../../adapters/slack/from-slack.ts';
import { toMrkdwn } from '../../../adapters/slack/to-slack.ts';
import { customerText } from '../../../src/messages/rich-text.ts';

const SELF = { botUserId: 'U0HEEDBOT', botId: 'B0HEEDBOT' };

function message(extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channel: 'C0CUST01',
    user: 'U0CUST01',
    text: 'Hello &amp; welcome',
    ts: '1795424400.000100',
    team: 'T0HEED01',
    ...extra,
  };
}

function read(extra: Record<string, unknown> = {}) {
  const result = readMessageEvent(message(extra), SELF);
  if (result.kind !== 'message') throw new Error(`skipped: ${result.reason}`);
  return result;
}

describe('Slack message events → InboundMessage', () => {
  it('translates a top-level customer message', () => {
    expect(toInboundMessage(read(), { name: 'Dana', email: 'dana@acme.test' })).toEqual({
      platform: 'slack',
      channel: 'C0CUST01',
      messageId: '1795424400.000100',
      text: 'Hello & welcome',
      at: 1795424400000,
      author: { id: 'U0CUST01', name: 'Dana', teamId: 'T0HEED01', email: 'dana@acme.test' },
    });
  });

  it('keeps the thread only for replies, and prefers the Slack Connect guest’s own team', () => {
    const reply = toInboundMessage(read({ thread_ts: '1795424000.000001', user_team: 'T0ACME001' }));
    expect(reply.thread).toBe('1795424000.000001');
    expect(reply.author.teamId).toBe('T0ACME001');
    const root = toInboundMessage(read({ thread_ts: '1795424400.000100' }));
    expect(root.thread).toBeUndefined();
  });

  it('passes other bots on flagged, and skips edits, deletions, joins and its own posts', () => {
    expect(
      toInboundMessage(read({ bot_id: 'B0OTHER', subtype: 'bot_message', user: undefined })).author,
    ).toEqual({
      id: 'B0OTHER',
      teamId: 'T0HEED01',
      isBot: true,
    });
    expect(readMessageEvent(message({ subtype: 'message_changed' }), SELF)).toEqual({
      kind: 'skip',
      reason: 'subtype message_changed',
    });
    for (const subtype of ['message_deleted', 'channel_join', 'channel_leave', 'channel_topic']) {
      expect(readMessageEvent(message({ subtype }), SELF).kind).toBe('skip');
    }
    expect(readMessageEvent(message({ user: 'U0HEEDBOT' }), SELF).kind).toBe('skip');
    expect(readMessageEvent(message({ bot_id: 'B0HEEDBOT' }), SELF).kind).toBe('skip');
    expect(readMessageEvent({ type: 'message', channel: 'C1', ts: 'nope' }, SELF).kind).toBe('skip');
    expect(read({ subtype: 'thread_broadcast', thread_ts: '1795424000.000001' }).kind).toBe('message');
  });

  it('converts Slack timestamps to milliseconds', () => {
    expect(slackTsToMillis('1795424400.123456')).toBe(1795424400123);
    expect(slackTsToMillis('1795424400.1')).toBe(1795424400100);
  });
});

describe('Slack markup → plain text', () => {
  it('turns mentions and links into words and decodes entities', () => {
    expect(
      slackMarkupToPlain(
        '<!channel> <!here> <@U1> <@U2|sam> <!subteam^S1> <!subteam^S2|@ops> <#C1|general> <https://x|bank> <https://y> <!date^1^{date}|today>',
      ),
    ).toBe('@channel @here @U1 @sam @S1 @ops #general bank (https://x) https://y today');
  });

  it('round-trips &, < and > through the core and back to Slack', () => {
    const wire = 'AT&amp;T said &lt;!here&gt; &amp;amp;';
    const plain = slackMarkupToPlain(wire);
    expect(plain).toBe('AT&T said <!here> &amp;');
    expect(toMrkdwn([customerText(plain)])).toBe(wire);
  });
});

describe('commands and interactions', () => {
  it('reads a slash command as a core command request without a thread', () => {
    expect(
      toCommandRequest({ user_id: 'U0STAFF1', channel_id: 'C0TEAM01', text: 'claim #2', team_id: 'T1' }),
    ).toEqual({
      person: { platform: 'slack', id: 'U0STAFF1' },
      conversation: { platform: 'slack', channel: 'C0TEAM01' },
      input: { text: 'claim #2' },
    });
    expect(toCommandRequest({ text: 'claim' })).toBeUndefined();
  });

  it('validates button action ids and issue ids', () => {
    expect(readButton({ action_id: 'heed:claim', value: 'AbC_-1' })).toEqual({
      ok: true,
      action: 'claim',
      issueId: 'AbC_-1',
    });
    expect(readButton({ action_id: 'heed:acknowledge:2', value: 'x' })).toMatchObject({
      ok: true,
      action: 'acknowledge',
    });
    expect(readButton({ action_id: 'heed:claim', value: '../../etc' }).ok).toBe(false);
    expect(readButton({ action_id: 'other:claim', value: 'x' }).ok).toBe(false);
    expect(readButton({ action_id: 'heed:claim' }).ok).toBe(false);
  });

  it('reads a submitted modal’s action, issue and fields, and refuses a malformed one', () => {
    const view = {
      callback_id: 'heed:snooze',
      private_metadata: 'AbC_-1',
      state: {
        values: {
          duration: { value: { type: 'plain_text_input', value: '2h' } },
          reason: { value: { type: 'plain_text_input', value: 'waiting for logs' } },
          other: { unrelated: { type: 'plain_text_input', value: 'ignored' } },
        },
      },
    };
    expect(readSubmission(view)).toEqual({
      ok: true,
      action: 'snooze',
      issueId: 'AbC_-1',
      fields: { duration: '2h', reason: 'waiting for logs' },
    });
    expect(readSubmission({ ...view, private_metadata: '' }).ok).toBe(false);
    expect(readSubmission({ ...view, callback_id: 'heed:SNOOZE!' }).ok).toBe(false);
    expect(readSubmission({ callback_id: 'heed:snooze', private_metadata: 'a' }).ok).toBe(false);
  });
});
