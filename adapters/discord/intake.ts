import type { Logger } from '../../src/logging/logger.ts';
import type { InboundPort } from '../../src/ports/inbound-port.ts';
import { fromDiscordMessage, type MessageLike } from './from-discord.ts';
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
}
