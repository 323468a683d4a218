import type { App } from '@slack/bolt';
import { failureReference, friendlyFailure } from '../../src/core/errors.ts';
import { rich } from '../../src/messages/rich-text.ts';
import type { CommandReply, InboundPort } from '../../src/ports/inbound-port.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';
import { toCommandRequest } from './from-slack.ts';
import { problemReply, type ReplyDeps, sendReply, toSlackResponse } from './replies.ts';

export interface CommandDeps extends ReplyDeps {
  readonly heed: InboundPort;
  /** The slash command, `/heed` unless the manifest names it otherwise. */
  readonly command: string;
  /** Replies ready within this go in the ack itself; slower ones follow through the `response_url`. */
  readonly inlineReplyMs: number;
  /** How people are written on each platform, for the core to read the people a command names. */
  readonly references: readonly ReferenceParser[];
}

type Race<T> = { readonly done: true; readonly value: T } | { readonly done: false };

async function within<T>(work: Promise<T>, ms: number): Promise<Race<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Race<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value): Race<T> => ({ done: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(deps: CommandDeps, error: unknown): CommandReply {
  const reference = failureReference(error);
  deps.logger.error({ err: error, reference }, 'slash command failed');
  return { visibility: 'ephemeral', text: rich`${friendlyFailure(reference)}` };
}

/** `/heed <sub> …` → the core's command runner; the reply is ephemeral or in channel as the core says. */
export function registerCommand(app: App, deps: CommandDeps): void {
  app.command(deps.command, async ({ command, ack }) => {
    const request = toCommandRequest(command);
    if (!request) {
      deps.logger.warn('malformed slash command payload');
      await ack(toSlackResponse(problemReply(rich`That command did not come through.`)));
      return;
    }
    const work = deps.heed
      .runCommand({ ...request, references: deps.references })
      .catch((error: unknown) => failure(deps, error));
    const quick = await within(work, deps.inlineReplyMs);
    if (quick.done) {
      await ack(toSlackResponse(quick.value));
      return;
    }
    await ack();
    const reply = await work;
    await sendReply(
      deps,
      { user: request.person.id, responseUrl: command.response_url, channel: command.channel_id },
      reply,
    );
  });
}
