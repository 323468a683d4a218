/** Imports the old thread index: which issue each conversation (`platform:channel:thread`) belongs to. */
import { z } from 'zod';
import { chunks, type ImportRun, zodReason } from './import-run.ts';

const threadPointerSchema = z.object({ v: z.literal(1), issueId: z.string().min(1) });
/** `platform:channel:thread`, as `conversationKey` writes it. */
const CONVERSATION_KEY = /^(slack|discord):[^:]+:[^:]+$/;

/** The old thread index, after the issues: a follow-up issue keeps the thread of the issue it follows. */
export async function importThreads(run: ImportRun, sourceIssues: ReadonlySet<string>): Promise<void> {
  const keys = run.keysOf('threads');
  let done = 0;
  for (const batch of chunks(keys, run.batch)) {
    const pointers = new Map<string, string>();
    for (const [key, value] of await run.documents('threads', batch, run.threads)) {
      const pointer = threadPointerSchema.safeParse(value);
      if (!pointer.success) {
        run.problem(run.threads, 'threads', key, `not a thread pointer: ${zodReason(pointer.error)}`);
      } else if (!CONVERSATION_KEY.test(key)) {
        run.problem(run.threads, 'threads', key, 'the key is not a conversation (platform:channel:thread)');
      } else {
        pointers.set(key, pointer.data.issueId);
      }
    }
    await storeThreads(run, pointers, sourceIssues);
    const previous = done;
    done += batch.length;
    run.progress('threads', done, keys.length, previous);
  }
}

async function storeThreads(
  run: ImportRun,
  pointers: Map<string, string>,
  sourceIssues: ReadonlySet<string>,
): Promise<void> {
  if (pointers.size === 0) return;
  const present = new Set(
    (
      await run.to.db
        .selectFrom('issues')
        .select('id')
        .where('id', 'in', [...new Set(pointers.values())])
        .execute()
    ).map((row) => row.id),
  );
  const rows = new Map(
    (
      await run.to.db
        .selectFrom('threads')
        .select(['conversation', 'issue_id'])
        .where('conversation', 'in', [...pointers.keys()])
        .execute()
    ).map((row) => [row.conversation, row.issue_id]),
  );
  const changes: { conversation: string; issue_id: string }[] = [];
  for (const [conversation, issueId] of pointers) {
    const current = rows.get(conversation);
    if (!present.has(issueId)) {
      if (sourceIssues.has(issueId)) {
        run.problem(
          run.threads,
          'threads',
          conversation,
          `points at issue ${issueId}, which was not imported (see that issue)`,
        );
      } else
        run.skip('threads', conversation, `points at issue ${issueId}, which the old store does not hold`);
    } else if (current === issueId) {
      if (run.threadsWritten.has(conversation)) run.threads.imported += 1;
      else run.threads.unchanged += 1;
    } else if (current !== undefined && !sourceIssues.has(current)) {
      run.skip(
        'threads',
        conversation,
        `the new store gives this thread to its own issue ${current}; left there`,
      );
    } else {
      changes.push({ conversation, issue_id: issueId });
    }
  }
  if (changes.length === 0) return;
  await run.to.change((trx) =>
    trx
      .insertInto('threads')
      .values(changes)
      .onConflict((conflict) =>
        conflict.column('conversation').doUpdateSet({ issue_id: (eb) => eb.ref('excluded.issue_id') }),
      )
      .execute(),
  );
  run.threads.imported += changes.length;
}
