import { issueLog, refreshCard } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import type { Saved } from '../core/issue-repository.ts';
import { actorFor } from '../core/people.ts';
import type { Issue } from '../domain/issue.ts';
import type { Actor, Transition } from '../domain/lifecycle.ts';
import type { Rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';

/** The result of a staff operation: what to tell the person who asked. */
export type OperationResult =
  | { readonly ok: true; readonly issue: Issue; readonly reply: Rich }
  | { readonly ok: false; readonly reply: Rich; readonly code: string };

/** How a step differs from a staff operation (a rating logs in its own words and is not on the card). */
export interface OperateOptions {
  /** Logs `operation applied` / `operation refused` (default true). */
  readonly logged?: boolean;
  /** Updates the team card afterwards (default true). */
  readonly updatesCard?: boolean;
}

/**
 * Every operation on an issue goes through here: the transition (pure) runs on the fresh issue under its
 * lock and is stored with its ledger events; only then do its chat effects go out, and the team card is
 * updated. A refused transition changes nothing and tells the person why.
 */
export async function operate(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  transition: (issue: Issue, actor: Actor, now: number) => Transition,
  effects: (saved: Saved, actor: Actor) => Promise<Rich>,
  options: OperateOptions = {},
): Promise<OperationResult> {
  const actor = actorFor(core.config, person);
  const now = core.clock.now();
  const saved = await core.issues.update(issue.id, (current) => transition(current, actor, now));
  const log = issueLog(core, issue);
  const logged = options.logged ?? true;
  if (!('issue' in saved)) {
    if (logged) log.info({ code: saved.code, actor: person.id }, 'operation refused');
    return { ok: false, reply: saved.message, code: saved.code };
  }
  if (logged) log.info({ events: saved.events.map((e) => e.kind), actor: person.id }, 'operation applied');
  const reply = await effects(saved, actor);
  if (options.updatesCard ?? true) await refreshCard(core, saved.issue);
  return { ok: true, issue: saved.issue, reply };
}
