import { z } from 'zod';
import { type CommandReply, operationReply } from '../commands/command.ts';
import { durationString } from '../config/schema.ts';
import { code, rich } from '../messages/rich-text.ts';
import type { ActionName } from '../ports/chat-port.ts';
import { rateIssue } from '../satisfaction/rate-issue.ts';
import { COMMENT_LENGTH } from '../satisfaction/rating.ts';
import type { PersonFacts } from './access-resolver.ts';
import type { Heed } from './heed.ts';

const reason = z.string().trim().min(1, 'please give a reason').max(3000);
// The rating form's comment is optional: an empty or missing one is no comment; a long one is cut.
const comment = z
  .string()
  .optional()
  .transform((value) => value?.trim().slice(0, COMMENT_LENGTH) || undefined);

/** What each button may carry: validated before anything runs. */
const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('claim'), fields: z.object({}).passthrough() }),
  z.object({ action: z.literal('acknowledge'), fields: z.object({}).passthrough() }),
  z.object({ action: z.literal('resolve'), fields: z.object({ summary: reason }) }),
  z.object({ action: z.literal('escalate'), fields: z.object({ reason }) }),
  z.object({ action: z.literal('apologize'), fields: z.object({ reason }) }),
  z.object({ action: z.literal('snooze'), fields: z.object({ duration: durationString, reason }) }),
  z.object({ action: z.literal('rate-up'), fields: z.object({ comment }) }),
  z.object({ action: z.literal('rate-down'), fields: z.object({ comment }) }),
]);

export interface ActionRequest {
  readonly person: PersonFacts;
  readonly action: ActionName | string;
  readonly issueId: string;
  /** Values from the form the button opened (summary, reason, duration). */
  readonly fields?: Record<string, unknown>;
}

/** Runs a card button (after its form, if any) for a person; always answers with something friendly. */
const ISSUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function runAction(heed: Heed, request: ActionRequest): Promise<CommandReply> {
  const parsed = actionSchema.safeParse({ action: request.action, fields: request.fields ?? {} });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    heed.logger.warn({ action: request.action, user: request.person.id }, 'refused: malformed action');
    return {
      visibility: 'ephemeral',
      text: rich`That button did not work: ${first?.message ?? 'unknown action'}. Try again, or use ${code('/heed help')}.`,
    };
  }
  const issue = ISSUE_ID.test(request.issueId) ? await heed.issues.get(request.issueId) : undefined;
  if (!issue) return { visibility: 'ephemeral', text: rich`That issue no longer exists.` };
  const person = request.person;
  const action = parsed.data;
  switch (action.action) {
    case 'claim':
      return operationReply(await heed.claim(issue, person));
    case 'acknowledge':
      return operationReply(await heed.acknowledge(issue, person));
    case 'resolve':
      return operationReply(await heed.resolve(issue, person, action.fields.summary));
    case 'escalate':
      return operationReply(await heed.escalate(issue, person, action.fields.reason));
    case 'apologize':
      return operationReply(await heed.apologize(issue, person, action.fields.reason));
    case 'snooze':
      return operationReply(await heed.snooze(issue, person, action.fields.duration, action.fields.reason));
    case 'rate-up':
      return rateIssue(heed, issue, person, 'up', action.fields.comment);
    case 'rate-down':
      return rateIssue(heed, issue, person, 'down', action.fields.comment);
  }
}
