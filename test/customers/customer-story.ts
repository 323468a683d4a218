import { runCommand } from '../../src/commands/run-command.ts';
import type { Issue } from '../../src/domain/issue.ts';
import type { Platform } from '../../src/domain/refs.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';
import type { InboundMessage, IntakeOutcome, PersonFacts, RawArgs } from '../../src/ports/inbound-port.ts';
import type { RecordedMessage } from '../doubles/recording-chat-port.ts';
import type { Harness } from '../support/harness.ts';
import { REFERENCES } from '../support/references.ts';
import { IDS } from '../support/test-config.ts';

export const S = IDS.slack;
export const D = IDS.discord;
export const DAY = 86_400_000;
export const MINUTE = 60_000;

/** People in the stories. */
export const people = {
  staff: { platform: 'slack', id: S.staff } satisfies PersonFacts,
  staff2: { platform: 'slack', id: S.staff2 } satisfies PersonFacts,
  discordStaff: { platform: 'discord', id: D.staff, roles: [D.staffRole] } satisfies PersonFacts,
  dana: { platform: 'slack', id: S.customer } satisfies PersonFacts,
  danaOnDiscord: { platform: 'discord', id: D.customer } satisfies PersonFacts,
};

let seq = 0;

export interface Says {
  readonly platform?: Platform;
  readonly thread?: string;
  readonly author?: InboundMessage['author'];
}

/** A customer message as an adapter hands it to the core, at the clock's time. */
export function message(h: Harness, text: string, says: Says = {}): InboundMessage {
  seq += 1;
  const platform = says.platform ?? 'slack';
  return {
    platform,
    channel: platform === 'slack' ? S.customerChannel : D.customerChannel,
    messageId: platform === 'slack' ? `1764000000.${String(seq).padStart(6, '0')}` : `17000000000000${seq}`,
    text,
    at: h.clock.now(),
    author: says.author ?? { id: S.customer, name: 'Dana Customer' },
    ...(says.thread ? { thread: says.thread } : {}),
  };
}

/** The customer writes; returns the issue it opened or joined. */
export async function customerSays(h: Harness, text: string, says: Says = {}): Promise<Issue> {
  const outcome: IntakeOutcome = await h.heed.handleMessage(message(h, text, says));
  if (!('issue' in outcome)) throw new Error(`message was ignored: ${outcome.reason}`);
  return outcome.issue;
}

/** `/heed <text>` on Slack (or Discord text), answered in plain text. */
export async function slash(
  h: Harness,
  person: PersonFacts,
  text: string,
  conversation?: { channel: string; thread: string },
): Promise<string> {
  const reply = await runCommand(h.heed, {
    person,
    conversation: conversation ? { platform: person.platform, ...conversation } : undefined,
    input: { text },
    references: REFERENCES,
  });
  return toPlainText(reply.text);
}

/** A Discord `/heed <name>` sub-command with typed options, answered in plain text. */
export async function subcommand(h: Harness, person: PersonFacts, name: string, options: RawArgs) {
  const reply = await runCommand(h.heed, { person, input: { name, options }, references: REFERENCES });
  return toPlainText(reply.text);
}

/** The acknowledgement Heed posted in the customer's thread for an issue. */
export function acknowledgementOf(h: Harness, issue: Pick<Issue, 'number'>): RecordedMessage | undefined {
  return h.chat.sent.find((m) => m.op === 'reply' && m.plain.includes(`This is *#${issue.number}*`));
}

/** The latest card (post or update) for an issue. */
export function cardOf(h: Harness, issue: Pick<Issue, 'number'>) {
  return h.chat.sent.filter((m) => m.message.card?.reference === `#${issue.number}`).at(-1)?.message.card;
}

/** Records the customer's 👍/👎 on an issue, as a `rated` ledger event. */
export async function rate(h: Harness, issue: Issue, score: 'up' | 'down'): Promise<void> {
  await h.heed.issues.update(issue.id, (current) => ({
    ok: true,
    issue: { ...current, updatedAt: h.clock.now() },
    events: [
      {
        kind: 'rated',
        actor: { platform: current.customer.platform, id: current.customer.id },
        data: { score },
      },
    ],
  }));
}
