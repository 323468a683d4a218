/** Imports the manager digest time and moves the issue numbering past the old store's. */
import { z } from 'zod';
import { ISSUE_NUMBER_COUNTER, raiseCounter } from '../../core/issue-rows.ts';
import { DIGEST_ROW } from '../../digest/digest-scheduler.ts';
import { type ImportRun, tally, zodReason } from './import-run.ts';

const issueCounterSchema = z.object({ v: z.literal(1), last: z.number().int().nonnegative() });
const digestStateSchema = z.object({
  v: z.literal(1),
  lastSlot: z.number().int(),
  sentAt: z.number().int().optional(),
});
const ISSUE_COUNTER_KEY = 'issue-counter';
/** Heed 0.1 kept the manager digest state as `digest:last-sent`; it goes to the `digests` row DIGEST_ROW. */
const DIGEST_STATE_KEY = 'last-sent';

/** The manager digest's last time, unless the new store already holds a later one. */
export async function importDigest(run: ImportRun): Promise<void> {
  const keys = run.keysOf('digest');
  const others = keys.filter((key) => key !== DIGEST_STATE_KEY);
  if (others.length > 0) run.notCopied.digest = others.length;
  if (others.length === keys.length) return;
  const value = (await run.documents('digest', [DIGEST_STATE_KEY], run.digests)).get(DIGEST_STATE_KEY);
  if (value !== undefined) {
    const state = digestStateSchema.safeParse(value);
    if (!state.success) {
      run.problem(run.digests, 'digest', DIGEST_STATE_KEY, `not a digest state: ${zodReason(state.error)}`);
    } else {
      await storeDigest(run, state.data);
    }
  }
  run.stageDone('digest');
}

async function storeDigest(run: ImportRun, state: z.infer<typeof digestStateSchema>): Promise<void> {
  const row = await run.to.db
    .selectFrom('digests')
    .select(['last_slot', 'sent_at'])
    .where('name', '=', DIGEST_ROW)
    .executeTakeFirst();
  // Never moves the digest back: a later time in the new store was sent by the new server.
  if (row !== undefined && row.last_slot >= state.lastSlot) {
    run.digests.unchanged += 1;
    return;
  }
  const values = { last_slot: state.lastSlot, sent_at: state.sentAt ?? null };
  await run.to.change((trx) =>
    trx
      .insertInto('digests')
      .values({ name: DIGEST_ROW, ...values })
      .onConflict((conflict) => conflict.column('name').doUpdateSet(values))
      .execute(),
  );
  run.digests.imported += 1;
}

/** Moves the numbering up to the old counter (and past every imported number), never down. */
export async function importNumbering(run: ImportRun): Promise<void> {
  const meta = run.keysOf('meta');
  const others = meta.filter((key) => key !== ISSUE_COUNTER_KEY).length;
  if (others > 0) run.notCopied.meta = others;
  let oldLast: number | undefined;
  if (others < meta.length) {
    const counts = tally();
    const value = (await run.documents('meta', [ISSUE_COUNTER_KEY], counts)).get(ISSUE_COUNTER_KEY);
    const counter = value === undefined ? undefined : issueCounterSchema.safeParse(value);
    if (counter?.success) oldLast = counter.data.last;
    else if (counter) {
      run.problem(
        counts,
        'meta',
        ISSUE_COUNTER_KEY,
        `not an issue counter (${zodReason(counter.error)}); numbering continues after the highest imported issue`,
      );
    }
  }
  const wanted = Math.max(oldLast ?? 0, run.highestNumber);
  const row = await run.to.db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', ISSUE_NUMBER_COUNTER)
    .executeTakeFirst();
  const current = row?.value ?? 0;
  const raised = wanted > current;
  if (raised) await run.to.change((trx) => raiseCounter(trx, ISSUE_NUMBER_COUNTER, wanted));
  run.numbering = { oldLast, last: Math.max(current, wanted), raised };
  run.stageDone('numbering');
}
