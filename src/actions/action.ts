import { z } from 'zod';
import type { HeedConfig } from '../config/schema.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { UserRef } from '../domain/refs.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { ActionButton, FormField, FormSpec } from '../ports/chat-port.ts';
import type { CommandReply } from '../ports/inbound-port.ts';

/**
 * Whether an action's form must be filled before it runs (`required`: a button whose form cannot be opened
 * any more points to the command instead), or is only offered (`offered`: the form adds something optional,
 * such as a rating's comment, and without it the action runs at once).
 */
export type FormNeed = 'required' | 'offered';

/** The form a button opens before its action runs, in neutral terms; adapters render it as a modal. */
export interface ActionForm {
  readonly need: FormNeed;
  /** The form's title for an issue, from its reference (`Resolve #42`). */
  title(reference: string): string;
  /** One field per value the action's schema reads, by the same names. */
  readonly fields: readonly FormField[];
  /** Fields that depend on the issue and the config (choices, initial values); `fields` without a config. */
  build?(issue: Issue, config: HeedConfig): readonly FormField[];
}

/**
 * The staff operations a button may run on the issue it was pressed on, for the person who pressed it,
 * each answering as a command does. The action runner binds them (`src/actions/issue-operations.ts`), so
 * the action files stay free of the operations' imports (which draw cards with these very buttons).
 */
export interface IssueOperations {
  claim(): Promise<CommandReply>;
  acknowledge(): Promise<CommandReply>;
  resolve(summary: string): Promise<CommandReply>;
  escalate(reason: string): Promise<CommandReply>;
  apologize(reason: string): Promise<CommandReply>;
  snooze(durationMs: number, reason: string): Promise<CommandReply>;
  /** The customer's verdict on the resolution, with an optional comment. */
  rate(score: 'up' | 'down', comment: string | undefined): Promise<CommandReply>;
  /** The customer's answer to the NPS question (0–10), with an optional comment. */
  nps(score: number, comment: string | undefined): Promise<CommandReply>;
  /** Sends a saved reply (its template, or the template as the person edited it). */
  answer(replyId: string, edited: string | undefined): Promise<CommandReply>;
}

/**
 * One button, defined once: its name (the `heed:<name>` of Slack action ids and Discord custom ids), how
 * it looks, its optional form, the schema of the values it carries (the form's fields), and what it does.
 * Both adapters and the core's cards read it from the registry (`src/actions/registry.ts`).
 */
export interface ActionDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** What the button says. */
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  readonly form?: ActionForm;
  /**
   * Refuses a press before its form opens (pure, on the pressed issue): what the person is told instead,
   * such as that only the customer may answer, or that they already did. `run` checks again.
   */
  refuse?(issue: Issue, person: UserRef): Rich | undefined;
  /** The values the button carries after its form: validated before anything runs. */
  readonly schema: S;
  /** Does what the button says, through the operations bound to the pressed issue and its presser. */
  run(on: IssueOperations, values: z.output<S>): Promise<CommandReply>;
}

/** Identity helper that keeps the schema's output type for `run`. */
export function defineAction<S extends z.ZodType>(definition: ActionDefinition<S>): ActionDefinition<S> {
  return definition;
}

/** A reason, summary or message a form asks for: required, trimmed, 3000 characters at most. */
export const formText = z.string().trim().min(1, 'please give a reason').max(3000);

/** The form an action's button opens for an issue (built for it when the config is given), if it has one. */
export function formOf(
  action: ActionDefinition,
  issue: Pick<Issue, 'number'> | Issue,
  config?: HeedConfig,
): FormSpec | undefined {
  if (!action.form) return undefined;
  const fields =
    action.form.build && config && 'history' in issue ? action.form.build(issue, config) : action.form.fields;
  return { title: action.form.title(issueRef(issue)), fields };
}

/** The action's button on an issue, carrying its form (so a press can open it without asking the core). */
export function buttonFor(
  action: ActionDefinition,
  issue: Pick<Issue, 'id' | 'number'> | Issue,
  config?: HeedConfig,
): ActionButton {
  const form = formOf(action, issue, config);
  return {
    action: action.name,
    issueId: issue.id,
    label: action.label,
    ...(action.style ? { style: action.style } : {}),
    ...(form ? { form } : {}),
  };
}
