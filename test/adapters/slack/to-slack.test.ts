import { describe, expect, it } from 'vitest';
import {
  cutMrkdwn,
  escapeMrkdwn,
  SLACK_LIMITS,
  splitMrkdwn,
  toMrkdwn,
} from '../../../adapters/slack/to-slack.ts';
import { cardBlocks, formModal, renderMessage } from '../../../adapters/slack/to-slack-blocks.ts';
import { bold, code, customerText, link, mention, rich, time } from '../../../src/messages/rich-text.ts';
import type { ActionButton, IssueCard } from '../../../src/ports/chat-port.ts';

// Live Slack markup a customer may send; none of it may survive rendering.
const CORPUS = ['<!channel>', '<!here>', '<@U1>', '<!subteam^S1>', '<https://x|bank>', '&amp;'];

const card: IssueCard = {
  issueId: 'AbC123_-',
  reference: '#7',
  status: 'New · unclaimed',
  priority: 'high',
  team: 'support',
  customerName: '<!here> Dana',
  customerDetails: 'Acme & Co · enterprise tier',
  excerpt: 'It broke <!channel>\nsecond line',
  deadlines: ['first response due 2026-11-23T13:00Z'],
  history: '1 customer message · 0 replies',
  threadLink: 'https://acme.slack.com/archives/C1/p1?thread_ts=1.2&cid=C1',
  actions: [
    { action: 'claim', issueId: 'AbC123_-', label: 'Claim', style: 'primary' },
    {
      action: 'resolve',
      issueId: 'AbC123_-',
      label: 'Resolve',
      form: { title: 'Resolve #7', fields: [{ name: 'summary', label: 'What fixed it?', long: true }] },
    },
  ],
};

