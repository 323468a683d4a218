import { z } from 'zod';
import type { CommandRequest, InboundMessage, MessageChange } from '../../src/ports/inbound-port.ts';
import { ACTION_ID_PATTERN, CALLBACK_ID_PATTERN, FIELD_ACTION_ID, ISSUE_ID_PATTERN } from './action-ids.ts';
import { slackFiles } from './slack-files.ts';

/** What Heed knows about a Slack user from `users.info`. */
export interface SlackProfile {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly teamId?: string | undefined;
  /** The name of their organisation when it is not ours (Slack Connect), from `team.info`. */
  readonly organisation?: string | undefined;
}

/** The app's own identity (from `auth.test`), to drop its own posts. */
export interface SlackSelf {
  readonly botUserId?: string | undefined;
  readonly botId?: string | undefined;
}

const SLACK_TS = /^\d{1,12}\.\d{1,9}$/;

const messageEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  user: z.string().min(1).optional(),
  bot_id: z.string().min(1).optional(),
  text: z.string().optional(),
  ts: z.string().regex(SLACK_TS),
  thread_ts: z.string().regex(SLACK_TS).optional(),
  team: z.string().optional(),
  user_team: z.string().optional(),
  files: z.array(z.unknown()).optional(),
});

/** A `message` event Heed handles, validated. */
export type SlackMessageEvent = z.infer<typeof messageEventSchema>;

// Subtypes that are someone writing: a plain message, a thread reply also sent to the channel, a message
// with files, and other bots' messages (passed on flagged, the core ignores them). Edits and deletions are
// read by `readMessageChange`; joins and the like are skipped.
const WRITTEN_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  'thread_broadcast',
  'file_share',
  'bot_message',
]);

export type MessageEventRead =
  | { readonly kind: 'message'; readonly event: SlackMessageEvent; readonly isBot: boolean }
  | { readonly kind: 'skip'; readonly reason: string };

/** Validates a `message` event and decides whether it is someone writing (pure). */
export function readMessageEvent(raw: unknown, self: SlackSelf): MessageEventRead {
  const parsed = messageEventSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'skip', reason: 'not a message event Heed understands' };
  const event = parsed.data;
  if (!WRITTEN_SUBTYPES.has(event.subtype)) return { kind: 'skip', reason: `subtype ${event.subtype}` };
  const own =
    (self.botId !== undefined && event.bot_id === self.botId) ||
    (self.botUserId !== undefined && event.user === self.botUserId);
  if (own) return { kind: 'skip', reason: 'own message' };
  const isBot = event.bot_id !== undefined || event.subtype === 'bot_message';
  if (event.user === undefined && !isBot) return { kind: 'skip', reason: 'no author' };
  return { kind: 'message', event, isBot };
}

/** Slack's `ts` ("1763890000.000100", seconds and microseconds) in milliseconds. */
export function slackTsToMillis(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1000 + Math.floor(Number(fraction.padEnd(6, '0').slice(0, 6)) / 1000);
}

/**
 * Slack's wire markup as plain text: mentions and links become readable words (`@here`, `label (url)`)
 * and `&amp;`/`&lt;`/`&gt;` are decoded. The core stores plain text; the renderer escapes it again.
 */
export function slackMarkupToPlain(text: string): string {
  const readable = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!subteam^')) return label ? `@${label.replace(/^@/, '')}` : `@${target.slice(9)}`;
    if (target.startsWith('!date^')) return label ?? target.split('^')[1] ?? '';
    if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return readable.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Turns a validated Slack message (plus what `users.info` said) into the core's neutral message. */
export function toInboundMessage(
  read: Extract<MessageEventRead, { kind: 'message' }>,
  profile: SlackProfile = {},
): InboundMessage {
  const { event, isBot } = read;
  const thread = event.thread_ts !== undefined && event.thread_ts !== event.ts ? event.thread_ts : undefined;
  const teamId = event.user_team ?? event.team ?? profile.teamId;
  const files = slackFiles(event.files);
  return {
    platform: 'slack',
    channel: event.channel,
    ...(thread ? { thread } : {}),
    messageId: event.ts,
    text: slackMarkupToPlain(event.text ?? ''),
    ...(files.length > 0 ? { files } : {}),
    at: slackTsToMillis(event.ts),
    author: {
      id: event.user ?? event.bot_id ?? 'unknown',
      ...(profile.name ? { name: profile.name } : {}),
      ...(profile.organisation ? { organisation: profile.organisation } : {}),
      ...(teamId ? { teamId } : {}),
      ...(profile.email ? { email: profile.email } : {}),
      ...(isBot ? { isBot: true } : {}),
    },
  };
}

const slashCommandSchema = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_name: z.string().optional(),
  text: z.string().default(''),
});

