import { z } from 'zod';

/** The chat platforms Heed speaks. */
export const platformSchema = z.enum(['slack', 'discord']);
export type Platform = z.infer<typeof platformSchema>;
/** Every platform, in the order Heed prefers when nothing else decides (a card channel, managers to DM). */
export const PLATFORMS: readonly Platform[] = platformSchema.options;

/** A platform as people write it: `Slack`, `Discord`. */
export function platformName(platform: Platform): string {
  return platform.charAt(0).toUpperCase() + platform.slice(1);
}

/**
 * Whether the config's people lists on the platform may name roles as well as people (Discord's: a role
 * id stands for everyone who has the role). Slack's lists name people only.
 */
export function listsMayNameRoles(platform: Platform): boolean {
  return platform === 'discord';
}

/** Whether a name (an actor's, which may also be `heed` or `cli`) is one of the chat platforms. */
export function isPlatform(name: string): name is Platform {
  return platformSchema.safeParse(name).success;
}

/** A person on a platform. */
export const userRefSchema = z.object({ platform: platformSchema, id: z.string().min(1) });
export type UserRef = z.infer<typeof userRefSchema>;

/** Who did something: a person, or Heed itself (`{ platform: 'heed', id: 'heed' }`). */
export const actorRefSchema = z.object({
  platform: z.enum([...platformSchema.options, 'heed', 'cli']),
  id: z.string().min(1),
});
export type ActorRef = z.infer<typeof actorRefSchema>;
export const HEED_ACTOR: ActorRef = { platform: 'heed', id: 'heed' };

/** A channel on a platform. */
export const channelRefSchema = z.object({ platform: platformSchema, channel: z.string().min(1) });
export type ChannelRef = z.infer<typeof channelRefSchema>;

/**
 * A conversation: a channel, optionally a thread in it. For Slack `thread` is the root message `ts`;
 * for Discord it is the thread channel id (the parent channel stays in `channel`).
 */
export const conversationRefSchema = channelRefSchema.extend({ thread: z.string().min(1).optional() });
export type ConversationRef = z.infer<typeof conversationRefSchema>;

/** A message Heed posted, so it can be edited later (cards) or linked to. */
export const messageRefSchema = conversationRefSchema.extend({
  id: z.string().min(1),
  link: z.string().optional(),
});
export type MessageRef = z.infer<typeof messageRefSchema>;

/** Stable string key of a conversation, used by the thread index. */
export function conversationKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.channel}:${ref.thread ?? '-'}`;
}

export function sameUser(a: UserRef | undefined, b: UserRef | undefined): boolean {
  return a !== undefined && b !== undefined && a.platform === b.platform && a.id === b.id;
}
