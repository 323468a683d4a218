export { type DiscordEmulator, startDiscordEmulator } from './emulator.ts';
export type { FailHttpOptions, RateLimitOptions } from './faults.ts';
export { Intent } from './intents.ts';
export type {
  ComponentInput,
  ModalSubmitInput,
  SlashCommandInput,
} from './interaction-helpers.ts';
export type { InteractionOrigin, SlashOption } from './interaction-payloads.ts';
export type { InteractionRecord } from './interaction-registry.ts';
export type { JsonObject } from './objects.ts';
export { ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission } from './permissions.ts';
export { ROUTE_BUCKETS, type RouteBucket, type RouteLimitOptions } from './rate-limits.ts';
export { SnowflakeFactory, snowflake, snowflakeAt, snowflakeTime } from './snowflake.ts';
export type {
  DiscordEmulatorOptions,
  DispatchPayload,
  EmulatorChannelSpec,
  EmulatorChannelType,
  EmulatorGuildSpec,
  EmulatorMemberSpec,
  EmulatorRoleSpec,
  EmulatorUserSpec,
  IdentifyRecord,
  InteractionCallback,
  InteractionCallbackData,
  InteractionPromise,
  RecordedCall,
  RecordedFile,
  RouteMatcher,
  StoredMessage,
} from './types.ts';
export type { ForumPostInput, UserMessageInput, UserThreadInput } from './user-events.ts';
