import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  type Message,
  MessageFlags,
  MessageType,
  ModalBuilder,
  Partials,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from './index.ts';
import {
  createClient,
  heedIntents,
  ids,
  loginAndWait,
  nextEvent,
  pause,
  startTestEmulator,
} from './test-fixture.ts';

let emulator: DiscordEmulator;
let client: Client | undefined;

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emulator.close();
});

async function readyClient(): Promise<Client> {
  client = createClient(emulator);
  await loginAndWait(client);
  return client;
}

function textChannel(c: Client, id: string): TextChannel {
  const channel = c.channels.cache.get(id);
  if (channel?.type !== ChannelType.GuildText) throw new Error(`channel ${id} is not a cached text channel`);
  return channel;
}

describe('gateway: identify and ready', () => {
  it('fires ClientReady with the guild, channels, roles and members cached', async () => {
    const c = await readyClient();
    const guild = c.guilds.cache.get(ids.guild);
    expect(guild?.name).toBe('Acme Community');
    expect(guild?.available).toBe(true);
    expect(c.user?.id).toBe(ids.bot);
    expect(c.channels.cache.get(ids.support)?.type).toBe(ChannelType.GuildText);
    expect(c.channels.cache.get(ids.forum)?.type).toBe(ChannelType.GuildForum);
    expect(c.channels.cache.get(ids.category)?.type).toBe(ChannelType.GuildCategory);
    expect(textChannel(c, ids.support).parentId).toBe(ids.category);
    expect(guild?.roles.everyone.id).toBe(ids.guild);
    expect(guild?.members.cache.get(ids.alice)?.roles.cache.has(ids.enterpriseRole)).toBe(true);
    expect(guild?.members.me?.id).toBe(ids.bot);
    expect(emulator.identifyCount).toBe(1);
    expect(emulator.identifies[0]?.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.MessageContent |
        GatewayIntentBits.DirectMessages,
    );
    expect(emulator.callsTo('GET /gateway/bot')).toHaveLength(1);
    expect(emulator.connected).toBe(true);
  });

  it('lists the bot’s guilds as Discord pages them, and refuses a limit outside 1–200', async () => {
    const get = (query: string) =>
      fetch(`${emulator.apiUrl}/v10/users/@me/guilds${query}`, {
        headers: { authorization: `Bot ${ids.token}` },
      });
    const listed = (await (await get('')).json()) as { id: string; owner: boolean; permissions: string }[];
    expect(listed.map((guild) => guild.id)).toEqual([ids.guild]);
    expect(listed[0]).toMatchObject({ owner: false, features: [], icon: null });
    expect(listed[0]!.permissions).toMatch(/^\d+$/);
    expect(await (await get(`?after=${ids.guild}`)).json()).toEqual([]);
    const tooMany = await get('?limit=201');
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    expect((await get('?after=abc')).status).toBe(400);
  });

  it('closes with 4004 on a wrong token and 401s REST calls with it', async () => {
    const response = await fetch(`${emulator.apiUrl}/v10/users/@me`, {
      headers: { authorization: 'Bot nope' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const unknown = await fetch(`${emulator.apiUrl}/v10/nothing/here`, {
      headers: { authorization: `Bot ${ids.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(emulator.calls.map((call) => [call.route, call.status])).toEqual([
      ['GET /users/@me', 401],
      ['UNKNOWN', 404],
    ]);
  });

  it('acknowledges heartbeats so the client never declares the connection a zombie', async () => {
    await readyClient();
    // The second beat is where @discordjs/ws checks the ACK of the first (and would resume without one).
    await expect.poll(() => emulator.heartbeatCount, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    expect(emulator.resumeCount).toBe(0);
    expect(emulator.identifyCount).toBe(1);
    expect(client?.ws.ping).toBeGreaterThanOrEqual(0);
  });
});

describe('gateway: messages', () => {
  it('delivers MESSAGE_CREATE with content, member roles and mentions', async () => {
    const c = await readyClient();
    const received = nextEvent<[Message]>(c, Events.MessageCreate);
    const payload = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: `Our site is down <@${ids.bot}> <@&${ids.staffRole}>`,
    });
    const [message] = await received;
    expect(message.id).toBe((payload.d as { id: string }).id);
    expect(message.content).toBe(`Our site is down <@${ids.bot}> <@&${ids.staffRole}>`);
    expect(message.author.id).toBe(ids.alice);
    expect(message.author.bot).toBe(false);
    expect(message.member?.roles.cache.has(ids.enterpriseRole)).toBe(true);
    expect(message.mentions.users.has(ids.bot)).toBe(true);
    expect(message.mentions.roles.has(ids.staffRole)).toBe(true);
    expect(message.guildId).toBe(ids.guild);
    expect(message.createdTimestamp).toBeGreaterThan(Date.now() - 10_000);
    expect(emulator.messages(ids.support).map((m) => m.id)).toEqual([message.id]);
  });

  it('blanks content without the Message Content intent unless the bot is mentioned', async () => {
    client = createClient(emulator, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    await loginAndWait(client);
    const contents: string[] = [];
    client.on(Events.MessageCreate, (m) => contents.push(m.content));
    emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'secret',
    });
    emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: `hi <@${ids.bot}>`,
    });
    await expect.poll(() => contents.length).toBe(2);
    expect(contents).toEqual(['', `hi <@${ids.bot}>`]);
  });

  it('does not emit a duplicate delivery of a cached message twice (discord.js dedupes by cache)', async () => {
    const c = await readyClient();
    const seen: string[] = [];
    c.on(Events.MessageCreate, (m) => seen.push(m.id));
    const payload = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'x',
    });
    await expect.poll(() => seen.length).toBe(1);
    const again = emulator.redispatch(payload);
    expect(again.s).toBeGreaterThan(payload.s ?? 0);
    await pause(200);
    expect(seen).toHaveLength(1);
  });
});

describe('REST: sending, threads, DMs', () => {
  it('delivers user threads, messages in them, a member-join message and DMs (with Partials.Channel)', async () => {
    client = createClient(emulator, {
      intents: [...heedIntents, GatewayIntentBits.GuildMembers],
      partials: [Partials.Channel],
    });
    await loginAndWait(client);
    const c = client;
    const messages: Message[] = [];
    c.on(Events.MessageCreate, (m) => messages.push(m));
    const starter = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'help',
    });
    const starterId = (starter.d as { id: string }).id;
    const threadCreated = nextEvent(c, Events.ThreadCreate);
    emulator.createThread({
      guildId: ids.guild,
      channelId: ids.support,
      ownerId: ids.alice,
      name: 'help',
      messageId: starterId,
    });
    await threadCreated;
    emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      threadId: starterId,
      authorId: ids.bob,
      content: 'Looking',
    });
    emulator.sendMessage({ guildId: ids.guild, channelId: ids.support, authorId: ids.alice, type: 7 });
    emulator.sendDirectMessage({ authorId: ids.alice, content: 'psst' });
    await expect.poll(() => messages.length).toBe(4);
    const [, inThread, joined, dm] = messages;
    expect(inThread?.channel.isThread()).toBe(true);
    expect(inThread?.channelId).toBe(starterId);
    expect(inThread?.member?.nickname).toBe('Bob (support)');
    expect(joined?.type).toBe(MessageType.UserJoin);
    expect(joined?.system).toBe(true);
    expect(dm?.channel.type).toBe(ChannelType.DM);
    expect(dm?.guildId).toBeNull();
    const members = await c.guilds.cache.get(ids.guild)?.members.fetch();
    expect([...(members?.keys() ?? [])].sort()).toEqual([ids.alice, ids.bob, ids.bot].sort());
  });

  it('parses multipart uploads (payload_json plus files)', async () => {
    const c = await readyClient();
    const sent = await textChannel(c, ids.support).send({
      content: 'Transcript attached',
      files: [{ attachment: Buffer.from('line 1\nline 2\n'), name: 'transcript.txt' }],
    });
    const call = emulator.callsTo('POST /channels/:id/messages')[0];
    expect(call?.body).toMatchObject({ content: 'Transcript attached' });
    expect(call?.files).toEqual([expect.objectContaining({ filename: 'transcript.txt', size: 14 })]);
    expect(sent.attachments.first()?.name).toBe('transcript.txt');
  });

  it('records channel.send, startThread, thread.send and user.send with routes and bodies', async () => {
    const c = await readyClient();
    const channel = textChannel(c, ids.support);
    const threadCreates: string[] = [];
    c.on(Events.ThreadCreate, (thread) => threadCreates.push(thread.id));

    const sent = await channel.send({ content: `Thanks <@${ids.alice}>`, allowedMentions: { parse: [] } });
    const post = emulator.callsTo('POST /channels/:id/messages')[0];
    expect(post?.path).toBe(`/channels/${ids.support}/messages`);
    expect(post?.body).toMatchObject({ content: `Thanks <@${ids.alice}>`, allowed_mentions: { parse: [] } });
    expect(post?.status).toBe(200);
    expect(sent.author.id).toBe(ids.bot);
    expect(emulator.message(sent.id)?.mentions).toEqual([]);

    const thread = await sent.startThread({ name: 'Issue #1', autoArchiveDuration: 1440 });
    expect(thread.id).toBe(sent.id);
    expect(thread.parentId).toBe(ids.support);
    expect(thread.ownerId).toBe(ids.bot);
    expect(emulator.message(sent.id)?.thread?.id).toBe(thread.id);
    const threadCall = emulator.callsTo('POST /channels/:id/messages/:mid/threads')[0];
    expect(threadCall?.path).toBe(`/channels/${ids.support}/messages/${sent.id}/threads`);
    expect(threadCall?.body).toMatchObject({ name: 'Issue #1', auto_archive_duration: 1440 });
    expect(threadCall?.status).toBe(201);

    const inThread = await thread.send('We are on it.');
    expect(inThread.channelId).toBe(thread.id);
    expect(emulator.messages(thread.id).map((m) => m.content)).toEqual(['We are on it.']);

    const alice = await c.users.fetch(ids.alice);
    const dm = await alice.send('Your issue was escalated.');
    const open = emulator.callsTo('POST /users/@me/channels')[0];
    expect(open?.body).toEqual({ recipient_id: ids.alice });
    expect(dm.channel.type).toBe(ChannelType.DM);
    expect(emulator.messages(dm.channelId).map((m) => m.content)).toEqual(['Your issue was escalated.']);
    const again = await alice.send('Second DM');
    expect(again.channelId).toBe(dm.channelId);
    await expect.poll(() => threadCreates).toEqual([thread.id]);
  });

  it('creates forum posts for the bot and delivers user forum posts as THREAD_CREATE + MESSAGE_CREATE', async () => {
    const c = await readyClient();
    const forum = c.channels.cache.get(ids.forum) as ForumChannel;
    const post = await forum.threads.create({
      name: 'Billing question',
      message: { content: 'Starter' },
      appliedTags: [ids.tagBilling],
    });
    expect(post.parentId).toBe(ids.forum);
    expect(post.appliedTags).toEqual([ids.tagBilling]);
    expect(emulator.messages(post.id)[0]).toMatchObject({ id: post.id, content: 'Starter' });

    const messageInPost = nextEvent<[Message]>(c, Events.MessageCreate, (m) => m.author.id === ids.alice);
    const created = emulator.createForumPost({
      guildId: ids.guild,
      channelId: ids.forum,
      authorId: ids.alice,
      name: 'Login broken',
      content: 'I cannot log in',
    });
    const [message] = await messageInPost;
    expect(message.channelId).toBe(created.thread.id);
    expect(message.id).toBe(created.thread.id);
    expect(message.channel.isThread() && message.channel.parentId).toBe(ids.forum);
  });

  it('rejects invalid sends the way Discord does', async () => {
    const c = await readyClient();
    const channel = textChannel(c, ids.support);
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ code: 50035, status: 400 });
    await expect(channel.messages.edit('1234567890123456789', 'nope')).rejects.toMatchObject({
      code: 10008,
      status: 404,
    });
    const forum = c.channels.cache.get(ids.forum) as ForumChannel;
    await expect(
      c.rest.post(`/channels/${forum.id}/messages`, { body: { content: 'not here' } }),
    ).rejects.toMatchObject({ code: 50008 });
  });

  it('honours an injected 429 on POST /channels/:id/messages and retries', async () => {
    const c = await readyClient();
    emulator.rateLimit({ route: 'POST /channels/:id/messages', times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const sent = await textChannel(c, ids.support).send('after the limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sent.content).toBe('after the limit');
    expect(emulator.callsTo('POST /channels/:id/messages').map((call) => call.status)).toEqual([429, 200]);
  });

  it('retries an injected 500 and surfaces a 403', async () => {
    const c = await readyClient();
    emulator.failHttp({ route: /POST \/channels\/\d+\/messages$/, status: 500, times: 1 });
    await textChannel(c, ids.support).send('one');
    expect(emulator.callsTo('POST /channels/:id/messages').map((call) => call.status)).toEqual([500, 200]);
    emulator.failHttp({
      route: 'POST /channels/:id/messages',
      status: 403,
      times: 1,
      body: { message: 'Missing Permissions', code: 50013 },
    });
    await expect(textChannel(c, ids.support).send('two')).rejects.toMatchObject({ code: 50013, status: 403 });
  });
});

describe('interactions', () => {
  it('delivers a slash command and resolves with the ephemeral reply (type 4)', async () => {
    const c = await readyClient();
    const seen: ChatInputCommandInteraction[] = [];
    c.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push(interaction);
      await interaction.reply({ content: 'Claimed.', flags: MessageFlags.Ephemeral });
    });
    const callback = await emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
      subcommand: 'claim',
      options: [
        { name: 'note', type: 3, value: 'on it' },
        { name: 'customer', type: 6, value: ids.alice },
      ],
    });
    expect(callback).toEqual({ type: 4, data: expect.objectContaining({ content: 'Claimed.', flags: 64 }) });
    const interaction = seen[0];
    expect(interaction?.commandName).toBe('heed');
    expect(interaction?.options.getSubcommand()).toBe('claim');
    expect(interaction?.options.getString('note')).toBe('on it');
    expect(interaction?.options.getUser('customer')?.id).toBe(ids.alice);
    expect(interaction?.member?.user.id).toBe(ids.bob);
    expect(interaction?.inGuild()).toBe(true);
    expect(interaction?.channelId).toBe(ids.staff);

    const record = emulator.interactions()[0];
    const again = await fetch(`${emulator.apiUrl}/v10/interactions/${record?.id}/${record?.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });
  });

  it('routes deferReply, editReply and followUp to the interaction webhook', async () => {
    const c = await readyClient();
    c.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.editReply('Queue: 3 open issues');
      await interaction.followUp({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    });
    const callback = await emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
      subcommand: 'queue',
    });
    expect(callback.type).toBe(5);
    const edit = await emulator.waitForCall('PATCH /webhooks/:app/:token/messages/@original');
    expect(edit.body).toMatchObject({ content: 'Queue: 3 open issues' });
    expect(edit.status).toBe(200);
    const follow = await emulator.waitForCall('POST /webhooks/:app/:token');
    expect(follow.body).toMatchObject({ content: 'Only you can see this', flags: 64 });
    expect(follow.path.startsWith(`/webhooks/${ids.app}/`)).toBe(true);
    const contents = emulator.messages(ids.staff).map((m) => [m.content, m.flags]);
    expect(contents).toEqual([
      ['Queue: 3 open issues', 0],
      ['Only you can see this', 64],
    ]);
  });

  it('accepts at most 25 autocomplete choices of 1–100 characters, and only as the answer to an autocomplete', async () => {
    await readyClient();
    const typing = () =>
      emulator.autocomplete({
        guildId: ids.guild,
        channelId: ids.staff,
        userId: ids.bob,
        name: 'heed',
        subcommand: 'answer',
        options: [{ name: 'reply', type: 3, value: 're' }],
        focused: 'reply',
        timeoutMs: 5_000,
      });
    const answer = (interaction: { id: string; token: string }, body: unknown) =>
      fetch(`${emulator.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = typing();
    expect(first.interaction).toMatchObject({ type: 4 });
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ name: `reply ${i}`, value: `r${i}` }));
    const refused = await answer(first, { type: 8, data: { choices: tooMany } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: 50035,
      errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
    const longName = await answer(first, {
      type: 8,
      data: { choices: [{ name: 'x'.repeat(101), value: 'a' }] },
    });
    expect(longName.status).toBe(400);
    const wrongType = await answer(first, { type: 4, data: { content: 'hi' } });
    expect(await wrongType.json()).toMatchObject({
      code: 50035,
      errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID' }] } },
    });
    expect((await answer(first, { type: 8, data: { choices: tooMany.slice(0, 25) } })).status).toBe(204);
    await expect(first).resolves.toMatchObject({ type: 8 });
  });

  it('checks a string select in a modal: 1–25 options, labels and values of 1–100 characters, values unique', async () => {
    await readyClient();
    const modalWith = (options: unknown[]) => ({
      type: 9,
      data: {
        custom_id: 'heed-form:answer:1',
        title: 'Answer #1',
        components: [{ type: 18, label: 'Saved reply', component: { type: 3, custom_id: 'reply', options } }],
      },
    });
    const open = async (body: unknown) => {
      const pending = emulator.slashCommand({
        guildId: ids.guild,
        channelId: ids.staff,
        userId: ids.bob,
        name: 'heed',
        subcommand: 'answer',
        timeoutMs: 5_000,
      });
      const response = await fetch(
        `${emulator.apiUrl}/v10/interactions/${pending.id}/${pending.token}/callback`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
      pending.catch(() => undefined);
      return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
    };
    const option = (i: number) => ({ label: `Reply ${i}`, value: `r${i}` });
    expect((await open(modalWith(Array.from({ length: 25 }, (_, i) => option(i))))).status).toBe(204);
    const tooMany = await open(modalWith(Array.from({ length: 26 }, (_, i) => option(i))));
    expect(tooMany).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(JSON.stringify(tooMany.body)).toContain('BASE_TYPE_BAD_LENGTH');
    const twice = await open(modalWith([option(1), option(1)]));
    expect(JSON.stringify(twice.body)).toContain('SELECT_COMPONENT_OPTION_VALUE_DUPLICATED');
    const longLabel = await open(modalWith([{ label: 'x'.repeat(101), value: 'a' }]));
    expect(longLabel.status).toBe(400);
  });

  it('rejects the helper promise when the bot does not answer in time', async () => {
    await readyClient();
    const pending = emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
      subcommand: 'help',
      timeoutMs: 200,
    });
    await expect(pending).rejects.toThrow(/not acknowledged/);
    const late = await fetch(`${emulator.apiUrl}/v10/interactions/${pending.id}/${pending.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    expect(late.status).toBe(404);
    expect(await late.json()).toMatchObject({ code: 10062 });
  });

  it('delivers a button press as a ButtonInteraction and applies update() to the message', async () => {
    const c = await readyClient();
    const card = await textChannel(c, ids.staff).send({
      content: 'New issue from Alice',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('heed:claim:42').setLabel('Claim').setStyle(ButtonStyle.Primary),
        ),
      ],
    });
    const customIds: string[] = [];
    c.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (!interaction.isButton()) return;
      customIds.push(interaction.customId);
      expect(interaction.message.id).toBe(card.id);
      await interaction.update({ content: 'Claimed by Bob', components: [] });
    });
    const callback = await emulator.buttonPress({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      customId: 'heed:claim:42',
      messageId: card.id,
    });
    expect(customIds).toEqual(['heed:claim:42']);
    expect(callback.type).toBe(7);
    expect(emulator.message(card.id)).toMatchObject({ content: 'Claimed by Bob', components: [] });
    expect(() =>
      emulator.buttonPress({
        userId: ids.bob,
        customId: 'heed:unknown',
        messageId: card.id,
        guildId: ids.guild,
      }),
    ).toThrow(/no component heed:unknown/);
  });

  it('exposes modal fields to getTextInputValue, mirroring the label layout of the modal', async () => {
    const c = await readyClient();
    const reasons: string[] = [];
    c.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (interaction.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('heed:handoff:42')
          .setTitle('Hand off')
          .addLabelComponents(
            new LabelBuilder()
              .setLabel('Reason')
              .setTextInputComponent(
                new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph),
              ),
          );
        await interaction.showModal(modal);
        return;
      }
      if (interaction.isModalSubmit()) {
        reasons.push(interaction.fields.getTextInputValue('reason'));
        await interaction.reply({ content: 'Handed off', flags: MessageFlags.Ephemeral });
      }
    });
    const opened = await emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
      subcommand: 'handoff',
    });
    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe('heed:handoff:42');
    const submitted = emulator.modalSubmit({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      customId: 'heed:handoff:42',
      fields: { reason: 'Going on holiday' },
    });
    expect((submitted.interaction.data as { components: Array<{ type: number }> }).components[0]?.type).toBe(
      18,
    );
    expect((await submitted).type).toBe(4);
    expect(reasons).toEqual(['Going on holiday']);
  });

  it('uses the ids of commands registered with PUT /applications/:app/commands', async () => {
    const c = await readyClient();
    const registered = await c.application?.commands.set([
      { name: 'heed', description: 'Heed support commands', options: [] },
    ]);
    const id = registered?.first()?.id;
    expect(emulator.callsTo('PUT /applications/:app/commands')[0]?.body).toEqual([
      expect.objectContaining({ name: 'heed', description: 'Heed support commands' }),
    ]);
    const commandIds: string[] = [];
    c.on(Events.InteractionCreate, async (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      commandIds.push(interaction.commandId);
      await interaction.reply('ok');
    });
    await emulator.slashCommand({ guildId: ids.guild, channelId: ids.staff, userId: ids.bob, name: 'heed' });
    expect(commandIds).toEqual([id]);
    await expect(c.application?.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject(
      {
        code: 50035,
      },
    );
  });
});

