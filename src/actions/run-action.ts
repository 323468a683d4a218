import { z } from 'zod';
import type { Core } from '../core/core.ts';
import { code, rich } from '../messages/rich-text.ts';
import type { ActionRequest, CommandReply } from '../ports/inbound-port.ts';
import { operationsOn } from './issue-operations.ts';
import { ACTIONS, findAction } from './registry.ts';

type Option = z.ZodObject<{ action: z.ZodLiteral<string>; fields: z.ZodType }>;

/** What each button may carry, by action (from the registry): validated before anything runs. */
const requestSchema = z.discriminatedUnion(
  'action',
  ACTIONS.map((action) => z.object({ action: z.literal(action.name), fields: action.schema })) as [
    Option,
    ...Option[],
  ],
);

const ISSUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whether a press is refused before its form opens (the action's `refuse`, on the fresh issue): the reply to
 * give instead of the form, or undefined to go on. Unknown actions and issues go on: `runAction` answers them.
 */
export async function refusalBeforeForm(
  core: Core,
  request: Pick<ActionRequest, 'person' | 'action' | 'issueId'>,
): Promise<CommandReply | undefined> {
  const action = findAction(request.action);
  if (!action?.refuse || !ISSUE_ID.test(request.issueId)) return undefined;
  const issue = await core.issues.get(request.issueId);
  const refused = issue ? action.refuse(issue, request.person) : undefined;
  return refused ? { visibility: 'ephemeral', text: refused } : undefined;
}

/**
 * Runs a card button (after its form, if any) for a person: finds the action in the registry, validates
 * what the button carries with its schema, and runs it on the issue; always answers with something friendly.
 */
export async function runAction(core: Core, request: ActionRequest): Promise<CommandReply> {
  const parsed = requestSchema.safeParse({ action: request.action, fields: request.fields ?? {} });
  const action = parsed.success ? findAction(parsed.data.action) : undefined;
  if (!parsed.success || !action) {
    const first = parsed.error?.issues[0];
    core.logger.warn({ action: request.action, user: request.person.id }, 'refused: malformed action');
    return {
      visibility: 'ephemeral',
      text: rich`That button did not work: ${first?.message ?? 'unknown action'}. Try again, or use ${code('/heed help')}.`,
    };
  }
  const issue = ISSUE_ID.test(request.issueId) ? await core.issues.get(request.issueId) : undefined;
  if (!issue) return { visibility: 'ephemeral', text: rich`That issue no longer exists.` };
  return action.run(operationsOn(core, issue, request.person), parsed.data.fields);
}
