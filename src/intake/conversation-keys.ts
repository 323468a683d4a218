import { createHash } from 'node:crypto';
import type { Platform } from '../domain/refs.ts';

/** Stable issue id for the message that opened it, so a redelivered message finds the same issue. */
export function issueIdFor(platform: Platform, channel: string, rootMessageId: string): string {
  return createHash('sha256')
    .update(`${platform}:${channel}:${rootMessageId}`)
    .digest('base64url')
    .slice(0, 20);
}

/** The lock of one conversation (a thread and the message that started it): intake runs under it. */
export function conversationLock(platform: Platform, channel: string, root: string): string {
  return `conversation:${platform}:${channel}:${root}`;
}
