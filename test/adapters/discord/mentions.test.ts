import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { D, type DiscordHarness, startDiscordHarness } from './discord-fixture.ts';

/** Everything a customer (or a careless colleague) could type to ping or mislead people. */
const CORPUS = `@everyone @here <@&${D.staffRole}> <@${D.staff}> <@!${D.sam}> <#${D.teamChannel}> [click](https://evil.example) **urgent**`;

interface Body {
  content?: string;
  embeds?: unknown[];
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[] };
}

let h: DiscordHarness;
// Sam is relayed by name on his reply, the manager is pinged on the escalation, Olivia is paged as on-call.
const intended = new Set<string>([D.sam, D.manager, D.staff]);

beforeAll(async () => {
  h = await startDiscordHarness();
  // Mallory's display name carries a mention too, and shows up in the acknowledgement and on the card.
  const said = h.say(D.mallory, CORPUS);
  await h.issueFor((said.d as { id: string }).id);
  const answered = (id: string) =>
    h.emulator.waitForCall('PATCH /webhooks/:app/:token/messages/@original', (c) => c.path.includes(id));
  const claim = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId: D.sam,
    name: 'heed',
    subcommand: 'claim',
    options: [{ name: 'issue', type: 3, value: '#1' }],
  });
  await answered(claim.id);
  // Staff text relayed to the customer, and an escalation whose reason is posted in the team channel.
  const reply = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId: D.sam,
    name: 'heed',
    subcommand: 'reply',
    options: [
      { name: 'issue', type: 3, value: '#1' },
      { name: 'message', type: 3, value: `Thanks! ${CORPUS}` },
    ],
  });
  await answered(reply.id);
  const escalate = h.emulator.slashCommand({
    guildId: D.guild,
    channelId: D.teamChannel,
    userId: D.sam,
    name: 'heed',
    subcommand: 'escalate',
    options: [
      { name: 'issue', type: 3, value: '#1' },
      { name: 'reason', type: 3, value: `Customer wrote ${CORPUS}` },
    ],
  });
  await answered(escalate.id);
});

afterAll(async () => {
  await h.close();
});

describe('mentions a customer or a colleague typed never ping anyone', () => {
  it('sends every payload with allowed_mentions parse [] and only Heed’s intended users', () => {
    const payloads = h.messagePayloads();
    expect(payloads.length).toBeGreaterThanOrEqual(8);
    for (const call of payloads) {
      const allowed = (call.body as Body).allowed_mentions;
      const where = `${call.method} ${call.path}`;
      expect(allowed?.parse, where).toEqual([]);
      expect(allowed?.roles ?? [], where).toEqual([]);
      for (const id of allowed?.users ?? []) expect(intended.has(id), `${where} allows ${id}`).toBe(true);
    }
  });

  it('neutralises the mention syntax itself in contents and embeds', () => {
    for (const call of h.messagePayloads()) {
      const body = call.body as Body;
      const text = `${body.content ?? ''}\n${JSON.stringify(body.embeds ?? [])}`;
      const where = `${call.method} ${call.path}: ${text}`;
      expect(text, where).not.toMatch(/@(everyone|here)/);
      expect(text, where).not.toMatch(/<@&\d/);
      expect(text, where).not.toMatch(/<#\d/);
      expect(text, where).not.toMatch(/(?<!\\)\[click\]\(/);
      for (const [, id] of text.matchAll(/<@!?(\d+)>/g)) expect(intended.has(id ?? ''), where).toBe(true);
    }
  });

  it('leaves Discord nothing to ping in what it stored', () => {
    const channels = new Set(h.messagePayloads().map((call) => call.path.split('/')[2] ?? ''));
    const sent = [...channels].flatMap((id) => h.emulator.messages(id)).filter((m) => m.author.id === D.bot);
    expect(sent.length).toBeGreaterThan(0);
    for (const message of sent) {
      expect(message.mention_everyone).toBe(false);
      expect(message.mention_roles).toEqual([]);
      for (const user of message.mentions) expect(intended.has(user.id)).toBe(true);
    }
    const relayed = sent.find((m) => m.content.startsWith(`<@${D.sam}>: Thanks!`));
    expect(relayed?.mentions.map((u) => u.id)).toEqual([D.sam]);
  });
});
