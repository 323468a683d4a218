import type { HeedConfig } from '../config/schema.ts';
import type { Issue } from '../domain/issue.ts';
import type { FormSpec } from '../ports/chat-port.ts';
import { acknowledgeAction } from './acknowledge.ts';
import { type ActionDefinition, formOf } from './action.ts';
import { answerAction } from './answer.ts';
import { apologizeAction } from './apologize.ts';
import { claimAction } from './claim.ts';
import { escalateAction } from './escalate.ts';
import { NPS_ACTIONS } from './nps.ts';
import { rateDownAction, rateUpAction } from './rate.ts';
import { resolveAction } from './resolve.ts';
import { snoozeAction } from './snooze.ts';

/**
 * Every button Heed has. The core's cards, alerts and rating prompts build their buttons from these; the
 * adapters read them to decide whether a press opens a form (and whether it must), to validate the action
 * names coming back in Slack action ids and Discord custom ids, and the action runner runs them.
 */
export const ACTIONS: readonly ActionDefinition[] = [
  claimAction,
  resolveAction,
  escalateAction,
  acknowledgeAction,
  snoozeAction,
  apologizeAction,
  rateUpAction,
  rateDownAction,
  answerAction,
  ...NPS_ACTIONS,
] as readonly ActionDefinition[];

/** The action with this name, if Heed has one. */
export function findAction(name: string): ActionDefinition | undefined {
  return ACTIONS.find((action) => action.name === name);
}

/** The form an action's button opens on an issue (also for buttons sent before a restart), if it has one. */
export function formFor(
  issue: Pick<Issue, 'number'> | Issue,
  name: string,
  config?: HeedConfig,
): FormSpec | undefined {
  const action = findAction(name);
  return action ? formOf(action, issue, config) : undefined;
}
