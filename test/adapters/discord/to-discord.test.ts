import { ButtonStyle, ComponentType, TextInputStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { toDiscordMessage, toDiscordReply } from '../../../adapters/discord/to-discord.ts';
import { cardEmbed, EMBED_LIMITS, fitEmbed } from '../../../adapters/discord/to-discord-card.ts';
import { actionRows, formModal } from '../../../adapters/discord/to-discord-components.ts';
import {
  allowedMentionsFor,
  escapeText,
  neutraliseMentions,
  renderRich,
  threadName,
} from '../../../adapters/discord/to-discord-text.ts';
import { ACTIONS } from '../../../src/actions/registry.ts';
import { bold, code, customerText, link, mention, rich, time } from '../../../src/messages/rich-text.ts';
import type { ActionButton, IssueCard } from '../../../src/ports/chat-port.ts';

const ROLE = '1500000000000000001';
const USER = '1700000000000000001';
const context = { isRole: (id: string) => id === ROLE };

/** What customers type to ping people: each must come out unable to ping or resolve. */
const MENTION_CORPUS = ['@everyone', '@here', '<@&1>', '<@1>', '<@!1>', '<#1>', `<@&${ROLE}>`, `<@${USER}>`];
const LIVE_MENTION = /@everyone|@here|<@!?&?\d+>|<#\d+>/;

function card(overrides: Partial<IssueCard> = {}): IssueCard {
  return {
    issueId: 'AbC-123_xyz',
    reference: '#7',
    status: 'New · unclaimed',
    priority: 'high',
    team: 'support',
    customerName: 'Dana',
    customerDetails: 'BigCo · enterprise tier',
    excerpt: 'The export fails',
    deadlines: ['first response due 2026-11-23T13:00Z'],
    history: '1 customer message · 0 replies',
    actions: [{ action: 'claim', issueId: 'AbC-123_xyz', label: 'Claim', style: 'primary' }],
    ...overrides,
  };
}

describe('mentions in relayed text', () => {
  it.each(MENTION_CORPUS)('neutralises %s in customer text', (typed) => {
    const rendered = renderRich([customerText(`hi ${typed} there`)], context);
    expect(rendered.content).not.toMatch(LIVE_MENTION);
    expect(rendered.content).toContain('\u200b');
    expect(rendered.users).toEqual([]);
    expect(rendered.roles).toEqual([]);
  });

  it('neutralises mentions in Heed text segments too (they may carry what a person typed)', () => {
    expect(neutraliseMentions('@Everyone and @HERE')).not.toMatch(/@everyone|@here/i);
    expect(renderRich(rich`Escalated: ${'@everyone look'}`, context).content).not.toMatch(LIVE_MENTION);
  });

  it('renders intended mentions as pings and allows exactly those', () => {
    const rendered = renderRich(
      rich`${mention({ platform: 'discord', id: USER })} and ${mention({ platform: 'discord', id: ROLE })}, see ${customerText('<@1>')}`,
      context,
    );
    expect(rendered.content).toBe(`<@${USER}> and <@&${ROLE}>, see <\u200b@1>`);
    expect(allowedMentionsFor(rendered)).toEqual({
      parse: [],
      users: [USER],
      roles: [ROLE],
      repliedUser: false,
    });
  });

  it('never pings people of another platform or ids that are not snowflakes', () => {
    const rendered = renderRich(
      rich`${mention({ platform: 'slack', id: 'U0STAFF1' })} ${{ t: 'role', platform: 'discord', id: 'everyone' }}`,
      context,
    );
    expect(rendered.content).toBe('@U0STAFF1 @\u200beveryone');
    expect(allowedMentionsFor(rendered)).toEqual({ parse: [], users: [], roles: [], repliedUser: false });
  });
});

describe('markdown', () => {
  it.each([
    [
      '**bold** _it_ ~~s~~ ||spoiler|| `code`',
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`',
    ],
    ['# heading', '\\# heading'],
    ['> quote', '\\> quote'],
    ['-# subtext', '\\-# subtext'],
    ['- item', '\\- item'],
    ['[click](https://evil.example)', '\\[click](https://evil.example)'],
  ])('escapes %j', (typed, escaped) => {
    expect(escapeText(typed)).toBe(escaped);
  });

  it('renders bold, code, links and times', () => {
    const at = Date.parse('2026-11-23T13:00:00Z');
    const rendered = renderRich(
      rich`${bold('#4')} ${code('/heed help')} ${code('a`b')} ${link('https://x.example/a', 'open thread')} ${link('javascript:alert(1)', 'bad')} ${time(at)}`,
      context,
    );
    expect(rendered.content).toBe(
      `**#4** \`/heed help\` \`\` a\`b \`\` [open thread](https://x.example/a) bad <t:${at / 1000}:f>`,
    );
  });
});

describe('messages', () => {
  it('cuts content to 2000 characters', () => {
    const payload = toDiscordMessage({ text: [customerText('x'.repeat(5000))] }, context);
    expect(payload.content).toHaveLength(2000);
    expect(payload.content.endsWith('…')).toBe(true);
    expect(payload.allowedMentions.parse).toEqual([]);
  });

  it('carries the card as an embed and its buttons as rows of five', () => {
    const actions: ActionButton[] = ACTIONS.slice(0, 6).map(({ name: action }) => ({
      action,
      issueId: 'id1',
      label: action,
    }));
    const payload = toDiscordMessage(
      { text: rich`New issue ${bold('#7')}`, card: card({ actions: actions.slice(0, 5) }), actions },
      context,
    );
    expect(payload.embeds).toHaveLength(1);
    expect(payload.components.map((row) => row.components.map((b) => b.custom_id))).toEqual([
      ['heed:claim:id1', 'heed:resolve:id1', 'heed:escalate:id1', 'heed:acknowledge:id1', 'heed:snooze:id1'],
      ['heed:apologize:id1'],
    ]);
  });

  it('answers commands with escaped text, and something even when the text is empty', () => {
    expect(
      toDiscordReply({ visibility: 'ephemeral', text: rich`You now own ${bold('#1')}.` }, context).content,
    ).toBe('You now own **#1**.');
    expect(toDiscordReply({ visibility: 'ephemeral', text: [] }, context).content).toBe('…');
  });

  it('names threads after the issue reference and the first words of the customer', () => {
    const ack = rich`Hi Dana, this is ${bold('#12')}; we will answer soon.`;
    expect(threadName(ack, '  The export\nfails  ')).toBe('#12 · The export fails');
    expect(threadName(ack, 'y'.repeat(300))).toHaveLength(100);
    expect(threadName(rich`hello`, undefined)).toBe('Support request');
  });
});

describe('the card embed', () => {
  it('shows reference and status, the priority colour, the quoted excerpt and the facts', () => {
    const embed = cardEmbed(
      card({
        excerpt: 'line one\n> not a quote <@&1>',
        owner: { platform: 'discord', id: USER },
        threadLink: 'https://discord.com/channels/1/2/3',
      }),
    );
    expect(embed.title).toBe('#7 · New · unclaimed');
    expect(embed.url).toBe('https://discord.com/channels/1/2/3');
    expect(embed.color).toBe(0xf29900);
    expect(embed.description).toBe('> line one\n> \\> not a quote <\u200b@&1>');
    expect(embed.fields?.map((f) => [f.name, f.value])).toEqual([
      ['Customer', 'Dana · BigCo · enterprise tier'],
      ['Owner', `<@${USER}>`],
      ['Priority', 'high'],
      ['Team', 'support'],
      ['Deadlines', 'first response due 2026-11-23T13:00Z'],
      ['History', '1 customer message · 0 replies'],
      ['Thread', "[Open the customer's thread](https://discord.com/channels/1/2/3)"],
    ]);
  });

  it('keeps every part and the whole within Discord’s embed limits', () => {
    const embed = cardEmbed(
      card({
        reference: `#${'9'.repeat(300)}`,
        excerpt: 'z'.repeat(10_000),
        customerName: 'n'.repeat(2000),
        deadlines: Array.from({ length: 40 }, (_, i) => `deadline ${i} ${'d'.repeat(100)}`),
        history: 'h'.repeat(3000),
      }),
    );
    expect(embed.title?.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.description?.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    for (const field of embed.fields ?? [])
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    const total =
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(EMBED_LIMITS.total);
  });

  it('gives a blank field a zero-width space: Discord trims names and values and refuses empty ones', () => {
    const embed = cardEmbed(card({ customerName: ' ', customerDetails: '', history: ' \n ' }));
    const value = (name: string) => embed.fields?.find((field) => field.name === name)?.value;
    expect(value('Customer')).toBe('\u200b');
    expect(value('History')).toBe('\u200b');
    expect(fitEmbed({ fields: [{ name: '\t', value: 'v' }] }).fields?.[0]?.name).toBe('\u200b');
  });

  it('drops fields past 25 and the last fields when the total still does not fit', () => {
    const many = fitEmbed({ fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'v' })) });
    expect(many.fields).toHaveLength(25);
    const heavy = fitEmbed({
      fields: Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(1024) })),
    });
    expect(heavy.fields?.length).toBe(5);
  });
});

