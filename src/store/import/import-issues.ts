/** Imports the old store's issues: each validated, written with its ledger, thread and state. */
import { insertIssues } from '../../core/issue-rows.ts';
import { type Issue, issueSchema } from '../../domain/issue.ts';
import { conversationKey } from '../../domain/refs.ts';
import { causeText, isConstraintViolation } from '../store-error.ts';
import { chunks, type ImportRun, zodReason } from './import-run.ts';

function parseIssue(run: ImportRun, key: string, value: unknown): Issue | undefined {
  const parsed = issueSchema.safeParse(value);
  if (!parsed.success) {
    run.problem(run.issues, 'issues', key, `not a valid issue: ${zodReason(parsed.error)}`);
    return undefined;
  }
  const issue = parsed.data;
  if (issue.id !== key) {
    run.problem(run.issues, 'issues', key, `the document holds issue ${issue.id}, not ${key}`);
    return undefined;
  }
  const stray = issue.history.find((event) => event.issueId !== issue.id);
  if (stray) {
    run.problem(run.issues, 'issues', key, `ledger event ${stray.id} belongs to issue ${stray.issueId}`);
    return undefined;
  }
  return issue;
}

/** The old issues, in batches; one the new store already holds at the same revision is left alone. */
export async function importIssues(run: ImportRun): Promise<void> {
  const keys = run.keysOf('issues');
  let done = 0;
  for (const batch of chunks(keys, run.batch)) {
    const values = await run.documents('issues', batch, run.issues);
    const issues: Issue[] = [];
    for (const [key, value] of values) {
      const issue = parseIssue(run, key, value);
      if (issue) issues.push(issue);
    }
    await storeIssues(run, issues);
    const previous = done;
    done += batch.length;
    run.progress('issues', done, keys.length, previous);
  }
}

async function storeIssues(run: ImportRun, issues: readonly Issue[]): Promise<void> {
  if (issues.length === 0) return;
  const ids = issues.map((issue) => issue.id);
  const stored = new Map(
    (await run.to.db.selectFrom('issues').select(['id', 'revision']).where('id', 'in', ids).execute()).map(
      (row) => [row.id, row.revision],
    ),
  );
  const numbers = new Map(
    (
      await run.to.db
        .selectFrom('issues')
        .select(['id', 'number'])
        .where(
          'number',
          'in',
          issues.map((issue) => issue.number),
        )
        .execute()
    ).map((row) => [row.number, row.id]),
  );
  const fresh: Issue[] = [];
  for (const issue of issues) {
    const revision = stored.get(issue.id);
    const holder = numbers.get(issue.number);
    if (revision === issue.revision) {
      run.issues.unchanged += 1;
      run.highestNumber = Math.max(run.highestNumber, issue.number);
    } else if (revision !== undefined) {
      run.highestNumber = Math.max(run.highestNumber, issue.number);
      run.otherRevision(run.issues, 'issues', issue.id, revision, issue.revision);
    } else if (holder !== undefined && holder !== issue.id) {
      run.problem(
        run.issues,
        'issues',
        issue.id,
        `its number #${issue.number} is already taken by issue ${holder} in the new store`,
      );
    } else {
      fresh.push(issue);
    }
  }
  if (fresh.length === 0) return;
  // Oldest first, so a follow-up issue takes its predecessor's thread (the thread pass confirms it).
  fresh.sort((a, b) => a.number - b.number);
  try {
    await run.to.change((trx) => insertIssues(trx, fresh));
    for (const issue of fresh) issueStored(run, issue);
  } catch (error) {
    if (!isConstraintViolation(error)) throw error;
    // Something in the batch is refused: store them one by one, so only the bad one stays out.
    for (const issue of fresh) {
      try {
        await run.to.change((trx) => insertIssues(trx, [issue]));
        issueStored(run, issue);
      } catch (single) {
        if (!isConstraintViolation(single)) throw single;
        run.problem(run.issues, 'issues', issue.id, `the new store refused it: ${causeText(single)}`);
      }
    }
  }
}

function issueStored(run: ImportRun, issue: Issue): void {
  run.issues.imported += 1;
  run.issues.ledgerEvents += issue.history.length;
  run.highestNumber = Math.max(run.highestNumber, issue.number);
  run.threadsWritten.add(conversationKey(issue.conversation));
}
