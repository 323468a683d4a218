import { afterEach, expect, it } from 'vitest';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

let h: DiscordHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messageId = (payload: { d: unknown }): string => (payload.d as { id: string }).id;

it('honours a 429 on the staff channel, logs it without the token, and keeps answering customers meanwhile', async () => {
  h = await startDiscordHarness();
  const harness = h;
  harness.emulator.rateLimit({
    route: `POST /channels/${D.teamChannel}/messages`,
    times: 1,
    retryAfterSeconds: 1,
  });
  const first = harness.say(D.customer, 'The dashboard shows no data');
  await harness.emulator.waitForCall(`POST /channels/${D.teamChannel}/messages`, (c) => c.status === 429);
  // While the staff channel waits, another customer's acknowledgement goes out in its own thread.
  const second = harness.say(D.eve, 'My avatar will not upload');
  const secondAck = await harness.emulator.waitForCall(`POST /channels/${messageId(second)}/messages`);
  const issue = await harness.issueFor(messageId(first));

  // Dana's card: refused once, then sent again after Discord's retry_after (Eve's card may pass between).
  const cards = harness.emulator
    .callsTo(`POST /channels/${D.teamChannel}/messages`)
    .filter((c) => String((c.body as { content?: string }).content).includes('#1'));
  expect(cards.map((c) => c.status).slice(0, 2)).toEqual([429, 200]);
  expect(cards[1]!.at - cards[0]!.at).toBeGreaterThanOrEqual(900);
  expect(secondAck.at).toBeLessThan(cards[1]!.at);
  expect(issue.card?.channel).toBe(D.teamChannel);

  const warning = harness.logs.find((line) => line.msg.startsWith('Discord rate limit'));
  expect(warning).toMatchObject({
    level: 40,
    route: '/channels/:id/messages',
    method: 'POST',
    global: false,
  });
  expect(Number(warning?.retryAfter)).toBeGreaterThanOrEqual(900);
  expect(JSON.stringify(harness.logs)).not.toContain(D.token);
});

it('logs a refused send with Discord’s code but without customer text, tokens or URLs', async () => {
  h = await startDiscordHarness();
  const harness = h;
  harness.emulator.failHttp({
    route: `POST /channels/${D.teamChannel}/messages`,
    status: 403,
    times: 1,
    body: { message: 'Missing Permissions', code: 50013 },
  });
  const said = harness.say(D.customer, 'secret-customer-words about my account');
  await harness.emulator.waitForCall(`POST /channels/${messageId(said)}/messages`);
  await expect.poll(() => harness.logs.some((line) => line.msg.startsWith('chat effect failed'))).toBe(true);
  const failure = harness.logs.find((line) => line.msg.startsWith('chat effect failed'));
  expect(failure).toMatchObject({ effect: 'card', err: { code: 'discord-api-50013' } });

  // An interaction whose answer cannot be delivered: its token is in the webhook URL.
  harness.emulator.failHttp({
    route: 'PATCH /webhooks/:app/:token/messages/@original',
    status: 404,
    times: 2,
  });
  const command = harness.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId: D.sam,
    name: 'heed',
    subcommand: 'mine',
  });
  await command;
  await expect.poll(() => harness.logs.some((line) => line.msg === 'interaction failed')).toBe(true);

  const logged = JSON.stringify(harness.logs);
  expect(logged).not.toContain('secret-customer-words');
  expect(logged).not.toContain(D.token);
  expect(logged).not.toContain(command.token);
  expect(logged).not.toContain('/webhooks/');
});
