import {
  type APIMessage,
  ChannelType,
  type Client,
  DiscordAPIError,
  Events,
  type Interaction,
  type Message,
  MessageFlags,
  makeURLSearchParams,
  REST,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, Permission, snowflakeAt, snowflakeTime } from './index.ts';
import {
  createClient,
  ids,
  loginAndWait,
  startTestEmulator,
  type TestEmulatorOptions,
} from './test-fixture.ts';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function emulatorWith(options: TestEmulatorOptions = {}): Promise<DiscordEmulator> {
  const emulator = await startTestEmulator(options);
  cleanups.push(() => emulator.close());
  return emulator;
}

async function loggedIn(emulator: DiscordEmulator): Promise<Client> {
  const client = createClient(emulator);
  cleanups.push(() => client.destroy());
  await loginAndWait(client);
  return client;
}

/** @discordjs/rest on its own, for the raw answers. */
function restFor(emulator: DiscordEmulator): REST {
  const rest = new REST({ api: emulator.apiUrl, retries: 0 }).setToken(ids.token);
  cleanups.push(() => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
  return rest;
}

function list(rest: REST, channelId: string, query: Record<string, string | number> = {}) {
  return rest.get(Routes.channelMessages(channelId), { query: makeURLSearchParams(query) }) as Promise<
    APIMessage[]
  >;
}

/** Alice writes `count` messages in the support channel; answers their ids, oldest first. */
function postMany(emulator: DiscordEmulator, count: number, channelId: string = ids.support): string[] {
  return Array.from({ length: count }, (_, i) => {
    const sent = emulator.sendMessage({
      guildId: ids.guild,
      channelId,
      authorId: ids.alice,
      content: `m${i}`,
    });
    return (sent.d as { id: string }).id;
  });
}

function textChannel(client: Client, id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  if (channel?.type !== ChannelType.GuildText) throw new Error(`channel ${id} is not a cached text channel`);
  return channel;
}

const idsOf = (messages: { id: string }[]) => messages.map((m) => m.id);
const apiError = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => (error instanceof DiscordAPIError ? error : Promise.reject(error)),
  );

