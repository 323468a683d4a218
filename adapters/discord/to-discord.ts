import type { OutboundMessage } from '../../src/ports/chat-port.ts';
import type { CommandReply } from '../../src/ports/inbound-port.ts';
import { cardEmbed, type DiscordEmbed } from './to-discord-card.ts';
import { actionRows, type ButtonRow } from './to-discord-components.ts';
import { homeEmbed } from './to-discord-home.ts';
import {
  type AllowedMentions,
  allowedMentionsFor,
  cut,
  MESSAGE_LIMITS,
  type RenderContext,
  renderRich,
} from './to-discord-text.ts';

/** A message body for `send` / `edit`. */
export interface DiscordMessagePayload {
  readonly content: string;
  readonly embeds: DiscordEmbed[];
  readonly components: ButtonRow[];
  readonly allowedMentions: AllowedMentions;
}

/** A neutral outbound message as a Discord message body: markdown content, the card embed, buttons. */
export function toDiscordMessage(message: OutboundMessage, context: RenderContext): DiscordMessagePayload {
  const text = renderRich(message.text, context);
  return {
    content: cut(text.content, MESSAGE_LIMITS.content),
    embeds: message.card ? [cardEmbed(message.card)] : [],
    components: actionRows([...(message.card?.actions ?? []), ...(message.actions ?? [])]),
    allowedMentions: allowedMentionsFor(text),
  };
}

/** A command's answer as an interaction reply body; the control centre (`/heed dashboard`) as an embed. */
export function toDiscordReply(
  reply: CommandReply,
  context: RenderContext,
): { content: string; allowedMentions: AllowedMentions; embeds?: DiscordEmbed[] } {
  if (reply.page) {
    // The embed says it all; it pings nobody, and neither does the empty content.
    return {
      content: '',
      embeds: [homeEmbed(reply.page, context, reply.signInUrl)],
      allowedMentions: allowedMentionsFor({ users: [], roles: [] }),
    };
  }
  const text = renderRich(reply.text, context);
  return {
    content: cut(text.content, MESSAGE_LIMITS.content) || '…',
    allowedMentions: allowedMentionsFor(text),
  };
}
