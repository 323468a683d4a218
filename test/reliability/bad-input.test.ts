/**
 * Bad input, property-based: random and malformed config, commands, button payloads and platform
 * payloads must give clear errors, never crash, and never change what is stored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readButton,
  readMessageEvent,
  readSubmission,
  toCommandRequest,
} from '../../adapters/slack/from-slack.ts';
import { runAction } from '../../src/actions/run-action.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { ConfigError, parseConfig } from '../../src/config/load-config.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import { startHarness } from '../support/harness.ts';
import { REFERENCES } from '../support/references.ts';
import { IDS, testConfigInput } from '../support/test-config.ts';

const RUNS = 150;
const S = IDS.slack;

/** Any JSON-like value, including the shapes people get wrong (strings for numbers, nulls, arrays). */
const junk = fc.anything({ maxDepth: 3, withNullPrototype: false });

/** Replaces one key somewhere in a valid config with junk. */
function mutate(
  config: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(config) as Record<string, unknown>;
  let cursor: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = cursor[key];
    if (typeof next !== 'object' || next === null) return copy;
    cursor = next as Record<string, unknown>;
  }
  cursor[path.at(-1)!] = value;
  return copy;
}

const CONFIG_PATHS = [
  ['teams'],
  ['teams', '0', 'id'],
  ['teams', '0', 'staff'],
  ['teams', '0', 'slack', 'channel'],
  ['intake', '0', 'team'],
  ['intake', '0', 'platform'],
  ['tiers', '0', 'slackTeams'],
  ['routing', '0', 'match'],
  ['routing', '1', 'priority'],
  ['sla', 'warnAt'],
  ['sla', 'policies', '0', 'firstResponse'],
  ['sla', 'calendars', '0', 'hours'],
  ['sla', 'calendars', '0', 'timezone'],
  ['sla', 'escalation', '1', 'every'],
  ['templates'],
  ['reopenWindow'],
] as const;

describe('bad input never crashes Heed', () => {
  it('config: any mutation is accepted or refused with a ConfigError that names the key', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONFIG_PATHS), junk, (path, value) => {
        const raw = mutate(testConfigInput(), path, value);
        try {
          parseConfig(raw, 'heed.config.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const message = (error as Error).message;
          expect(message).toContain('heed.config.yaml is not a valid Heed configuration');
          expect(message).not.toMatch(/\n\s+at /); // no stack trace in what people read
        }
      }),
      { numRuns: RUNS * 2 },
    );
    fc.assert(
      fc.property(junk, (raw) => {
        expect(() => parseConfig(raw, 'x.yaml')).toThrow(ConfigError);
      }),
      { numRuns: RUNS },
    );
  });

  it('commands: random text from staff and customers gets a reply, and refusals change nothing', async () => {
    const h = await startHarness();
    await h.heed.handleMessage({
      platform: 'slack',
      channel: S.customerChannel,
      messageId: '1.000001',
      text: 'Help with exports',
      at: h.clock.now(),
      author: { id: S.customer },
    });
    const words = fc.constantFrom(
      'claim',
      'handoff',
      'resolve',
      'snooze',
      'priority',
      'note',
      'queue',
      'frob',
      '#1',
      '#999',
      '<@U0STAFF2|sam>',
      '<@>',
      '2h',
      '-5m',
      'urgent',
      '',
      '🙂',
      '<!channel>',
      '@everyone',
      '\u0000',
    );
    const line = fc
      .array(fc.oneof(words, fc.string({ maxLength: 12 })), { maxLength: 6 })
      .map((parts) => parts.join(' '));
    await fc.assert(
      fc.asyncProperty(line, fc.constantFrom(S.customer, S.staff2, 'U0BILL01'), async (text, user) => {
        const before = await h.heed.findIssue('#1');
        const reply = await runCommand(h.heed, {
          person: { platform: 'slack', id: user },
          input: { text },
          references: REFERENCES,
        });
        const plain = toPlainText(reply.text);
        expect(plain.length).toBeGreaterThan(0);
        expect(plain).not.toMatch(/\n\s+at |TypeError|undefined/);
        const refused =
          /^(That didn't work|There is no|I didn't understand|Not done|I can't find|Which issue|Sorry, )/.test(
            plain,
          );
        if (refused || user === S.customer) expect(await h.heed.findIssue('#1')).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('buttons: random actions and form fields are refused politely', async () => {
    const h = await startHarness();
    await h.heed.handleMessage({
      platform: 'slack',
      channel: S.customerChannel,
      messageId: '1.000001',
      text: 'Help',
      at: h.clock.now(),
      author: { id: S.customer },
    });
    const issue = (await h.heed.findIssue('#1'))!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom('resolve', 'snooze', 'escalate', 'claim', 'rate-up')),
        fc.oneof(fc.constant(issue.id), fc.string()),
        fc.dictionary(fc.constantFrom('summary', 'reason', 'duration', 'x'), fc.oneof(fc.string(), junk)),
        async (action, issueId, fields) => {
          const reply = await runAction(h.heed, {
            person: { platform: 'slack', id: S.customer },
            action,
            issueId,
            fields,
          });
          expect(toPlainText(reply.text).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: RUNS },
    );
    // A customer pressing staff buttons never changes the issue.
    expect((await h.heed.findIssue('#1'))?.revision).toBe(issue.revision);
  });

  it('Slack payloads: malformed events, commands, buttons and form submissions are read safely', () => {
    fc.assert(
      fc.property(junk, (raw) => {
        expect(['message', 'skip']).toContain(readMessageEvent(raw, { botId: 'B1', botUserId: 'U1' }).kind);
        expect(() => toCommandRequest(raw)).not.toThrow();
        expect(typeof readButton(raw).ok).toBe('boolean');
        expect(typeof readSubmission(raw).ok).toBe('boolean');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('stored records: a corrupted issue document is refused with a clear error, and the rest keeps working', async () => {
    const h = await startHarness();
    for (const n of [1, 2]) {
      await h.heed.handleMessage({
        platform: 'slack',
        channel: S.customerChannel,
        messageId: `1.00000${n}`,
        text: `Question ${n}`,
        at: h.clock.now(),
        author: { id: S.customer },
      });
    }
    const broken = (await h.heed.findIssue('#1'))!;
    const { history: _history, ...body } = broken;
    await h.store.db
      .updateTable('issues')
      .set({ body: JSON.stringify({ ...body, status: 'exploded', revision: 'x' }) })
      .where('id', '=', broken.id)
      .execute();
    // The damage shows whenever the record is read, by this server or after a restart.
    await expect(h.heed.findIssue('#1')).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
    const restarted = await startHarness({ store: h.store, clock: h.clock });
    await expect(restarted.heed.findIssue('#1')).rejects.toMatchObject({ code: 'STORE_RECORD_INVALID' });
    const reply = await runCommand(restarted.heed, {
      person: { platform: 'slack', id: S.staff },
      input: { text: 'claim #1' },
    });
    expect(toPlainText(reply.text)).toMatch(
      /Sorry, something went wrong on Heed's side and nothing was changed.*E-/,
    );
    const other = await runCommand(restarted.heed, {
      person: { platform: 'slack', id: S.staff },
      input: { text: 'claim #2' },
    });
    expect(toPlainText(other.text)).toBe('You now own *#2*.');
  });
});
