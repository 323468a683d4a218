import { webApi } from '@slack/bolt';
import type { ChannelRef, ConversationRef, MessageRef, UserRef } from '../../src/domain/refs.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { ChatPort, OutboundMessage } from '../../src/ports/chat-port.ts';
import type { ChannelQueue } from './channel-queue.ts';
import type { FormRegistry } from './form-registry.ts';
import { renderMessage, type SlackMessageContent } from './to-slack-blocks.ts';

/** Seconds to wait when a Web API call was rate-limited (with `rejectRateLimitedCalls`), else undefined. */
export function slackRetryAfter(error: unknown): number | undefined {
  if (error instanceof webApi.WebAPIRateLimitedError) return error.retryAfter;
  const coded = error as { code?: unknown; retryAfter?: unknown } | null;
  if (coded?.code === webApi.ErrorCode.RateLimitedError && typeof coded.retryAfter === 'number') {
    return coded.retryAfter;
  }
  return undefined;
}

/** The Slack error code of a failed Web API call (`not_in_channel`, …), if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  return undefined;
}

const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

export interface SlackChatPortDeps {
  readonly client: webApi.WebClient;
  readonly queue: ChannelQueue;
  readonly forms: FormRegistry;
  readonly logger: Logger;
  /**
   * The workspace's address from `auth.test` (`https://acme.slack.com/`), once known: links to thread
   * replies are built from it in Slack's permalink form, without a `chat.getPermalink` call per message.
   */
  readonly workspaceUrl?: () => string | undefined;
}

function postArgs(channel: string, content: SlackMessageContent) {
  return {
    channel,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.unfurl === false ? { unfurl_links: false, unfurl_media: false } : {}),
  };
}

/**
 * Heed's outbound port on Slack: `post`/`reply` are `chat.postMessage` (with `thread_ts` for replies),
 * `dm` opens the conversation first, `update` is `chat.update`. Every call goes through the per-channel
 * queue; replies in threads get a link in Slack's permalink form (from `chat.getPermalink` until the
 * workspace's address is known).
 */
export class SlackChatPort implements ChatPort {
  private readonly dmChannels = new Map<string, Promise<string>>();

  constructor(private readonly deps: SlackChatPortDeps) {}

  /** Outbound calls waiting or in flight (for metrics). */
  get queueDepth(): number {
    return this.deps.queue.depth;
  }

  post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    return this.send(channel.channel, undefined, message);
  }

  reply(conversation: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    return this.send(conversation.channel, conversation.thread, message);
  }

  async dm(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    if (user.platform !== 'slack') throw new Error(`cannot DM a ${user.platform} user through Slack`);
    return this.send(await this.dmChannel(user.id), undefined, message);
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const content = renderMessage(message);
    this.deps.forms.remember(message);
    const shared = this.deps.forms.share({ channel: ref.channel, ts: ref.id }, message);
    await this.call(ref.channel, 'chat.update', () =>
      this.deps.client.chat.update({
        channel: ref.channel,
        ts: ref.id,
        text: content.text,
        blocks: content.blocks ?? [],
      }),
    );
    await shared;
  }

  /** Opens (once per user) the DM conversation with a person. */
  dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const opening = this.deps.client.conversations.open({ users: userId }).then((answer) => {
      const id = answer.channel?.id;
      if (!id) throw new Error('conversations.open returned no channel');
      return id;
    });
    this.dmChannels.set(userId, opening);
    opening.catch(() => this.dmChannels.delete(userId));
    return opening;
  }

  /** Posts an ephemeral message (seen by `user` only) in a channel, through the channel's queue. */
  async ephemeral(channel: string, user: string, message: OutboundMessage): Promise<void> {
    const content = renderMessage(message);
    await this.call(channel, 'chat.postEphemeral', () =>
      this.deps.client.chat.postEphemeral({ ...postArgs(channel, content), user }),
    );
  }

  private async send(
    channel: string,
    thread: string | undefined,
    message: OutboundMessage,
  ): Promise<MessageRef> {
    const content = renderMessage(message);
    this.deps.forms.remember(message);
    const posted = await this.call(channel, 'chat.postMessage', () =>
      this.deps.client.chat.postMessage({
        ...postArgs(channel, content),
        ...(thread ? { thread_ts: thread } : {}),
      }),
    );
    const ts = posted.ts;
    if (!ts) throw new Error('chat.postMessage returned no ts');
    const postedIn = posted.channel ?? channel;
    // Shared mode: the forms behind its buttons, for a click that reaches another instance.
    const shared = this.deps.forms.share({ channel: postedIn, ts }, message);
    // Heed links to threads only ("open thread" on cards and alerts): other posts need no permalink.
    const link = thread ? await this.permalink(postedIn, ts, thread) : undefined;
    await shared;
    return {
      platform: 'slack',
      channel: postedIn,
      ...(thread ? { thread } : {}),
      id: ts,
      ...(link ? { link } : {}),
    };
  }

  private async call<T>(channel: string, method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await this.deps.queue.run(channel, method, call);
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && NOT_A_MEMBER.has(code)) {
        this.deps.logger.warn(
          { channel, method, error: code },
          'Heed cannot write in this Slack channel; invite the bot',
        );
      }
      throw error;
    }
  }

  private async permalink(channel: string, ts: string, thread: string): Promise<string | undefined> {
    const workspace = this.deps.workspaceUrl?.();
    if (workspace) return threadPermalink(workspace, channel, ts, thread);
    try {
      const answer = await this.deps.client.chat.getPermalink({ channel, message_ts: ts });
      return answer.permalink;
    } catch (error) {
      this.deps.logger.debug({ err: error, channel }, 'no permalink for a message Heed posted');
      return undefined;
    }
  }
}

/**
 * A thread reply's link in the form `chat.getPermalink` answers with:
 * `https://acme.slack.com/archives/C123/p1700000000000100?thread_ts=1700000000.000050&cid=C123`.
 */
export function threadPermalink(workspaceUrl: string, channel: string, ts: string, thread: string): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channel}/p${ts.replace('.', '')}?thread_ts=${thread}&cid=${channel}`;
}
