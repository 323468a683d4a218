/**
 * `/heed transcript` through the real Bolt app against the Slack emulator: the customer's words, the staff
 * answer in her thread, Heed's acknowledgement and the ledger, by time; relayed text pings nobody.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, quiet, S, startFixture } from './slack-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});

afterEach(async () => {
  await f.close();
});

async function slash(user: string, text: string, channelId: string = S.teamChannel): Promise<string> {
  const before = f.emu.ephemerals.length;
  const response = await f.emu.slashCommand({ text, userId: user, channelId });
  expect(response.status).toBe(200);
  await quiet(f.emu);
  const body = response.body as { text?: string } | undefined;
  return body?.text ?? f.emu.ephemerals.slice(before).at(-1)?.text ?? '';
}

describe('transcripts on Slack', () => {
  it('show the conversation and the ledger to staff, and nothing in them pings anyone', async () => {
    const dana = await f.say('<!channel> the CSV export is empty since Friday, ask <@U0STAFF2>');
    f.clock.advance(5 * 60_000);
    await f.say('Found it: a filter was stuck. Try again now?', { user: S.staff, thread: dana.ts });
    f.clock.advance(5 * 60_000);
    await slash(S.staff, 'resolve #1 Cleared the stuck filter');

    const transcript = await slash(S.staff, 'transcript #1');
    const lines = transcript.split('\n');
    // After the heading (which quotes the first line too).
    const at = (needle: string) => lines.findIndex((line, index) => index > 0 && line.includes(needle));
    expect(at('the CSV export is empty since Friday')).toBeGreaterThan(0);
    expect(at('thanks for reaching out')).toBeGreaterThan(at('the CSV export is empty'));
    expect(at('Found it: a filter was stuck')).toBeGreaterThan(at('thanks for reaching out'));
    expect(at('resolved: Cleared the stuck filter')).toBeGreaterThan(at('Found it'));
    expect(transcript).toContain('npx heed transcript 1 --format md|html|json');
    // What the customer wrote is relayed as text, never as a mention.
    expect(transcript).not.toMatch(/<[!@]/);
    // Customers cannot read it.
    expect(await slash(S.customer, 'transcript #1', S.customerChannel)).toContain('is for the support team');
  });
});
