/**
 * `/heed forget` through the real Bolt app against the Slack emulator: a manager forgets Dana, whose name and
 * e-mail Heed read from Slack's directory; afterwards no table holds her, and her issue stays, anonymised.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanStore } from '../../support/store-scan.ts';
import { type Fixture, LogCapture, quiet, S, startFixture } from './slack-fixture.ts';

let f: Fixture;
let logs: LogCapture;

beforeEach(async () => {
  logs = new LogCapture('info');
  f = await startFixture({ logger: logs.logger });
});

afterEach(async () => {
  await f.close();
});

/** `/heed <text>` typed by `user` in the team channel; Heed's ephemeral answer. */
async function slash(user: string, text: string): Promise<string> {
  const before = f.emu.ephemerals.length;
  const response = await f.emu.slashCommand({ text, userId: user, channelId: S.teamChannel });
  expect(response.status).toBe(200);
  await quiet(f.emu);
  const body = response.body as { text?: string } | undefined;
  return body?.text ?? f.emu.ephemerals.slice(before).at(-1)?.text ?? '';
}

describe('forgetting a customer on Slack', () => {
  it('asks a manager to confirm, then leaves no trace of her in the store', async () => {
    const words = 'Payroll export drops every row after the first thousand';
    const dana = await f.say(words);
    await f.say('Thanks Dana, we are on it', { user: S.staff, thread: dana.ts });
    const issue = await f.issue(1);
    expect(issue.customer).toMatchObject({ id: S.customer, name: 'Dana' });
    const terms = [S.customer, 'dana@acme.test', 'Dana', words, issue.customer.profileId!];
    const before = await scanStore(f.store, terms);
    expect(new Set(before.found.map((found) => found.term))).toEqual(new Set(terms));

    expect(await slash(S.staff, `forget <@${S.customer}|dana>`)).toContain('is for managers');
    const preview = await slash(S.manager, `forget <@${S.customer}|dana>`);
    expect(preview).toContain('removes their profile (1 identity, 1 e-mail, 0 notes)');
    expect(preview).toContain('the text and files of 1 message on #1');
    expect(preview).toContain(`/heed forget slack:${S.customer} confirm`);
    // Nothing went yet.
    expect((await scanStore(f.store, terms)).found.length).toBe(before.found.length);

    const done = await slash(S.manager, `forget slack:${S.customer} confirm`);
    expect(done).toContain(`Forgotten: \`slack:${S.customer}\``);
    const after = await scanStore(f.store, terms);
    expect(after.found, JSON.stringify(after.found.slice(0, 3), null, 1)).toEqual([]);

    // Logged, with who did it and the pseudonym, and without her.
    const logged = logs.raw.filter((line) => line.includes('a customer was forgotten'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`"by":"slack:${S.manager}"`);
    for (const term of terms) expect(logged[0]!.toLowerCase()).not.toContain(term.toLowerCase());

    const kept = await f.issue(1);
    expect(kept.customer.id).toMatch(/^forgotten-[0-9a-f]{12}$/);
    expect(kept.history.map((event) => event.kind)).toEqual([
      ...issue.history.map((event) => event.kind),
      'forgotten',
    ]);
    expect(kept.history.find((event) => event.kind === 'responded')?.reason).toBe(
      'Thanks [forgotten], we are on it',
    );
  });
});