describe('GET /channels/{id}/messages through discord.js', () => {
  it('pages 250 messages written while the bot was away, backwards with before and forwards with after', async () => {
    const emulator = await emulatorWith();
    const posted = postMany(emulator, 250);
    expect(emulator.undelivered.filter((d) => d.t === 'MESSAGE_CREATE')).toHaveLength(250);
    const client = await loggedIn(emulator);
    const channel = textChannel(client, ids.support);

    const backwards: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = [
        ...(await channel.messages.fetch({ limit: 100, ...(before ? { before } : {}) })).values(),
      ];
      if (page.length === 0) break;
      expect(idsOf(page)).toEqual(idsOf(page).sort((a, b) => (BigInt(a) > BigInt(b) ? -1 : 1)));
      backwards.push(...idsOf(page));
      before = page.at(-1)?.id;
    }
    expect(backwards).toEqual([...posted].reverse());

    // `after` returns the messages just after the id (not the newest ones), still newest first.
    const forwards: string[] = [];
    let after = '0';
    for (;;) {
      const page = [...(await channel.messages.fetch({ limit: 100, after })).values()];
      if (page.length === 0) break;
      expect(page[0]?.content).toBe(`m${forwards.length + page.length - 1}`);
      forwards.push(...idsOf(page).reverse());
      after = page[0]?.id ?? after;
    }
    expect(forwards).toEqual(posted);
    expect(emulator.callsTo('GET /channels/:id/messages').map((c) => c.query.limit)).toEqual(
      Array(8).fill('100'),
    );
  });

  it('returns the messages around an id: half the limit on each side and the message itself', async () => {
    const emulator = await emulatorWith();
    const posted = postMany(emulator, 20);
    const rest = restFor(emulator);
    const middle = String(posted[10]);
    expect(idsOf(await list(rest, ids.support, { around: middle, limit: 5 }))).toEqual(
      posted.slice(8, 13).reverse(),
    );
    expect(idsOf(await list(rest, ids.support, { around: middle, limit: 4 }))).toEqual(
      posted.slice(8, 13).reverse(),
    );
    expect(idsOf(await list(rest, ids.support, { around: middle, limit: 1 }))).toEqual([middle]);
    expect(idsOf(await list(rest, ids.support, { around: String(posted[1]), limit: 6 }))).toEqual(
      posted.slice(0, 5).reverse(),
    );
    expect(await list(rest, ids.support)).toHaveLength(20);
    postMany(emulator, 40);
    expect(await list(rest, ids.support)).toHaveLength(50);
  });

  it('answers 50035 for a limit outside 1–100, a bad snowflake or more than one anchor, 10003 for no channel', async () => {
    const emulator = await emulatorWith();
    const [first] = postMany(emulator, 3);
    const rest = restFor(emulator);
    const failure = async (query: Record<string, string | number>, channelId: string = ids.support) => {
      const error = await apiError(list(rest, channelId, query));
      return {
        status: error?.status,
        code: error?.code,
        errors: (error?.rawError as { errors?: unknown } | undefined)?.errors,
      };
    };
    expect(await failure({ limit: 0 })).toMatchObject({
      status: 400,
      code: 50035,
      errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_MIN' }] } },
    });
    expect(await failure({ limit: 101 })).toMatchObject({
      code: 50035,
      errors: {
        limit: {
          _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }],
        },
      },
    });
    expect(await failure({ limit: 'ten' })).toMatchObject({
      errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } },
    });
    expect(await failure({ before: 'yesterday' })).toMatchObject({
      errors: { before: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] } },
    });
    expect(await failure({ before: String(first), after: String(first) })).toMatchObject({
      code: 50035,
      errors: { before: {}, after: {} },
    });
    expect(await failure({}, '1300000000000000099')).toMatchObject({ status: 404, code: 10003 });
    expect(await list(rest, ids.support, { limit: 100 })).toHaveLength(3);
  });

  it('lists thread and forum post messages, and never ephemeral interaction replies', async () => {
    const emulator = await emulatorWith();
    const client = await loggedIn(emulator);
    const [starter] = postMany(emulator, 1);
    emulator.createThread({
      guildId: ids.guild,
      channelId: ids.support,
      ownerId: ids.alice,
      name: 'Login broken',
      messageId: String(starter),
    });
    const inThread = postMany(emulator, 3, String(starter));
    const { thread } = emulator.createForumPost({
      guildId: ids.guild,
      channelId: ids.forum,
      authorId: ids.alice,
      name: 'Invoice wrong',
      content: 'The total is off',
    });
    const postId = String(thread.id);
    const reply = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.forum,
      threadId: postId,
      authorId: ids.bob,
      content: 'Looking',
    });
    client.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.reply({ content: 'Only you', flags: MessageFlags.Ephemeral });
      }
    });
    await emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.support,
      userId: ids.bob,
      name: 'heed',
    });
    expect(emulator.messages(ids.support).some((m) => ((m.flags ?? 0) & 64) !== 0)).toBe(true);

    const rest = restFor(emulator);
    expect(idsOf(await list(rest, String(starter)))).toEqual([...inThread].reverse());
    const post = await list(rest, postId);
    expect(idsOf(post)).toEqual([(reply.d as { id: string }).id, postId]);
    expect(post[1]).toMatchObject({ content: 'The total is off', channel_id: postId });
    const support = await list(rest, ids.support);
    expect(support.map((m) => m.content)).toEqual(['m0']);
    const fetched = await client.channels.fetch(postId);
    if (!fetched?.isThread()) throw new Error('the forum post is not a thread');
    const viaClient: Message[] = [...(await fetched.messages.fetch({ after: postId })).values()];
    expect(viaClient.map((m) => m.content)).toEqual(['Looking']);
  });
});

describe('catching up after the bot was down', () => {
  it('loses the dispatches of messages written while the bot was offline but lists them over REST', async () => {
    const emulator = await emulatorWith();
    const first = await loggedIn(emulator);
    const seenLive: string[] = [];
    first.on(Events.MessageCreate, (m) => {
      seenLive.push(m.content);
    });
    const [lastSeen] = postMany(emulator, 1);
    await expect.poll(() => seenLive).toEqual(['m0']);
    await first.destroy();
    const missed = ['a', 'b', 'c'].map(
      (content) =>
        emulator.sendMessage({ guildId: ids.guild, channelId: ids.support, authorId: ids.alice, content })
          .d as {
          id: string;
        },
    );
    expect(emulator.undelivered.map((d) => (d.d as { content?: string }).content)).toEqual(['a', 'b', 'c']);

    const second = await loggedIn(emulator);
    const liveAgain: string[] = [];
    second.on(Events.MessageCreate, (m) => {
      liveAgain.push(m.content);
    });
    const page = await textChannel(second, ids.support).messages.fetch({
      after: String(lastSeen),
      limit: 100,
    });
    expect([...page.values()].map((m) => m.content)).toEqual(['c', 'b', 'a']);
    expect([...page.keys()]).toEqual(missed.map((m) => m.id).reverse());
    expect(liveAgain).toEqual([]);
  });
});