describe('Rich → Slack mrkdwn', () => {
  it.each(CORPUS)('neutralises %s in customer and plain text', (markup) => {
    const out = toMrkdwn(rich`${customerText(markup)} / ${markup}`);
    expect(out).not.toMatch(/<[@!#]|<https?:/);
    expect(out).toBe(`${escapeMrkdwn(markup)} / ${escapeMrkdwn(markup)}`);
  });

  it('escapes &, < and > so what the customer wrote reads back the same', () => {
    expect(toMrkdwn([customerText('AT&T <b> &amp;')])).toBe('AT&amp;T &lt;b&gt; &amp;amp;');
  });

  it('renders bold, code, intended mentions, safe links and localised times', () => {
    const at = Date.parse('2026-11-23T13:00:00Z');
    const out = toMrkdwn(
      rich`${bold('#1 <x>')} ${code('a`b')} ${mention({ platform: 'slack', id: 'U0STAFF1' })} ${mention({ platform: 'discord', id: '123' })} ${link('https://x.test/?a=1&b=<2>', 'the <doc>')} ${link('javascript:alert(1)', 'click')} ${time(at)}`,
    );
    expect(out).toBe(
      '*#1 &lt;x&gt;* `aˋb` <@U0STAFF1> @123 <https://x.test/?a=1&amp;b=%3C2%3E|the &lt;doc&gt;> click <!date^1795438800^{date_short_pretty} {time}|2026-11-23T13:00:00Z>',
    );
  });

  it('refuses to ping ids that are not Slack user ids', () => {
    expect(toMrkdwn([mention({ platform: 'slack', id: '!channel' })])).toBe('@!channel');
  });
});

describe('cutting to Slack limits', () => {
  it('cuts with an ellipsis and never splits an entity or a <…> token', () => {
    expect(cutMrkdwn('abcdef', 4)).toBe('abc…');
    expect(cutMrkdwn('ab &amp; cd', 6)).toBe('ab…');
    expect(cutMrkdwn('hi <@U0STAFF1> there', 8)).toBe('hi…');
    expect(cutMrkdwn('😀😀😀', 4)).toBe('😀…');
  });

  it('keeps a long message under 40,000 characters and a long section under 3,000', () => {
    const long = 'x'.repeat(50_000);
    expect(renderMessage({ text: rich`${long}` }).text).toHaveLength(SLACK_LIMITS.messageText);
    const chunks = splitMrkdwn(`${'a'.repeat(2_500)}\n${'b'.repeat(2_500)}\n${'c'.repeat(2_500)}`, 3_000, 2);
    expect(chunks.map((c) => c.length)).toEqual([2_500, 3_000]);
    expect(chunks[1]?.endsWith('…')).toBe(true);
  });

  it('keeps at most 50 blocks and the buttons when a message is huge', () => {
    const actions: ActionButton[] = [{ action: 'claim', issueId: 'i1', label: 'Claim' }];
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat(500)}`).join('\n');
    const rendered = renderMessage({ text: rich`${lines}`, actions });
    expect(rendered.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(rendered.blocks?.at(-1)?.type).toBe('actions');
    for (const block of rendered.blocks ?? []) {
      if (block.type === 'section')
        expect(block.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
  });
});

describe('IssueCard → Block Kit', () => {
  it('shows the card with escaped customer text, the thread link and heed:<action> buttons', () => {
    const blocks = cardBlocks(card, 'New issue *#7*');
    const wire = JSON.stringify(blocks);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '#7 · New · unclaimed', emoji: true },
    });
    expect(wire).toContain('&lt;!here&gt; Dana');
    expect(wire).toContain('Acme &amp; Co');
    expect(wire).toContain('>It broke &lt;!channel&gt;\\n>second line');
    expect(wire).toContain(
      '<https://acme.slack.com/archives/C1/p1?thread_ts=1.2&amp;cid=C1|Open the customer’s thread>',
    );
    expect(wire).not.toMatch(/<!(channel|here)/);
    const actions = blocks.filter((b) => b.type === 'actions');
    expect(actions).toEqual([
      {
        type: 'actions',
        block_id: 'heed:actions:0',
        elements: [
          {
            type: 'button',
            action_id: 'heed:claim',
            value: 'AbC123_-',
            text: { type: 'plain_text', text: 'Claim', emoji: true },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'heed:resolve',
            value: 'AbC123_-',
            text: { type: 'plain_text', text: 'Resolve', emoji: true },
          },
        ],
      },
    ]);
  });

  it('marks card and customer messages as not to unfurl, and Heed-only text as plain', () => {
    expect(renderMessage({ text: rich`New`, card }).unfurl).toBe(false);
    expect(renderMessage({ text: rich`Hi ${customerText('Dana')}` }).unfurl).toBe(false);
    expect(renderMessage({ text: rich`Claimed` })).toEqual({ text: 'Claimed' });
  });

  it('gives duplicate buttons in one message distinct action ids', () => {
    const rendered = renderMessage({
      text: rich`Two alerts`,
      actions: [
        { action: 'acknowledge', issueId: 'a', label: 'Acknowledge' },
        { action: 'acknowledge', issueId: 'b', label: 'Acknowledge' },
      ],
    });
    const ids = JSON.stringify(rendered.blocks).match(/heed:acknowledge(:\d)?/g);
    expect(ids).toEqual(['heed:acknowledge', 'heed:acknowledge:2']);
  });
});

describe('forms → modals', () => {
  it('opens one plain_text_input per field, multiline when long, within Slack’s title limit', () => {
    const view = formModal(
      { action: 'snooze', issueId: 'AbC123_-', label: 'Snooze' },
      {
        title: 'Snooze issue #123456 for a while',
        fields: [
          { name: 'duration', label: 'For how long?', placeholder: '1h' },
          { name: 'reason', label: 'Why?', long: true },
        ],
      },
    );
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'heed:snooze',
      private_metadata: 'AbC123_-',
      submit: { type: 'plain_text', text: 'Snooze' },
      blocks: [
        {
          type: 'input',
          block_id: 'duration',
          element: {
            type: 'plain_text_input',
            action_id: 'value',
            multiline: false,
            placeholder: { text: '1h' },
          },
        },
        {
          type: 'input',
          block_id: 'reason',
          element: { type: 'plain_text_input', action_id: 'value', multiline: true },
        },
      ],
    });
    expect(view.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
  });
});
