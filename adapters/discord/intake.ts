import type { Logger } from '../../src/logging/logger.ts';
import type { InboundPort } from '../../src/ports/inbound-port.ts';
import { type ChannelLike, fromDiscordMessage, type MessageLike } from './from-discord.ts';
import { RecentIds } from './recent-ids.ts';

/**
 * Hands customers' and staff's messages in support channels (and their threads and forum posts) to the
 * core. The core dedupes per message id; a small set of recent ids also drops duplicate gateway
 * deliveries before they reach it.
 */
export class MessageIntake {
  private readonly seen = new RecentIds();
  private readonly supportChannels: ReadonlySet<string>;

  constructor(
    private readonly heed: InboundPort,
    private readonly logger: Logger,
  ) {
    this.supportChannels = new Set(heed.intakeChannels('discord'));
  }

  async handle(message: MessageLike): Promise<void> {
    const intake = fromDiscordMessage(message, this.supportChannels);
    if (intake.kind === 'ignored') return;
    if (!this.seen.add(message.id)) {
      this.logger.debug({ message: message.id }, 'duplicate delivery dropped');
      return;
    }
    try {
      const outcome = await this.heed.handleMessage(intake.message);
      this.logger.debug(
        {
          message: message.id,
          outcome: outcome.kind,
          ...('issue' in outcome ? { issue: outcome.issue.number } : {}),
        },
        'message handled',
      );
    } catch (error) {
      // Not stored: forget the id so a redelivery gets another chance.
      this.seen.delete(message.id);
      this.logger.error(
        { err: error, message: message.id, channel: message.channel.id },
        'could not handle message',
      );
    }
  }

  /** A message edited on Discord: its new text and files go to the core, which keeps customers' edits. */
  async changed(message: MessageLike & { readonly editedTimestamp: number | null }): Promise<void> {
    const intake = fromDiscordMessage(message, this.supportChannels);
    if (intake.kind === 'ignored') return;
    const { channel, messageId, text, files } = intake.message;
    await this.report(message.id, () =>
      this.heed.messageChanged({
        kind: 'edited',
        platform: 'discord',
        channel,
        messageId,
        text,
        files: files ?? [],
        at: message.editedTimestamp ?? Date.now(),
      }),
    );
  }

  /**
   * A message deleted on Discord (often not cached: only its id and channel are known). In a support
   * channel or a thread under one, the core records the deletion if it was a customer's message.
   */
  async deleted(message: {
    readonly id: string;
    readonly guildId: string | null;
    readonly channel: ChannelLike | null;
  }): Promise<void> {
    if (!message.guildId || !message.channel) return;
    const channel = message.channel.isThread() ? message.channel.parentId : message.channel.id;
    if (!channel || !this.supportChannels.has(channel)) return;
    await this.report(message.id, () =>
      this.heed.messageChanged({
        kind: 'deleted',
        platform: 'discord',
        channel,
        messageId: message.id,
        at: Date.now(),
      }),
    );
  }

  private async report(
    messageId: string,
    change: () => ReturnType<InboundPort['messageChanged']>,
  ): Promise<void> {
    try {
      const outcome = await change();
      this.logger.debug({ message: messageId, outcome: outcome.kind }, 'message change handled');
    } catch (error) {
      this.logger.error({ err: error, message: messageId }, 'could not record a message change');
    }
  }
}
