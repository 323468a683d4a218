/**
 * Files, edits and deletions on Discord, through the real discord.js client and the real core: the
 * customer's attachments and link embeds reach the card (an image as its preview), an edit of the first
 * message changes the card's quote and is kept in the ledger, a deletion leaves the issue open with a note.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Issue } from '../../../src/domain/issue.ts';
import { D, type DiscordHarness, snowflakeAt, startDiscordHarness } from './discord-fixture.ts';

let h: DiscordHarness;

beforeEach(async () => {
  h = await startDiscordHarness();
});

afterEach(async () => {
  await h.close();
});

const shot = {
  id: '1800000000000000001',
  filename: 'error-500.png',
  content_type: 'image/png',
  size: 48_213,
  url: 'https://cdn.discordapp.com/attachments/1300000000000000001/1800000000000000001/error-500.png?ex=6760&is=675e&hm=ab12',
  proxy_url: 'https://media.discordapp.net/attachments/1300000000000000001/1800000000000000001/error-500.png',
  width: 800,
  height: 600,
};

/** Card edits (PATCH of the card message) in the team channel, newest last. */
function cardEdits(issue: Issue) {
  return h.emulator.calls.filter(
    (call) =>
      call.route === 'PATCH /channels/:id/messages/:mid' && call.path.endsWith(`/messages/${issue.card!.id}`),
  );
}

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('files, edits and deletions on Discord', () => {
  it('records attachments and link embeds, lists them on the card and previews the image', async () => {
    const id = snowflakeAt(h.clock.now());
    h.emulator.sendMessage({
      guildId: D.guild,
      channelId: D.customerChannel,
      authorId: D.customer,
      content: 'Export broken, see https://status.example.com',
      id,
      attachments: [shot],
      embeds: [{ type: 'link', url: 'https://status.example.com/', title: 'Example status' }],
    });
    const issue = await h.issueFor(id);
    expect(issue.messages[0]?.files).toEqual([
      { name: 'error-500.png', type: 'image/png', size: 48_213, url: shot.url },
      { name: 'Example status', type: 'embed:link', url: 'https://status.example.com/' },
    ]);
    const card = h.emulator.calls.find(
      (call) => call.route === 'POST /channels/:id/messages' && call.path.includes(D.teamChannel),
    )!;
    const embed = (card.body as { embeds: Array<Record<string, unknown>> }).embeds[0]!;
    const files = (embed.fields as Array<{ name: string; value: string }>).find(
      (f) => f.name === 'Files (2)',
    );
    expect(files?.value).toBe(`[error-500.png](${shot.url})\n[Example status](https://status.example.com/)`);
    expect(embed.image).toEqual({ url: shot.url });
  });

  it('follows an edit and a deletion of the customer’s message', async () => {
    const sent = h.say(D.customer, 'Pls help, the exprot is broken');
    const first = (sent.d as { id: string }).id;
    await h.issueFor(first);

    h.emulator.editMessage({
      channelId: D.customerChannel,
      messageId: first,
      content: 'Please help, the export is broken',
    });
    const edited = await until(async () => {
      const issue = await h.heed.findIssue('#1');
      return issue?.history.some((e) => e.kind === 'edited') ? issue : undefined;
    });
    expect(edited.subject).toBe('Please help, the export is broken');
    expect(edited.history.find((e) => e.kind === 'edited')).toMatchObject({
      actor: { platform: 'discord', id: D.customer },
      reason: 'Pls help, the exprot is broken',
      data: { messageId: first, first: true },
    });
    await until(async () => {
      const last = cardEdits(edited).at(-1);
      return last && JSON.stringify(last.body).includes('Please help, the export is broken')
        ? last
        : undefined;
    });

    h.emulator.deleteMessage({ channelId: D.customerChannel, messageId: first });
    const deleted = await until(async () => {
      const issue = await h.heed.findIssue('#1');
      return issue?.history.some((e) => e.kind === 'deleted') ? issue : undefined;
    });
    expect(deleted.status).toBe('new');
    expect(deleted.messages[0]?.deletedAt).toBeTypeOf('number');
    await until(async () => {
      const last = cardEdits(deleted).at(-1);
      const body = last ? JSON.stringify(last.body) : '';
      return body.includes('[deleted by the customer]') && body.includes('1 deleted by the customer')
        ? last
        : undefined;
    });
  });
});
