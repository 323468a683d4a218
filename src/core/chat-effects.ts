import { type Issue, issueRef } from '../domain/issue.ts';
import type { Logger } from '../logging/logger.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { Core } from './core.ts';
import { teamCard } from './presenter.ts';

/** Runs a chat effect; a platform failure is logged and never undoes what was stored. */
export async function safely<T>(
  core: Pick<Core, 'logger'>,
  what: string,
  effect: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await effect();
  } catch (error) {
    core.logger.warn({ err: error, effect: what }, 'chat effect failed; state is stored, will not retry now');
    return undefined;
  }
}

/** A child logger bound to one issue: `{ module, platform, issue }` on every line. */
export function issueLog(core: Pick<Core, 'logger'>, issue: Pick<Issue, 'number' | 'conversation'>): Logger {
  return core.logger.child({ platform: issue.conversation.platform, issue: issue.number });
}

/** Updates the team card in place after any change. */
export async function refreshCard(
  core: Pick<Core, 'logger' | 'chat' | 'config'>,
  issue: Issue,
): Promise<void> {
  const ref = issue.card;
  if (!ref) return;
  await safely(core, 'card update', () =>
    core.chat.update(ref, {
      text: rich`Issue ${bold(issueRef(issue))} · ${issue.status}`,
      card: teamCard(issue, core.config),
    }),
  );
}