describe('gateway: resume', () => {
  it('resumes after a dropped connection and replays a message sent while disconnected exactly once', async () => {
    const c = await readyClient();
    const seen: string[] = [];
    const raw: number[] = [];
    c.on(Events.MessageCreate, (m) => seen.push(m.content));
    c.on(Events.Raw, (packet: { t?: string; s?: number }) => {
      if (packet.t === 'MESSAGE_CREATE' && packet.s !== undefined) raw.push(packet.s);
    });
    emulator.dropConnection();
    expect(emulator.connected).toBe(false);
    const missed = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'while away',
    });
    await emulator.waitForReady(5000);
    await expect.poll(() => seen, { timeout: 3000 }).toEqual(['while away']);
    await pause(300);
    expect(raw).toEqual([missed.s]);
    expect(emulator.resumeCount).toBe(1);
    expect(emulator.identifyCount).toBe(1);
    expect(emulator.closeCodes).toContain(4000);
    emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'after',
    });
    await expect.poll(() => seen).toEqual(['while away', 'after']);
  });

  it('ends the session on a clean client close: later dispatches are lost, the next login identifies', async () => {
    const first = await readyClient();
    await first.destroy();
    await expect.poll(() => emulator.connected).toBe(false);
    const lost = emulator.sendMessage({
      guildId: ids.guild,
      channelId: ids.support,
      authorId: ids.alice,
      content: 'lost',
    });
    expect(lost.s).toBeNull();
    expect(emulator.undelivered).toHaveLength(1);
    expect(emulator.closeCodes).toContain(1000);
    const second = await readyClient();
    expect(emulator.identifyCount).toBe(2);
    expect(second.guilds.cache.has(ids.guild)).toBe(true);
  });

  it('re-identifies after a non-resumable INVALID_SESSION (throttled: about 5 s after the last identify)', async () => {
    await readyClient();
    emulator.invalidateSession(false);
    await expect.poll(() => emulator.identifyCount, { timeout: 8000 }).toBe(2);
    await emulator.waitForReady(3000);
    expect(emulator.resumeCount).toBe(0);
  });
});

