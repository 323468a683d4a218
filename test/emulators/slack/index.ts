export type { BackgroundDelivery, UndeliveredEvent, UndeliveredReason } from './app-delivery.ts';
export { SlackEmulator, startSlackEmulator } from './emulator.ts';
export type { AppMentionInput, MemberJoinedInput, MessageChangedInput, MessageEventInput } from './events.ts';
export type { FailHttpFault, FailNextFault, RateLimitFault } from './faults.ts';
export { decodeCursor, encodeCursor } from './history-cursor.ts';
export type { AppDistribution, HistoryOptions } from './history-limits.ts';
export type {
  BlockActionInput,
  MessageShortcutInput,
  SlashCommandInput,
  ViewSubmissionInput,
} from './interactions.ts';
export type { PostRateLimitOptions } from './post-limits.ts';
export { signatureHeaders, signSlackRequest } from './signing.ts';
export type { DropMode } from './socket-hub.ts';
export type {
  AppResponse,
  CallRecord,
  DeliveryOptions,
  EphemeralRecord,
  SlackEmulatorChannel,
  SlackEmulatorOptions,
  SlackEmulatorUser,
  SlackMessage,
  SocketAck,
  ViewRecord,
} from './types.ts';
