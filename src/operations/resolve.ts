import { ratingButtons } from '../actions/rate.ts';
import type { HeedConfig } from '../config/schema.ts';
import type { Core } from '../core/core.ts';
import type { OutboxDraft } from '../core/outbox.ts';
import { templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, rich } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { ratingOf } from '../satisfaction/rating.ts';
import { formatDuration } from '../sla/duration.ts';
import { askNpsIfDue } from './net-promoter.ts';
import { type OperationResult, operate } from './operate.ts';

/**
 * The resolution notice for the customer's thread, recorded in the outbox with the resolution (so a crash
 * right after it still sends it, once): the summary, and the rating buttons unless the customer has rated.
 */
function resolutionDraft(config: HeedConfig, issue: Issue, summary: string): OutboxDraft {
  const resolutions = issue.history.filter((event) => event.kind === 'resolved').length;
  return {
    key: `resolution:${resolutions}`,
    kind: 'resolution',
    group: `resolution:${issue.id}:${resolutions}`,
    target: { kind: 'reply', conversation: issue.conversation },
    message: {
      text: renderTemplate(config.templates.resolution, templateValues(config, issue, { summary })),
      // The customer rates each issue once; a resolution after a reopen asks only if not yet rated.
      ...(ratingOf(issue) ? {} : { actions: ratingButtons(issue) }),
    },
  };
}

/** Resolves the issue and tells the customer, asking for a rating if they have not given one. */
export function resolve(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  summary: string,
): Promise<OperationResult> {
  return operate(
    core,
    issue,
    person,
    (i, a, now) => {
      const resolved = lifecycle.resolve(i, a, summary, now);
      if (!resolved.ok) return resolved;
      return {
        ...resolved,
        outbox: { at: now, drafts: [resolutionDraft(core.config, resolved.issue, summary)] },
      };
    },
    async ({ issue: i, outbox }) => {
      await core.outbox.send(outbox ?? [], core.clock.now(), false);
      await askNpsIfDue(core, i);
      return rich`Resolved ${bold(issueRef(i))}. The customer can reply within ${formatDuration(core.config.reopenWindow)} to reopen it.`;
    },
  );
}