// --- What Discord refuses: 400 50035 "Invalid Form Body" with its error tree (limits.ts) ---

interface RawResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** A raw REST call with the bot's token, as discord.js would make it but without its own checks. */
async function rest(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const response = await fetch(`${emulator.apiUrl}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${ids.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Discord's answer for one field: `{ code: 50035, message, errors: { a: { 0: { b: { _errors } } } } }`. */
function formError(path: string, code: string, message: string): unknown {
  const tree = path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), { _errors: [{ code, message }] });
  return { code: 50035, message: 'Invalid Form Body', errors: tree };
}

const maxLength = (path: string, max: number) =>
  formError(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
const badLength = (path: string, min: number, max: number) =>
  formError(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);

const x = (n: number) => 'x'.repeat(n);
const button = (customId: string, label = 'Claim') => ({ type: 2, style: 1, custom_id: customId, label });
const row = (...components: unknown[]) => ({ type: 1, components });
const buttons = (n: number, prefix = 'b') => Array.from({ length: n }, (_, i) => button(`${prefix}${i}`));

interface LimitCase {
  rule: string;
  atLimit: Record<string, unknown>;
  over: Record<string, unknown>;
  error: unknown;
}

const messageCases: LimitCase[] = [
  {
    rule: 'content: 2000 characters',
    atLimit: { content: x(2000) },
    over: { content: x(2001) },
    error: maxLength('content', 2000),
  },
  {
    rule: 'embeds: 10 per message',
    atLimit: { embeds: Array.from({ length: 10 }, () => ({ title: 't' })) },
    over: { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) },
    error: maxLength('embeds', 10),
  },
  {
    rule: 'embed title: 256',
    atLimit: { embeds: [{ title: x(256) }] },
    over: { embeds: [{ title: x(257) }] },
    error: maxLength('embeds.0.title', 256),
  },
  {
    rule: 'embed description: 4096',
    atLimit: { embeds: [{ description: x(4096) }] },
    over: { embeds: [{ description: x(4097) }] },
    error: maxLength('embeds.0.description', 4096),
  },
  {
    rule: 'embed fields: 25',
    atLimit: { embeds: [{ fields: Array.from({ length: 25 }, () => ({ name: 'n', value: 'v' })) }] },
    over: { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
    error: maxLength('embeds.0.fields', 25),
  },
  {
    rule: 'embed field name: 256',
    atLimit: { embeds: [{ fields: [{ name: x(256), value: 'v' }] }] },
    over: { embeds: [{ fields: [{ name: x(257), value: 'v' }] }] },
    error: maxLength('embeds.0.fields.0.name', 256),
  },
  {
    rule: 'embed field value: 1024',
    atLimit: { embeds: [{ fields: [{ name: 'n', value: x(1024) }] }] },
    over: { embeds: [{ fields: [{ name: 'n', value: x(1025) }] }] },
    error: maxLength('embeds.0.fields.0.value', 1024),
  },
  {
    rule: 'embed field value: required, blank once trimmed',
    atLimit: { embeds: [{ fields: [{ name: 'n', value: '\u200b' }] }] },
    over: { embeds: [{ fields: [{ name: 'n', value: '  ' }] }] },
    error: formError('embeds.0.fields.0.value', 'BASE_TYPE_REQUIRED', 'This field is required'),
  },
  {
    rule: 'embed footer text: 2048',
    atLimit: { embeds: [{ footer: { text: x(2048) } }] },
    over: { embeds: [{ footer: { text: x(2049) } }] },
    error: maxLength('embeds.0.footer.text', 2048),
  },
  {
    rule: 'embed author name: 256 (trimmed, as Discord measures)',
    atLimit: { embeds: [{ author: { name: ` ${x(256)}\n` } }] },
    over: { embeds: [{ author: { name: x(257) } }] },
    error: maxLength('embeds.0.author.name', 256),
  },
  {
    rule: 'embeds: 6000 characters in total',
    atLimit: { embeds: [{ description: x(4096) }, { title: x(256), description: x(1648) }] },
    over: { embeds: [{ description: x(4096) }, { title: x(256), description: x(1649) }] },
    error: formError('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000'),
  },
  {
    rule: 'action rows: 5',
    atLimit: { components: Array.from({ length: 5 }, (_, i) => row(button(`r${i}`))) },
    over: { components: Array.from({ length: 6 }, (_, i) => row(button(`r${i}`))) },
    error: maxLength('components', 5),
  },
  {
    rule: 'buttons in a row: 1 to 5',
    atLimit: { components: [row(...buttons(5))] },
    over: { components: [row(...buttons(6))] },
    error: badLength('components.0.components', 1, 5),
  },
  {
    rule: 'an action row is never empty',
    atLimit: { components: [row(button('a'))] },
    over: { components: [row()] },
    error: badLength('components.0.components', 1, 5),
  },
  {
    rule: 'button label: 80',
    atLimit: { components: [row(button('a', x(80)))] },
    over: { components: [row(button('a', x(81)))] },
    error: maxLength('components.0.components.0.label', 80),
  },
  {
    rule: 'custom_id: 1 to 100',
    atLimit: { components: [row(button(x(100)))] },
    over: { components: [row(button(x(101)))] },
    error: badLength('components.0.components.0.custom_id', 1, 100),
  },
  {
    rule: 'custom_id: unique in a message (the second one is flagged)',
    atLimit: { components: [row(button('heed:claim:1')), row(button('heed:resolve:1'))] },
    over: { components: [row(button('heed:claim:1')), row(button('heed:claim:1'))] },
    error: formError(
      'components.1.components.0.custom_id',
      'COMPONENT_CUSTOM_ID_DUPLICATED',
      'Component custom id was already specified',
    ),
  },
  {
    rule: 'a non-link button needs a custom_id',
    atLimit: { components: [row({ type: 2, style: 5, label: 'Docs', url: 'https://example.com' })] },
    over: { components: [row({ type: 2, style: 1, label: 'Claim' })] },
    error: formError('components.0.components.0.custom_id', 'BASE_TYPE_REQUIRED', 'This field is required'),
  },
  {
    rule: 'allowed_mentions.users: 100 ids',
    atLimit: {
      content: 'hi',
      allowed_mentions: { parse: [], users: Array.from({ length: 100 }, (_, i) => `${i + 1}`) },
    },
    over: {
      content: 'hi',
      allowed_mentions: { parse: [], users: Array.from({ length: 101 }, (_, i) => `${i + 1}`) },
    },
    error: maxLength('allowed_mentions.users', 100),
  },
  {
    rule: 'allowed_mentions: parse and a list of the same kind are exclusive',
    atLimit: { content: 'hi', allowed_mentions: { parse: ['roles'], users: [ids.alice] } },
    over: { content: 'hi', allowed_mentions: { parse: ['users'], users: [ids.alice] } },
    error: formError(
      'allowed_mentions',
      'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
      'parse:["users"] and users: [ids...] are mutually exclusive.',
    ),
  },
];

describe('what Discord refuses in a message (POST /channels/{id}/messages)', () => {
  it.each(messageCases)('$rule: at the limit it is sent, one over → 50035', async (limit) => {
    // These tests are about the body, not the pace: each post starts a fresh rate-limit window.
    emulator.resetRateLimits();
    const sent = await rest('POST', `/channels/${ids.support}/messages`, limit.atLimit);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    emulator.resetRateLimits();
    const refused = await rest('POST', `/channels/${ids.support}/messages`, limit.over);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(limit.error);
    expect(emulator.messages(ids.support)).toHaveLength(1);
  });

  it('applies the same rules to edits and to interaction replies (paths under data)', async () => {
    const sent = await rest('POST', `/channels/${ids.support}/messages`, { content: 'ok' });
    const id = (sent.body as { id: string }).id;
    const edited = await rest('PATCH', `/channels/${ids.support}/messages/${id}`, { content: x(2001) });
    expect(edited.body).toEqual(maxLength('content', 2000));
    const command = emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
    });
    const reply = await rest('POST', `/interactions/${command.id}/${command.token}/callback`, {
      type: 4,
      data: { components: [row(button('a', x(81)))] },
    });
    expect(reply.body).toEqual(maxLength('data.components.0.components.0.label', 80));
    const ok = await rest('POST', `/interactions/${command.id}/${command.token}/callback`, {
      type: 4,
      data: { content: x(2000) },
    });
    expect(ok.status).toBe(204);
    await command;
  });

  it('reports every broken field of one message together', async () => {
    const refused = await rest('POST', `/channels/${ids.support}/messages`, {
      content: x(2001),
      embeds: [{ title: x(257) }],
    });
    expect(refused.body).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
        embeds: {
          0: {
            title: {
              _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }],
            },
          },
        },
      },
    });
  });
});

const textInput = (customId: string, extra: Record<string, unknown> = {}) => ({
  type: 4,
  custom_id: customId,
  style: 2,
  ...extra,
});
const label = (text: string, component: unknown) => ({ type: 18, label: text, component });
const modal = (extra: Record<string, unknown> = {}) => ({
  custom_id: 'heed-form:resolve:1',
  title: 'Resolve #1',
  components: [label('What fixed it?', textInput('summary'))],
  ...extra,
});

const modalCases: LimitCase[] = [
  {
    rule: 'title: 1 to 45',
    atLimit: modal({ title: x(45) }),
    over: modal({ title: x(46) }),
    error: badLength('data.title', 1, 45),
  },
  {
    rule: 'title: never empty',
    atLimit: modal({ title: 'x' }),
    over: modal({ title: '' }),
    error: badLength('data.title', 1, 45),
  },
  {
    rule: 'custom_id: 1 to 100',
    atLimit: modal({ custom_id: x(100) }),
    over: modal({ custom_id: x(101) }),
    error: badLength('data.custom_id', 1, 100),
  },
  {
    rule: 'components: 1 to 5',
    atLimit: modal({ components: Array.from({ length: 5 }, (_, i) => label(`Q${i}`, textInput(`q${i}`))) }),
    over: modal({ components: Array.from({ length: 6 }, (_, i) => label(`Q${i}`, textInput(`q${i}`))) }),
    error: badLength('data.components', 1, 5),
  },
  {
    rule: 'components: at least one',
    atLimit: modal(),
    over: modal({ components: [] }),
    error: badLength('data.components', 1, 5),
  },
  {
    rule: 'label: 1 to 45',
    atLimit: modal({ components: [label(x(45), textInput('summary'))] }),
    over: modal({ components: [label(x(46), textInput('summary'))] }),
    error: badLength('data.components.0.label', 1, 45),
  },
  {
    rule: 'text input label (action row layout): 1 to 45',
    atLimit: modal({ components: [row(textInput('summary', { label: x(45) }))] }),
    over: modal({ components: [row(textInput('summary', { label: x(46) }))] }),
    error: badLength('data.components.0.components.0.label', 1, 45),
  },
  {
    rule: 'text input value: 4000',
    atLimit: modal({ components: [label('Q', textInput('summary', { value: x(4000) }))] }),
    over: modal({ components: [label('Q', textInput('summary', { value: x(4001) }))] }),
    error: maxLength('data.components.0.component.value', 4000),
  },
  {
    rule: 'text input placeholder: 100',
    atLimit: modal({ components: [label('Q', textInput('summary', { placeholder: x(100) }))] }),
    over: modal({ components: [label('Q', textInput('summary', { placeholder: x(101) }))] }),
    error: maxLength('data.components.0.component.placeholder', 100),
  },
  {
    rule: 'text input max_length: 1 to 4000',
    atLimit: modal({ components: [label('Q', textInput('summary', { max_length: 4000 }))] }),
    over: modal({ components: [label('Q', textInput('summary', { max_length: 4001 }))] }),
    error: formError(
      'data.components.0.component.max_length',
      'NUMBER_TYPE_MAX',
      'int value should be less than or equal to 4000.',
    ),
  },
  {
    rule: 'text input min_length: 0 to 4000',
    atLimit: modal({ components: [label('Q', textInput('summary', { min_length: 0 }))] }),
    over: modal({ components: [label('Q', textInput('summary', { min_length: -1 }))] }),
    error: formError(
      'data.components.0.component.min_length',
      'NUMBER_TYPE_MIN',
      'int value should be greater than or equal to 0.',
    ),
  },
  {
    rule: 'text input custom_id: 1 to 100',
    atLimit: modal({ components: [label('Q', textInput(x(100)))] }),
    over: modal({ components: [label('Q', textInput(x(101)))] }),
    error: badLength('data.components.0.component.custom_id', 1, 100),
  },
  {
    rule: 'text input custom_ids: unique in the modal',
    atLimit: modal({ components: [label('A', textInput('a')), label('B', textInput('b'))] }),
    over: modal({ components: [label('A', textInput('a')), label('B', textInput('a'))] }),
    error: formError(
      'data.components.1.component.custom_id',
      'COMPONENT_CUSTOM_ID_DUPLICATED',
      'Component custom id was already specified',
    ),
  },
];

describe('what Discord refuses in a modal (interaction callback type 9)', () => {
  const open = async (data: unknown) => {
    const command = emulator.slashCommand({
      guildId: ids.guild,
      channelId: ids.staff,
      userId: ids.bob,
      name: 'heed',
    });
    const answer = await rest('POST', `/interactions/${command.id}/${command.token}/callback`, {
      type: 9,
      data,
    });
    return { command, answer };
  };

  it.each(modalCases)('$rule: at the limit it opens, one over → 50035', async (limit) => {
    const refused = await open(limit.over);
    expect(refused.answer.status).toBe(400);
    expect(refused.answer.body).toEqual(limit.error);
    const opened = await open(limit.atLimit);
    expect(opened.answer.status, JSON.stringify(opened.answer.body)).toBe(204);
    expect((await opened.command).type).toBe(9);
  });
});

describe('what Discord refuses in a thread or a forum post', () => {
  it('thread names: 1 to 100 characters, from a message and without one', async () => {
    const starter = await rest('POST', `/channels/${ids.support}/messages`, { content: 'help' });
    const mid = (starter.body as { id: string }).id;
    const fromMessage = `/channels/${ids.support}/messages/${mid}/threads`;
    expect((await rest('POST', fromMessage, { name: x(101) })).body).toEqual(badLength('name', 1, 100));
    expect((await rest('POST', fromMessage, { name: '' })).body).toEqual(badLength('name', 1, 100));
    expect((await rest('POST', fromMessage, { name: x(100) })).status).toBe(201);
    const without = `/channels/${ids.support}/threads`;
    expect((await rest('POST', without, { name: x(101), type: 11 })).body).toEqual(badLength('name', 1, 100));
    expect((await rest('POST', without, { name: x(100), type: 11 })).status).toBe(201);
    const rename = await rest('PATCH', `/channels/${mid}`, { name: x(101) });
    expect(rename.body).toEqual(badLength('name', 1, 100));
  });

  it('forum posts: the name, the starter message (under message) and 5 tags', async () => {
    const post = (body: Record<string, unknown>) => rest('POST', `/channels/${ids.forum}/threads`, body);
    expect((await post({ name: x(101), message: { content: 'q' } })).body).toEqual(badLength('name', 1, 100));
    expect((await post({ name: 'q', message: { content: x(2001) } })).body).toEqual(
      maxLength('message.content', 2000),
    );
    expect(
      (await post({ name: 'q', message: { content: 'q' }, applied_tags: Array(6).fill(ids.tagBilling) }))
        .body,
    ).toEqual(maxLength('applied_tags', 5));
    expect((await post({ name: 'q' })).body).toEqual(
      formError('message', 'BASE_TYPE_REQUIRED', 'This field is required'),
    );
    expect((await post({ name: x(100), message: { content: x(2000) } })).status).toBe(201);
  });
});

describe('rate limits: POST /channels/{id}/messages, 5 per 5 s per channel', () => {
  const post = (channel: string, content: string) =>
    rest('POST', `/channels/${channel}/messages`, { content });

  it('answers a burst beyond 5 with 429, Discord’s headers and retry_after; other channels are unaffected', async () => {
    const burst = await Promise.all(Array.from({ length: 7 }, (_, i) => post(ids.support, `m${i}`)));
    const other = await post(ids.staff, 'elsewhere');

    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    const accepted = burst.filter((r) => r.status === 200);
    expect(accepted.map((r) => r.headers.get('x-ratelimit-remaining')).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
    ]);
    const bucket = accepted[0]?.headers.get('x-ratelimit-bucket');
    for (const r of burst) {
      expect(r.headers.get('x-ratelimit-limit')).toBe('5');
      expect(r.headers.get('x-ratelimit-bucket')).toBe(bucket);
      expect(Number(r.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(5);
      expect(Number(r.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
    }
    const limited = burst.find((r) => r.status === 429);
    expect(limited?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited?.headers.get('x-ratelimit-scope')).toBe('user');
    expect(Number(limited?.headers.get('retry-after'))).toBe(5);
    const body = limited?.body as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(4);
    expect(body.retry_after).toBeLessThanOrEqual(5);

    // The refused posts were not stored; the other channel has a window of its own, in the same bucket.
    expect(emulator.messages(ids.support)).toHaveLength(5);
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(other.headers.get('x-ratelimit-bucket')).toBe(bucket);
    // Routes without a modelled bucket are not limited and carry no rate-limit headers.
    const read = await rest('GET', `/channels/${ids.support}/messages`);
    expect(read.status).toBe(200);
    expect(read.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('lets discord.js pace a flood from the headers alone: every message, in order, no 429', async () => {
    await emulator.close();
    // Same counts, 500 ms windows: the pacing is the point, not Discord's real 5 seconds.
    emulator = await startTestEmulator({ rateLimits: { timeScale: 0.1 } });
    const c = await readyClient();
    const channel = textChannel(c, ids.support);
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send(`flood ${i}`)));
    const calls = emulator.callsTo('POST /channels/:id/messages');
    expect(calls.every((call) => call.status === 200)).toBe(true);
    expect(emulator.messages(ids.support).map((m) => m.content)).toEqual(
      Array.from({ length: 12 }, (_, i) => `flood ${i}`),
    );
    // Three windows: the 6th and 11th message waited for the next one.
    expect(calls[5]!.at - calls[0]!.at).toBeGreaterThanOrEqual(450);
    expect(calls[10]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
