import { z } from 'zod';
import { operationReply } from '../commands/command.ts';
import { durationString } from '../config/schema.ts';
import { code, rich } from '../messages/rich-text.ts';
import { acknowledge } from '../operations/acknowledge.ts';
import { apologize } from '../operations/apologize.ts';
import { claim } from '../operations/claim.ts';
import { escalate } from '../operations/escalate.ts';
import { rateIssue } from '../operations/rate.ts';
import { resolve } from '../operations/resolve.ts';
import { snooze } from '../operations/snooze.ts';
import type { ActionRequest, CommandReply } from '../ports/inbound-port.ts';
import { COMMENT_LENGTH } from '../satisfaction/rating.ts';
import type { Core } from './core.ts';

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

const ISSUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Runs a card button (after its form, if any) for a person; always answers with something friendly. */
export async function runAction(core: Core, request: ActionRequest): Promise<CommandReply> {
  const parsed = actionSchema.safeParse({ action: request.action, fields: request.fields ?? {} });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    core.logger.warn({ action: request.action, user: request.person.id }, 'refused: malformed action');
    return {
      visibility: 'ephemeral',
      text: rich`That button did not work: ${first?.message ?? 'unknown action'}. Try again, or use ${code('/heed help')}.`,
    };
  }
  const issue = ISSUE_ID.test(request.issueId) ? await core.issues.get(request.issueId) : undefined;
  if (!issue) return { visibility: 'ephemeral', text: rich`That issue no longer exists.` };
  const person = request.person;
  const action = parsed.data;
  switch (action.action) {
    case 'claim':
      return operationReply(await claim(core, issue, person));
    case 'acknowledge':
      return operationReply(await acknowledge(core, issue, person));
    case 'resolve':
      return operationReply(await resolve(core, issue, person, action.fields.summary));
    case 'escalate':
      return operationReply(await escalate(core, issue, person, action.fields.reason));
    case 'apologize':
      return operationReply(await apologize(core, issue, person, action.fields.reason));
    case 'snooze':
      return operationReply(await snooze(core, issue, person, action.fields.duration, action.fields.reason));
    case 'rate-up':
      return rateIssue(core, issue, person, 'up', action.fields.comment);
    case 'rate-down':
      return rateIssue(core, issue, person, 'down', action.fields.comment);
  }
}
