import type { IssueSummary } from '../core/open-issues.ts';
import { customerLabel } from '../core/presenter.ts';
import { isActive, issueRef, priorityRank } from '../domain/issue.ts';
import { bold, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';

export const LIST_LIMIT = 20;

/** Urgent first, then oldest first. */
export function byUrgency(a: IssueSummary, b: IssueSummary): number {
  return priorityRank(a.priority) - priorityRank(b.priority) || a.openedAt - b.openedAt;
}

function line(issue: IssueSummary): Rich {
  const owner = issue.owner ? rich`${issue.owner}` : rich`unclaimed`;
  return rich`• ${bold(issueRef(issue))} ${issue.priority} · ${issue.status} · ${owner} · ${customerLabel(issue)} · opened ${time(issue.openedAt)}`;
}

/** A readable list of issues, capped, with a count of what was left out. */
export function issueList(title: string, issues: readonly IssueSummary[], empty: string): Rich {
  const active = issues.filter(isActive).sort(byUrgency);
  if (active.length === 0) return rich`${empty}`;
  const shown = active.slice(0, LIST_LIMIT).map(line);
  const more = active.length > LIST_LIMIT ? rich`\n…and ${active.length - LIST_LIMIT} more.` : rich``;
  return rich`${bold(`${title} (${active.length})`)}\n${joinRich(shown, '\n')}${more}`;
}