describe('components', () => {
  it('builds buttons with validated custom ids, styles and cut labels, without duplicates', () => {
    const rows = actionRows([
      { action: 'claim', issueId: 'i1', label: 'Claim', style: 'primary' },
      { action: 'escalate', issueId: 'i1', label: 'E'.repeat(100), style: 'danger' },
      { action: 'claim', issueId: 'i1', label: 'Claim again' },
      { action: 'acknowledge', issueId: 'i1', label: 'Acknowledge' },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.components).toEqual([
      { type: ComponentType.Button, custom_id: 'heed:claim:i1', label: 'Claim', style: ButtonStyle.Primary },
      {
        type: ComponentType.Button,
        custom_id: 'heed:escalate:i1',
        label: `${'E'.repeat(79)}…`,
        style: ButtonStyle.Danger,
      },
      {
        type: ComponentType.Button,
        custom_id: 'heed:acknowledge:i1',
        label: 'Acknowledge',
        style: ButtonStyle.Secondary,
      },
    ]);
  });

  it('turns a button form into a modal of labelled text inputs', () => {
    const modal = formModal(
      { action: 'snooze', issueId: 'i1' },
      {
        title: 'Snooze #1234567890 for a while, with a long title',
        fields: [
          { name: 'duration', label: 'For how long? (e.g. 30m, 2h, 1d)', placeholder: '1h' },
          { name: 'reason', label: 'Why?', long: true },
        ],
      },
    );
    expect(modal.custom_id).toBe('heed-form:snooze:i1');
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.components).toEqual([
      {
        type: ComponentType.Label,
        label: 'For how long? (e.g. 30m, 2h, 1d)',
        component: {
          type: ComponentType.TextInput,
          custom_id: 'duration',
          style: TextInputStyle.Short,
          required: true,
          max_length: 3000,
          placeholder: '1h',
        },
      },
      {
        type: ComponentType.Label,
        label: 'Why?',
        component: {
          type: ComponentType.TextInput,
          custom_id: 'reason',
          style: TextInputStyle.Paragraph,
          required: true,
          max_length: 3000,
        },
      },
    ]);
  });
});
