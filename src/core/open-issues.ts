/**
 * What stays in memory for every not-yet-closed issue: a summary, enough for queues and the SLA due
 * index, found by id or number. Loaded from the `issues` rows at start and kept current by every commit
 * (and, in shared mode, by the other instances' announcements).
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { SummaryChange } from '../coordination/coordination.ts';
import { customerSchema, type Issue, issueStatusSchema, prioritySchema } from '../domain/issue.ts';
import { userRefSchema } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import { earliestDue } from '../sla/sla-state.ts';
import type { IssuesTable } from '../store/tables.ts';
import { HeedError } from './errors.ts';

/** A summary as kept in memory and announced to the other instances. */
export const issueSummarySchema = z.object({
  id: z.string(),
  number: z.number().int().positive(),
  status: issueStatusSchema,
  priority: prioritySchema,
  team: z.string(),
  owner: userRefSchema.optional(),
  customer: customerSchema,
  openedAt: z.number().int(),
  nextAlertAt: z.number().optional(),
  /** The earliest deadline of the running SLA clocks (none while waiting on the customer or resolved). */
  dueAt: z.number().optional(),
});
export type IssueSummary = z.infer<typeof issueSummarySchema>;

/** The summary of an issue (with its next SLA alert, when it has one). */
export function summarize(issue: Issue & { sla?: { nextAlertAt?: number | undefined } }): IssueSummary {
  const due = issue.sla ? earliestDue(issue.sla) : undefined;
  return {
    id: issue.id,
    number: issue.number,
    status: issue.status,
    priority: issue.priority,
    team: issue.team,
    ...(issue.owner ? { owner: issue.owner } : {}),
    customer: issue.customer,
    openedAt: issue.openedAt,
    ...(issue.sla?.nextAlertAt !== undefined ? { nextAlertAt: issue.sla.nextAlertAt } : {}),
    ...(due !== undefined ? { dueAt: due } : {}),
  };
}

/** What other instances and the queue keep of an issue: its summary, or nothing once it is closed. */
export function summaryOf(issue: Issue): IssueSummary | undefined {
  return issue.status === 'closed' ? undefined : summarize(issue);
}

/** The `issues` columns a summary is read from. */
export const SUMMARY_COLUMNS = [
  'id',
  'number',
  'status',
  'priority',
  'team',
  'owner',
  'customer',
  'opened_at',
  'next_alert_at',
  'due_at',
] as const;

type SummaryRow = Pick<Selectable<IssuesTable>, (typeof SUMMARY_COLUMNS)[number]>;

/** The summary of an `issues` row, validated (an invalid row is refused by the issue's id). */
export function summaryFromRow(row: SummaryRow): IssueSummary {
  const owner = row.owner === null ? undefined : row.owner.split(':');
  const result = issueSummarySchema.safeParse({
    id: row.id,
    number: row.number,
    status: row.status,
    priority: row.priority,
    team: row.team,
    ...(owner ? { owner: { platform: owner[0], id: owner.slice(1).join(':') } } : {}),
    // Validated once, with the rest of the summary.
    customer: parseColumn(row.customer),
    openedAt: row.opened_at,
    ...(row.next_alert_at !== null ? { nextAlertAt: row.next_alert_at } : {}),
    ...(row.due_at !== null ? { dueAt: row.due_at } : {}),
  });
  if (!result.success) {
    throw new HeedError(
      'STORE_RECORD_INVALID',
      `Stored issue ${row.id} is not valid: ${z.prettifyError(result.error)}`,
      {
        issueId: row.id,
      },
    );
  }
  return result.data;
}

function parseColumn(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The summaries of the not-yet-closed issues, by id and by number. */
export class OpenIssues {
  private readonly summaries = new Map<string, IssueSummary>();
  private readonly byNumber = new Map<number, string>();

  get size(): number {
    return this.summaries.size;
  }

  /** Replaces every summary (a load). */
  reset(summaries: readonly IssueSummary[]): void {
    this.summaries.clear();
    this.byNumber.clear();
    for (const summary of summaries) this.remember(summary);
  }

  /** After a commit: a closed issue is forgotten, any other remembered as it is now. */
  committed(issue: Issue): IssueSummary | undefined {
    const summary = summaryOf(issue);
    if (summary) this.remember(summary);
    else this.forget(issue.id);
    return summary;
  }

  /** Applies another instance's announcement (shared mode). */
  announced(change: SummaryChange, logger: Logger): void {
    if (change.summary === undefined) {
      this.forget(change.id);
      return;
    }
    const parsed = issueSummarySchema.safeParse(change.summary);
    if (parsed.success && parsed.data.id === change.id) this.remember(parsed.data);
    else logger.warn({ issueId: change.id }, 'ignored an unreadable issue announcement');
  }

  list(): IssueSummary[] {
    return [...this.summaries.values()];
  }

  idOf(number: number): string | undefined {
    return this.byNumber.get(number);
  }

  private remember(summary: IssueSummary): void {
    this.summaries.set(summary.id, summary);
    this.byNumber.set(summary.number, summary.id);
  }

  private forget(id: string): void {
    const summary = this.summaries.get(id);
    if (summary) this.byNumber.delete(summary.number);
    this.summaries.delete(id);
  }
}
