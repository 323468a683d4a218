import type { Logger } from '../../src/logging/logger.ts';
import { type Rich, rich } from '../../src/messages/rich-text.ts';
import type { CommandReply } from '../../src/ports/inbound-port.ts';
import type { ReplyTarget } from './reply-target.ts';
import type { SlackChatPort } from './slack-chat-port.ts';
import { renderMessage } from './to-slack-blocks.ts';

export type { ReplyTarget } from './reply-target.ts';

/** A slash-command / `response_url` answer for a core reply. */
export interface SlackResponse {
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
  readonly replace_original?: false;
}

export function toSlackResponse(reply: CommandReply): SlackResponse {
  // The control centre's figures (`/heed dashboard`): the App Home tab keeps them live.
  const text = reply.page ? rich`${reply.text}\n\n${HOME_POINTER}` : reply.text;
  return {
    response_type: reply.visibility === 'public' ? 'in_channel' : 'ephemeral',
    text: renderMessage({ text }).text,
  };
}

/** Where a Slack user finds the dashboard live. */
export const HOME_POINTER = "_Heed's Home tab (Apps → Heed → Home) shows this live, with Claim buttons._";

export interface ReplyDeps {
  readonly chat: SlackChatPort;
  readonly logger: Logger;
}

/** A friendly ephemeral explanation for a malformed or failed interaction. */
export function problemReply(what: Rich): CommandReply {
  return { visibility: 'ephemeral', text: rich`${what} Try again, or use \`/heed help\`.` };
}

async function viaResponseUrl(deps: ReplyDeps, url: string, body: SlackResponse): Promise<boolean> {
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    });
    if (!answer.ok)
      deps.logger.info({ status: answer.status }, 'response_url refused the answer; falling back');
    return answer.ok;
  } catch (error) {
    deps.logger.info({ err: error }, 'response_url unreachable; falling back');
    return false;
  }
}

/**
 * Answers the person (ephemerally unless the reply is public): through the `response_url` when there is
 * one, else `chat.postEphemeral` in the channel (public: a post), else a DM. Failures are logged.
 */
export async function sendReply(deps: ReplyDeps, target: ReplyTarget, reply: CommandReply): Promise<void> {
  const response: SlackResponse = { ...toSlackResponse(reply), replace_original: false };
  try {
    if (target.responseUrl && (await viaResponseUrl(deps, target.responseUrl, response))) return;
    if (target.channel && reply.visibility === 'public') {
      await deps.chat.post({ platform: 'slack', channel: target.channel }, { text: reply.text });
    } else if (target.channel) {
      await deps.chat.ephemeral(target.channel, target.user, { text: reply.text });
    } else {
      await deps.chat.dm({ platform: 'slack', id: target.user }, { text: reply.text });
    }
  } catch (error) {
    deps.logger.warn({ err: error, user: target.user }, 'could not answer a Slack interaction');
  }
}
