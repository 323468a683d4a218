import { MessageType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  buttonCustomId,
  formCustomId,
  parseButtonCustomId,
  parseFormCustomId,
} from '../../../adapters/discord/custom-ids.ts';
import {
  type ChannelLike,
  commandOptions,
  conversationOf,
  fromDiscordMessage,
  type MessageLike,
  personOf,
} from '../../../adapters/discord/from-discord.ts';
import { MessageIntake } from '../../../adapters/discord/intake.ts';
import { RecentIds } from '../../../adapters/discord/recent-ids.ts';
import { handoffCommand } from '../../../src/commands/handoff.ts';
import { priorityCommand } from '../../../src/commands/priority.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { MONDAY_10AM, startHarness } from '../../support/harness.ts';
import { IDS } from '../../support/test-config.ts';

const GUILD = '1000000000000000001';
const SUPPORT = IDS.discord.customerChannel;
const FORUM = '1300000000000000002';
const support = new Set([SUPPORT, FORUM]);

function message(overrides: Partial<MessageLike> = {}): MessageLike {
  return {
    id: '1800000000000000001',
    content: 'The export fails',
    createdTimestamp: MONDAY_10AM,
    type: MessageType.Default,
    system: false,
    webhookId: null,
    guildId: GUILD,
    author: { id: IDS.discord.customer, bot: false, username: 'dana', globalName: 'Dana C' },
    member: {
      displayName: 'Dana (BigCo)',
      roles: {
        cache: new Map([
          [GUILD, {}],
          [IDS.discord.enterpriseRole, {}],
        ]),
      },
    },
    channel: { id: SUPPORT, parentId: '1300000000000000099', isThread: () => false },
    ...overrides,
  };
}

const thread = (id: string, parentId: string): ChannelLike => ({ id, parentId, isThread: () => true });
const plainChannel = (id: string): ChannelLike => ({ id, isThread: () => false });

describe('fromDiscordMessage', () => {
  it('turns a top-level message in a support channel into an inbound message', () => {
    expect(fromDiscordMessage(message(), support)).toEqual({
      kind: 'message',
      message: {
        platform: 'discord',
        channel: SUPPORT,
        messageId: '1800000000000000001',
        text: 'The export fails',
        at: MONDAY_10AM,
        author: {
          id: IDS.discord.customer,
          name: 'Dana (BigCo)',
          roles: [IDS.discord.enterpriseRole],
          isBot: false,
        },
      },
    });
  });

  it('addresses a message in a thread by its parent channel and the thread id', () => {
    const intake = fromDiscordMessage(message({ channel: thread('1800000000000000005', SUPPORT) }), support);
    expect(intake).toMatchObject({
      kind: 'message',
      message: { channel: SUPPORT, thread: '1800000000000000005' },
    });
  });

  it('takes a forum post starter message (its id is the post’s id) as a thread message', () => {
    const post = '1800000000000000007';
    const intake = fromDiscordMessage(message({ id: post, channel: thread(post, FORUM) }), support);
    expect(intake).toMatchObject({
      kind: 'message',
      message: { channel: FORUM, thread: post, messageId: post },
    });
  });

  it('falls back from the member display name to the global name and the username', () => {
    const noMember = fromDiscordMessage(message({ member: null }), support);
    expect(noMember.kind === 'message' && noMember.message.author.name).toBe('Dana C');
    const plain = fromDiscordMessage(
      message({ member: null, author: { id: '1', bot: false, username: 'dana', globalName: null } }),
      support,
    );
    expect(plain.kind === 'message' && plain.message.author.name).toBe('dana');
  });

  it.each([
    ['direct messages', { guildId: null }, 'direct message'],
    ['bots', { author: { id: '2', bot: true, username: 'bot', globalName: null } }, 'bot message'],
    ['webhooks', { webhookId: '3' }, 'bot message'],
    ['member joins', { type: MessageType.UserJoin, system: true }, 'system message'],
    ['thread starter notices', { type: MessageType.ThreadStarterMessage }, 'system message'],
    ['other channels', { channel: plainChannel('42') }, 'not a support channel'],
    ['threads of other channels', { channel: thread('43', '42') }, 'not a support channel'],
  ] as const)('ignores %s', (_what, overrides, reason) => {
    expect(fromDiscordMessage(message(overrides as Partial<MessageLike>), support)).toEqual({
      kind: 'ignored',
      reason,
    });
  });

  it('keeps replies (message type 19)', () => {
    expect(fromDiscordMessage(message({ type: MessageType.Reply }), support).kind).toBe('message');
  });
});

