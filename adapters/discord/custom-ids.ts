import { z } from 'zod';
import { findAction } from '../../src/actions/registry.ts';
import type { ActionName } from '../../src/ports/chat-port.ts';

const actionSchema = z.string().refine((name) => findAction(name) !== undefined, 'not a Heed action');
const issueIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A button's target: what to do and to which issue. */
export interface ActionTarget {
  readonly action: ActionName;
  readonly issueId: string;
}

const BUTTON_PREFIX = 'heed';
const FORM_PREFIX = 'heed-form';

const targetSchema = (prefix: string) =>
  z
    .string()
    .max(100)
    .transform((value) => value.split(':'))
    .pipe(z.tuple([z.literal(prefix), actionSchema, issueIdSchema]))
    .transform(([, action, issueId]): ActionTarget => ({ action, issueId }));

const buttonIdSchema = targetSchema(BUTTON_PREFIX);
const formIdSchema = targetSchema(FORM_PREFIX);

/** `heed:<action>:<issueId>`: the custom_id of a Heed button. */
export function buttonCustomId(target: ActionTarget): string {
  return `${BUTTON_PREFIX}:${target.action}:${target.issueId}`;
}

/** `heed-form:<action>:<issueId>`: the custom_id of the modal a button opens. */
export function formCustomId(target: ActionTarget): string {
  return `${FORM_PREFIX}:${target.action}:${target.issueId}`;
}

/** Validates a button custom_id coming back from Discord; anything else is undefined. */
export function parseButtonCustomId(customId: string): ActionTarget | undefined {
  const parsed = buttonIdSchema.safeParse(customId);
  return parsed.success ? parsed.data : undefined;
}

/** Validates a modal custom_id coming back from Discord; anything else is undefined. */
export function parseFormCustomId(customId: string): ActionTarget | undefined {
  const parsed = formIdSchema.safeParse(customId);
  return parsed.success ? parsed.data : undefined;
}
