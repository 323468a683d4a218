import type { webApi } from '@slack/bolt';
import type { ConversationRef } from '../../src/domain/refs.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { HistoryPort, InboundMessage } from '../../src/ports/inbound-port.ts';
import { readMessageEvent, type SlackSelf, slackTsToMillis, toInboundMessage } from './from-slack.ts';
import { slackRetryAfter } from './slack-chat-port.ts';
import type { UserDirectory } from './user-directory.ts';

/** Messages per page: Slack recommends no more than 200 (the maximum is 999). */
const PAGE_SIZE = 200;
/** How often one page is asked for again after Slack answered `ratelimited`. */
const RATE_LIMITED_TRIES = 5;

export interface SlackHistoryDeps {
  readonly client: webApi.WebClient;
  readonly users: UserDirectory;
  readonly self: () => SlackSelf;
  readonly logger: Logger;
  /** Waits between rate-limited tries (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A message as the history methods return it (validated later, as an event is). */
interface HistoryMessage {
  readonly ts?: string | undefined;
  readonly thread_ts?: string | undefined;
}

/** Milliseconds as Slack's `oldest`: seconds with six decimals. */
export function millisToSlackTs(ms: number): string {
  const clamped = Math.max(0, ms);
  return `${Math.floor(clamped / 1000)}.${String((clamped % 1000) * 1000).padStart(6, '0')}`;
}

/**
 * Reads a Slack channel's history back for catching up: `conversations.history` for top-level messages
 * and `conversations.replies` for an issue's thread, from `oldest` (inclusive), page by page through
 * `response_metadata.next_cursor`, oldest first. Both methods are rate-limited per workspace (Tier 3 for
 * internal apps); a `ratelimited` answer waits Slack's `Retry-After` and asks again. Each message is
 * translated as a live `message` event is, with the author's profile from the user directory.
 */
export class SlackHistory implements HistoryPort {
  readonly platform = 'slack' as const;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: SlackHistoryDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async *channelMessages(channel: string, since: number): AsyncIterable<InboundMessage> {
    const messages = await this.readAll(channel, (cursor) =>
      this.deps.client.conversations.history({
        channel,
        oldest: millisToSlackTs(since),
        inclusive: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    // Top-level messages only; a reply also sent to the channel belongs to its thread.
    yield* this.translate(
      channel,
      messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts),
    );
  }

  async *threadMessages(conversation: ConversationRef, since: number): AsyncIterable<InboundMessage> {
    const thread = conversation.thread;
    if (!thread) return;
    const messages = await this.readAll(conversation.channel, (cursor) =>
      this.deps.client.conversations.replies({
        channel: conversation.channel,
        ts: thread,
        oldest: millisToSlackTs(since),
        inclusive: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    // The parent comes first on every page: it is the issue's own first message, not a reply.
    yield* this.translate(
      conversation.channel,
      messages.filter((m) => m.ts !== thread && m.thread_ts === thread),
    );
  }

  private async *translate(channel: string, messages: HistoryMessage[]): AsyncIterable<InboundMessage> {
    const unique = new Map<string, HistoryMessage>();
    for (const message of messages) if (message.ts) unique.set(message.ts, message);
    const ordered = [...unique.values()].sort(
      (a, b) => slackTsToMillis(a.ts ?? '0') - slackTsToMillis(b.ts ?? '0') || (a.ts! < b.ts! ? -1 : 1),
    );
    for (const raw of ordered) {
      // History omits the channel and the type that events carry.
      const read = readMessageEvent({ type: 'message', ...raw, channel }, this.deps.self());
      if (read.kind === 'skip') continue;
      const author = read.event.user;
      const profile = author && !read.isBot ? await this.deps.users.lookup(author) : {};
      yield toInboundMessage(read, profile);
    }
  }

  /** Every page of one history call, following the cursor until Slack says there is no more. */
  private async readAll(
    channel: string,
    page: (cursor: string | undefined) => Promise<{
      messages?: HistoryMessage[] | undefined;
      response_metadata?: { next_cursor?: string | undefined } | undefined;
    }>,
  ): Promise<HistoryMessage[]> {
    const all: HistoryMessage[] = [];
    let cursor: string | undefined;
    do {
      const answer = await this.withRetries(channel, () => page(cursor));
      all.push(...(answer.messages ?? []));
      cursor = answer.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return all;
  }

  private async withRetries<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const retryAfter = slackRetryAfter(error);
        if (retryAfter === undefined || attempt >= RATE_LIMITED_TRIES) throw error;
        this.deps.logger.warn({ channel, retryAfter }, 'Slack rate limit while reading history: waiting');
        await this.sleep(retryAfter * 1000);
      }
    }
  }
}