describe('interactions', () => {
  it('names the person with their roles, and the conversation (threads under their parent)', () => {
    expect(personOf('5', ['r1'])).toEqual({ platform: 'discord', id: '5', roles: ['r1'] });
    expect(personOf('5', undefined)).toEqual({ platform: 'discord', id: '5' });
    expect(conversationOf('77', thread('77', SUPPORT))).toEqual({
      platform: 'discord',
      channel: SUPPORT,
      thread: '77',
    });
    expect(conversationOf('78', { id: '78', parentId: 'category', isThread: () => false })).toEqual({
      platform: 'discord',
      channel: '78',
    });
    expect(conversationOf('79', null)).toEqual({ platform: 'discord', channel: '79' });
    expect(conversationOf(null, null)).toBeUndefined();
  });

  it('reads sub-command options as the named arguments of the command', () => {
    const filled: Record<string, object> = {
      issue: { value: '#4' },
      user: {
        value: '1700000000000000001',
        user: { id: '1700000000000000001' },
        member: { roles: [GUILD, 'r9'] },
      },
      reason: { value: 'Sam knows the export service' },
    };
    const options = { get: (name: string) => filled[name] ?? null };
    expect(commandOptions(handoffCommand.args, options, GUILD)).toEqual({
      issue: '#4',
      user: { platform: 'discord', id: '1700000000000000001', roles: ['r9'] },
      reason: 'Sam knows the export service',
    });
    expect(
      commandOptions(
        priorityCommand.args,
        { get: (name) => (name === 'level' ? { value: 'urgent' } : null) },
        GUILD,
      ),
    ).toEqual({
      level: 'urgent',
    });
  });
});

describe('custom ids', () => {
  it('round-trips buttons and forms, and keeps them apart', () => {
    const target = { action: 'apologize', issueId: 'x9_-AbC' } as const;
    expect(buttonCustomId(target)).toBe('heed:apologize:x9_-AbC');
    expect(parseButtonCustomId(buttonCustomId(target))).toEqual(target);
    expect(parseFormCustomId(formCustomId(target))).toEqual(target);
    expect(parseFormCustomId(buttonCustomId(target))).toBeUndefined();
    expect(parseButtonCustomId(formCustomId(target))).toBeUndefined();
  });

  it.each([
    'heed:teleport:abc',
    'heed:claim:',
    'heed:claim',
    'heed:claim:a:b',
    'other:claim:abc',
    'heed:claim:../../x',
    'heed:claim:has space',
    `heed:claim:${'a'.repeat(200)}`,
    '',
  ])('rejects %j', (customId) => {
    expect(parseButtonCustomId(customId)).toBeUndefined();
  });
});

describe('duplicate deliveries', () => {
  it('remembers a bounded number of ids', () => {
    const ids = new RecentIds(2);
    expect([ids.add('a'), ids.add('a'), ids.add('b'), ids.add('c')]).toEqual([true, false, true, true]);
    expect(ids.has('a')).toBe(false);
    ids.delete('c');
    expect(ids.add('c')).toBe(true);
  });

  it('hands a message delivered twice at once to the core only once', async () => {
    const h = await startHarness();
    const intake = new MessageIntake(h.heed, silentLogger());
    const delivered = message({ id: '1800000000000000011' });
    await Promise.all([intake.handle(delivered), intake.handle(delivered)]);
    expect(h.heed.issues.listOpen()).toHaveLength(1);
    expect(h.chat.sent.filter((m) => m.op === 'reply')).toHaveLength(1);
    expect(h.chat.sent.filter((m) => m.op === 'post')).toHaveLength(1);
  });
});
