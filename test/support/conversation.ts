/** Conversation steps shared by the core-level tests: a customer writes, staff run a command. */
import { runCommand } from '../../src/commands/run-command.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { Harness } from './harness.ts';
import { REFERENCES } from './references.ts';
import { IDS } from './test-config.ts';

let seq = 0;

/** A customer writes a new message in the Slack customer channel (at the fake clock's time); it must open an issue. */
export async function customerOpens(
  h: Harness,
  text: string,
  author: { id: string; name: string } = { id: IDS.slack.customer, name: 'Dana' },
): Promise<Issue> {
  seq += 1;
  const outcome = await h.heed.handleMessage({
    platform: 'slack',
    channel: IDS.slack.customerChannel,
    messageId: `18000.${String(seq).padStart(6, '0')}`,
    text,
    at: h.clock.now(),
    author,
  });
  if (outcome.kind !== 'opened') throw new Error(`expected an issue, got ${outcome.kind}`);
  return outcome.issue;
}

/** `/heed <text>` typed on Slack by `user`, with mentions read by the adapters' parsers; the reply as plain text. */
export async function slashAs(h: Harness, user: string, text: string): Promise<string> {
  const reply = await runCommand(h.heed, {
    person: { platform: 'slack', id: user },
    input: { text },
    references: REFERENCES,
  });
  return toPlainText(reply.text);
}