/** A `/heed …` invocation as a core command request (slash commands carry no thread). */
export function toCommandRequest(raw: unknown): CommandRequest | undefined {
  const parsed = slashCommandSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { user_id, user_name, channel_id, text } = parsed.data;
  return {
    person: { platform: 'slack', id: user_id, ...(user_name ? { name: user_name } : {}) },
    conversation: { platform: 'slack', channel: channel_id },
    input: { text },
  };
}

const buttonSchema = z.object({
  action_id: z.string().regex(ACTION_ID_PATTERN),
  value: z.string().regex(ISSUE_ID_PATTERN),
});

export type ButtonRead =
  | { readonly ok: true; readonly action: string; readonly issueId: string }
  | { readonly ok: false; readonly problem: string };

/** Validates a clicked Heed button: `heed:<action>` with the issue id as its value. */
export function readButton(raw: unknown): ButtonRead {
  const parsed = buttonSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: 'malformed button' };
  const action = ACTION_ID_PATTERN.exec(parsed.data.action_id)?.[1];
  return action
    ? { ok: true, action, issueId: parsed.data.value }
    : { ok: false, problem: 'malformed button' };
}

const submissionSchema = z.object({
  callback_id: z.string().regex(CALLBACK_ID_PATTERN),
  private_metadata: z.string().regex(ISSUE_ID_PATTERN),
  state: z.object({
    values: z.record(
      z.string(),
      z.record(
        z.string(),
        z
          .object({
            value: z.string().nullish(),
            // A static select's choice.
            selected_option: z.object({ value: z.string() }).passthrough().nullish(),
          })
          .passthrough(),
      ),
    ),
  }),
});

export type SubmissionRead =
  | {
      readonly ok: true;
      readonly action: string;
      readonly issueId: string;
      readonly fields: Record<string, string>;
    }
  | { readonly ok: false; readonly problem: string };

/** Validates a submitted Heed modal: callback id, issue id (private metadata) and one value per field. */
export function readSubmission(raw: unknown): SubmissionRead {
  const parsed = submissionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: 'malformed form' };
  const action = CALLBACK_ID_PATTERN.exec(parsed.data.callback_id)?.[1];
  if (!action) return { ok: false, problem: 'malformed form' };
  const fields: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(parsed.data.state.values)) {
    const element = elements[FIELD_ACTION_ID];
    const value = element?.value ?? element?.selected_option?.value;
    if (typeof value === 'string') fields[blockId] = value;
  }
  return { ok: true, action, issueId: parsed.data.private_metadata, fields };
}

// `message_changed`: the message as it is now, under `message`; `message_deleted`: the removed `ts`.
const changedEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_changed'),
  channel: z.string().min(1),
  event_ts: z.string().regex(SLACK_TS).optional(),
  message: z.object({
    ts: z.string().regex(SLACK_TS),
    text: z.string().optional(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
    files: z.array(z.unknown()).optional(),
  }),
});

const deletedEventSchema = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_deleted'),
  channel: z.string().min(1),
  deleted_ts: z.string().regex(SLACK_TS),
  event_ts: z.string().regex(SLACK_TS).optional(),
});

/**
 * A `message_changed` or `message_deleted` event as the core's neutral change (pure), or undefined for any
 * other event. Bots' messages (Heed's own included) are not followed. Slack sends `message_changed` for
 * things that are not edits too (a link preview, a thread's reply count): the core finds nothing changed.
 */
export function readMessageChange(raw: unknown, now: number): MessageChange | undefined {
  const changed = changedEventSchema.safeParse(raw);
  if (changed.success) {
    const { channel, message, event_ts } = changed.data;
    if (message.bot_id !== undefined || message.user === undefined) return undefined;
    return {
      kind: 'edited',
      platform: 'slack',
      channel,
      messageId: message.ts,
      text: slackMarkupToPlain(message.text ?? ''),
      files: slackFiles(message.files),
      at: event_ts ? slackTsToMillis(event_ts) : now,
    };
  }
  const deleted = deletedEventSchema.safeParse(raw);
  if (deleted.success) {
    const { channel, deleted_ts, event_ts } = deleted.data;
    return {
      kind: 'deleted',
      platform: 'slack',
      channel,
      messageId: deleted_ts,
      at: event_ts ? slackTsToMillis(event_ts) : now,
    };
  }
  return undefined;
}