describe("the emulator's clock", () => {
  it('dates message ids by the injected clock, so a test can fetch what was written after a moment', async () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const emulator = await emulatorWith({ now: () => now });
    postMany(emulator, 2);
    const downSince = now + 30_000;
    now += 60_000;
    const late = postMany(emulator, 2);
    now -= 3_600_000;
    const clockBack = postMany(emulator, 1);
    const rest = restFor(emulator);
    const since = await list(rest, ids.support, { after: snowflakeAt(downSince) });
    expect(idsOf(since)).toEqual([...late, ...clockBack].reverse());
    expect(since.map((m) => m.timestamp)).toEqual([
      '2026-01-05T09:01:00.000Z',
      '2026-01-05T09:01:00.000Z',
      '2026-01-05T09:01:00.000Z',
    ]);
    expect(snowflakeTime(String(late[0]))).toBe(Date.UTC(2026, 0, 5, 9, 1, 0));
  });
});

describe('permissions and the Message Content intent on REST', () => {
  it('answers 50001 without VIEW_CHANNEL and an empty list without READ_MESSAGE_HISTORY', async () => {
    const noHistory = await emulatorWith({
      everyonePermissions: (Permission.ViewChannel | Permission.SendMessages).toString(),
    });
    postMany(noHistory, 2);
    expect(await list(restFor(noHistory), ids.support)).toEqual([]);
    const blind = await emulatorWith({ everyonePermissions: Permission.SendMessages.toString() });
    postMany(blind, 2);
    const error = await apiError(list(restFor(blind), ids.support));
    expect({ status: error?.status, code: error?.code }).toEqual({ status: 403, code: 50001 });
  });

  it('blanks other people’s guild messages without the intent, except mentions of the bot and its own', async () => {
    const emulator = await emulatorWith({ messageContent: false });
    postMany(emulator, 1);
    emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: `<@${ids.bot}> help`,
    });
    const rest = restFor(emulator);
    await rest.post(Routes.channelMessages(ids.support), { body: { content: 'Heed here' } });
    const contents = (await list(rest, ids.support)).map((m) => m.content);
    expect(contents).toEqual(['Heed here', `<@${ids.bot}> help`, '']);
  });
});

describe('thread listings', () => {
  it('lists active threads by id descending and archived public ones by archive time, with has_more', async () => {
    let now = Date.UTC(2026, 2, 2, 8, 0, 0);
    const emulator = await emulatorWith({ now: () => now });
    const client = await loggedIn(emulator);
    const threadIds = ['one', 'two', 'three', 'four', 'five'].map((name) => {
      now += 60_000;
      return String(
        emulator.createForumPost({
          guildId: ids.guild,
          channelId: ids.forum,
          authorId: ids.alice,
          name,
          content: name,
        }).thread.id,
      );
    });
    expect(snowflakeTime(String(threadIds[0]))).toBe(Date.UTC(2026, 2, 2, 8, 1, 0));
    for (const threadId of [threadIds[1], threadIds[0], threadIds[2]]) {
      now += 60_000;
      emulator.archiveThread({ threadId: String(threadId) });
    }
    const active = await client.guilds.cache.get(ids.guild)?.channels.fetchActiveThreads();
    expect([...(active?.threads.keys() ?? [])]).toEqual([threadIds[4], threadIds[3]]);
    const forum = client.channels.cache.get(ids.forum);
    if (forum?.type !== ChannelType.GuildForum) throw new Error('no forum');
    const newest = await forum.threads.fetchArchived({ type: 'public', limit: 2 });
    expect([...newest.threads.keys()]).toEqual([threadIds[2], threadIds[0]]);
    expect(newest.hasMore).toBe(true);
    const older = await forum.threads.fetchArchived({
      type: 'public',
      limit: 2,
      before: new Date(Date.UTC(2026, 2, 2, 8, 7, 0)),
    });
    expect([...older.threads.keys()]).toEqual([threadIds[1]]);
    expect(older.hasMore).toBe(false);
    const calls = emulator.callsTo('GET /channels/:id/threads/archived/public');
    expect(calls.at(-1)?.query).toEqual({ limit: '2', before: '2026-03-02T08:07:00.000Z' });
    const tooSmall = await apiError(
      restFor(emulator).get(Routes.channelThreads(ids.forum, 'public'), {
        query: makeURLSearchParams({ limit: 1 }),
      }),
    );
    expect(tooSmall?.code).toBe(50035);
  });
});
