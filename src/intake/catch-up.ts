import { safely } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { watermarkScope } from '../core/issue-rows.ts';
import { cardChannel } from '../core/people.ts';
import { customerLabel } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';
import { bold, joinRich, type Rich, rich, truncate } from '../messages/rich-text.ts';
import type { HistoryPort, InboundMessage, IntakeOutcome } from '../ports/inbound-port.ts';
import { formatDuration } from '../sla/duration.ts';
import { handleMessage } from './handle-message.ts';

/**
 * How far before a watermark reading starts again: messages handled concurrently may commit out of order
 * (and a crash can fall between them), so a little is read twice and deduplicated by message id.
 */
export const CATCH_UP_OVERLAP_MS = 10 * 60_000;
/** At most this many quietly opened issues are listed one by one in a team's summary. */
const SUMMARY_LINES = 20;

/** What one catch-up pass found. */
export interface CatchUpReport {
  readonly platform: Platform;
  readonly reason: string;
  /** Messages read back from history (channels and threads), before deduplication. */
  readonly read: number;
  /** Issues opened from them: `quiet` ones without a word to the customer. */
  readonly opened: number;
  readonly quiet: number;
  /** Messages added to issues (customer replies, staff responses, reopens). */
  readonly joined: number;
  /** Channels met for the first time: their watermark was set to now and nothing was read. */
  readonly started: number;
  /** Channels or threads that could not be read (the pass goes on; the next one reads them again). */
  readonly failed: number;
}

interface Tally {
  read: number;
  opened: number;
  joined: number;
  started: number;
  failed: number;
  readonly quiet: Issue[];
}

/**
 * Reads back what customers wrote while Heed was not listening on `history.platform` (down, restarting,
 * reconnecting, or another instance's gateway died) and hands every message to the normal intake, which
 * deduplicates by platform message id: a message handled live is never handled twice.
 *
 * - Each customer channel is read from its watermark (minus {@link CATCH_UP_OVERLAP_MS}). A channel
 *   without one (the very first start on an empty store, or a channel just added) starts from now:
 *   nobody is flooded with old history.
 * - Then the threads of not-yet-closed issues, the most recently updated first (`backfill.threads` at
 *   most), each from the newest message its issue has seen.
 * - A caught-up issue's SLA clocks start at the message's own time. Within `backfill.maxAge` the customer
 *   gets the acknowledgement with an apology; older ones open quietly and each team gets one summary.
 */
export async function catchUp(core: Core, history: HistoryPort, reason: string): Promise<CatchUpReport> {
  const { platform } = history;
  const log = core.logger.child({ platform, reason });
  const tally: Tally = { read: 0, opened: 0, joined: 0, started: 0, failed: 0, quiet: [] };
  const startedAt = core.clock.now();
  for (const channel of core.config.intake.filter((i) => i.platform === platform).map((i) => i.channel)) {
    await catchUpChannel(core, history, channel, startedAt, tally).catch((error: unknown) => {
      tally.failed += 1;
      log.warn(
        { err: error, channel },
        'could not read a customer channel back; the next catch-up tries again',
      );
    });
  }
  const threads = await core.issues.marks.activeThreads(platform, core.config.backfill.threads);
  const seen = await core.issues.marks.threadWatermarks(threads.map((t) => t.issueId));
  for (const { issueId, conversation } of threads) {
    const since = (seen.get(issueId) ?? startedAt) - CATCH_UP_OVERLAP_MS;
    try {
      for await (const message of history.threadMessages(conversation, since)) {
        await take(core, message, startedAt, tally);
      }
    } catch (error) {
      tally.failed += 1;
      log.warn({ err: error, issueId }, 'could not read an issue thread back; the next catch-up tries again');
    }
  }
  await postQuietSummaries(core, tally.quiet, startedAt);
  const { quiet, ...counts } = tally;
  const report: CatchUpReport = { platform, reason, ...counts, quiet: quiet.length };
  core.observer.caughtUp?.(platform, report.read);
  // `log` already carries platform and reason: written again, pino would repeat the keys.
  log.info({ ...counts, quiet: quiet.length }, 'caught up on messages written while away');
  return report;
}

async function catchUpChannel(
  core: Core,
  history: HistoryPort,
  channel: string,
  startedAt: number,
  tally: Tally,
): Promise<void> {
  const scope = watermarkScope(history.platform, channel);
  const watermark = await core.issues.marks.watermark(scope);
  if (watermark === undefined) {
    await core.issues.marks.raise(scope, startedAt);
    tally.started += 1;
    return;
  }
  let newest = watermark;
  for await (const message of history.channelMessages(channel, watermark - CATCH_UP_OVERLAP_MS)) {
    await take(core, message, startedAt, tally);
    newest = Math.max(newest, message.at);
  }
  // Everything read was handled (or ignored, as live): the next pass starts after it.
  await core.issues.marks.raise(scope, newest);
}

async function take(core: Core, message: InboundMessage, startedAt: number, tally: Tally): Promise<void> {
  tally.read += 1;
  const outcome: IntakeOutcome = await handleMessage(core, message, { caughtUpAt: startedAt });
  if (outcome.kind === 'opened') {
    tally.opened += 1;
    if (outcome.issue.caughtUp?.quiet) tally.quiet.push(outcome.issue);
  } else if (outcome.kind === 'appended' || outcome.kind === 'reopened' || outcome.kind === 'response') {
    tally.joined += 1;
  }
}

/** One post per team channel listing the issues opened quietly from old messages. */
async function postQuietSummaries(core: Core, issues: readonly Issue[], now: number): Promise<void> {
  const byChannel = new Map<
    string,
    { channel: NonNullable<ReturnType<typeof cardChannel>>; issues: Issue[] }
  >();
  for (const issue of issues) {
    const channel = cardChannel(core.config, issue);
    if (!channel) continue;
    const key = `${channel.platform}:${channel.channel}`;
    const entry = byChannel.get(key) ?? { channel, issues: [] };
    entry.issues.push(issue);
    byChannel.set(key, entry);
  }
  for (const { channel, issues: listed } of byChannel.values()) {
    await safely(core, 'catch-up summary', () =>
      core.chat.post(channel, { text: quietSummary(core, listed, now) }),
    );
  }
}

function quietSummary(core: Core, issues: readonly Issue[], now: number): Rich {
  const maxAge = formatDuration(core.config.backfill.maxAge);
  const lines = issues
    .slice(0, SUMMARY_LINES)
    .map(
      (issue) =>
        rich`• ${bold(issueRef(issue))} from ${customerLabel(issue)}, written ${formatDuration(now - issue.openedAt)} ago: ${{ t: 'customer', v: truncate(issue.subject, 200) }}`,
    );
  const more =
    issues.length > SUMMARY_LINES ? [rich`…and ${String(issues.length - SUMMARY_LINES)} more.`] : [];
  const head = rich`While Heed was offline, ${String(issues.length)} ${issues.length === 1 ? 'customer message' : 'customer messages'} older than ${maxAge} went unanswered. Their issues are open, nobody has been told yet, and their SLA clocks started when they were written:`;
  return joinRich([head, ...lines, ...more], '\n');
}
