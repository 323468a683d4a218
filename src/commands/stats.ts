import { z } from 'zod';
import type { Core } from '../core/core.ts';
import type { UserRef } from '../domain/refs.ts';
import { bold, code, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import type { CommandReply } from '../ports/inbound-port.ts';
import { ownerKey } from '../reports/issue-facts.ts';
import { loadIssuesForPeriod, loadReportRow } from '../reports/load-report-data.ts';
import { npsLine, npsReport } from '../reports/nps-report.ts';
import { fcrPct, type Period, type ReportRow } from '../reports/report.ts';
import { savedReplyReport } from '../reports/saved-reply-report.ts';
import { DurationError, formatDuration, parseDuration } from '../sla/duration.ts';
import { type ArgSpec, defineCommand, usage } from './command.ts';

const DEFAULT_PERIOD = '7d';
const LONGEST_PERIOD_MS = parseDuration('366d');

/** Whose figures: one person (as the report keys owners) or one team. */
export type StatsSubject =
  | { readonly kind: 'owner'; readonly user: UserRef }
  | { readonly kind: 'team'; readonly id: string; readonly name: string };

function ephemeral(text: Rich): CommandReply {
  return { visibility: 'ephemeral', text };
}

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/**
 * The compact figures of one report row: claimed and resolved, median first response and resolution,
 * SLA attainment and breaches, CSAT. Pure.
 */
export function formatStats(
  subject: StatsSubject,
  row: ReportRow | undefined,
  period: Period,
  label: string,
): Rich {
  const who = subject.kind === 'owner' ? rich`${subject.user}` : rich`${bold(subject.name)}`;
  const title = rich`${bold('Stats')} for ${who} · last ${label} (since ${time(period.from)})`;
  if (!row) return rich`${title}\nNo activity in this period.`;
  const sla =
    row.sla.attainmentPct === null
      ? 'SLA: no deadline settled'
      : `SLA met ${row.sla.attainmentPct}% (${row.sla.met} of ${row.sla.deadlines} deadlines)`;
  const csat =
    row.csat.pct === null
      ? 'CSAT: no ratings'
      : `CSAT ${row.csat.pct}% 👍 (${row.csat.up} of ${row.csat.rated} rated)`;
  const fcr = fcrPct(row);
  const firstContact =
    fcr === null ? '' : ` · first-contact resolution ${fcr}% (${row.oneTouch} of ${row.resolved})`;
  return rich`${title}
Claimed ${row.claimed} · resolved ${row.resolved}${firstContact}
Median first response ${duration(row.firstResponse.medianMs)} · median resolution ${duration(row.resolution.medianMs)}
${sla} · ${row.breaches} breach${row.breaches === 1 ? '' : 'es'}
${csat}`;
}

function parsePeriod(text: string): number | string {
  try {
    const ms = parseDuration(text);
    if (ms <= 0) return 'it must be longer than 0, for example 24h or 7d.';
    if (ms > LONGEST_PERIOD_MS) return 'it can be a year (366d) at most.';
    return ms;
  } catch (error) {
    if (error instanceof DurationError) return error.message;
    throw error;
  }
}

function looksLikePeriod(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

const STATS_ARGS: readonly ArgSpec[] = [
  {
    name: 'who',
    kind: 'word',
    label: '@user|team',
    description:
      'A teammate (@mention, slack:U…, discord:…), a team id, replies (saved replies) or nps; default: you',
    optional: true,
  },
  { name: 'period', kind: 'period', description: 'How far back: 24h, 7d, 30d… (default 7d)', optional: true },
];
const STATS_USAGE = usage({ name: 'stats', args: STATS_ARGS });

/**
 * The period `/heed stats` was asked about, or the reply saying what is wrong. It ends just after now, so
 * something that happened this instant counts.
 */
function periodOf(
  core: Core,
  periodText: string | undefined,
): { label: string; period: Period } | { reply: CommandReply } {
  const label = periodText ?? DEFAULT_PERIOD;
  const length = parsePeriod(label);
  if (typeof length === 'string') {
    return { reply: ephemeral(rich`That period didn't work — ${length}\nUsage: ${code(STATS_USAGE)}`) };
  }
  const now = core.clock.now();
  return { label, period: { from: now - length, to: now + 1 } };
}

/** `/heed stats replies [period]`: each saved reply's uses and first-contact resolution rate. */
async function savedReplyStats(core: Core, periodText: string | undefined): Promise<CommandReply> {
  const asked = periodOf(core, periodText);
  if ('reply' in asked) return asked.reply;
  const { label, period } = asked;
  const rows = savedReplyReport(await loadIssuesForPeriod(core.issues, period), period);
  const title = rich`${bold('Saved replies')} · last ${label} (since ${time(period.from)})`;
  if (rows.length === 0) return ephemeral(rich`${title}\nNo saved reply was sent in this period.`);
  const lines = rows.map((r) => {
    const fcr =
      r.fcrPct === null
        ? 'none resolved yet'
        : `first-contact resolution ${r.fcrPct}% (${r.firstContact} of ${r.resolved} resolved)`;
    const edited = r.edited > 0 ? `, ${r.edited} edited` : '';
    return rich`• ${code(r.reply)}: sent ${r.uses}× on ${r.issues} issue${r.issues === 1 ? '' : 's'}${edited} · ${fcr}`;
  });
  return ephemeral(rich`${title}\n${joinRich(lines, '\n')}`);
}

/** `/heed stats nps [period]`: the Net Promoter Score in total, per team and per tier. */
async function npsStats(core: Core, periodText: string | undefined): Promise<CommandReply> {
  const asked = periodOf(core, periodText);
  if ('reply' in asked) return asked.reply;
  const { label, period } = asked;
  const report = npsReport(await loadIssuesForPeriod(core.issues, period), period);
  const title = rich`${bold('NPS')} · last ${label} (since ${time(period.from)})`;
  if (report.total.answers === 0) {
    const off = core.config.nps ? '' : ` Heed asks it when ${code('nps')} is set in the config.`;
    return ephemeral(rich`${title}\nNo NPS answers in this period.${off}`);
  }
  const teamName = (id: string) => core.config.teams.find((t) => t.id === id)?.name ?? id;
  const lines = [
    rich`${bold('All')}: ${npsLine(report.total)}`,
    ...report.teams.map((t) => rich`• team ${teamName(t.team)}: ${npsLine(t.figures)}`),
    ...report.tiers.map((t) => rich`• tier ${t.tier}: ${npsLine(t.figures)}`),
  ];
  return ephemeral(rich`${title}\n${joinRich(lines, '\n')}`);
}

export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'Figures for a teammate or a team over a period (default: you, 7d): SLA, response times, CSAT.',
  access: 'staff',
  args: STATS_ARGS,
  schema: z.object({
    who: z.string().trim().min(1).optional(),
    period: z.string().trim().min(1).optional(),
  }),
  async run({ core, person, people }, input) {
    let who = input.who;
    let periodText = input.period;
    const teams = core.config.teams;
    // `/heed stats 30d`: a lone period fills the first position.
    if (
      who &&
      !periodText &&
      !people.anyone(who) &&
      !teams.some((t) => t.id === who) &&
      looksLikePeriod(who)
    ) {
      periodText = who;
      who = undefined;
    }
    if (who?.toLowerCase() === 'replies') return savedReplyStats(core, periodText);
    if (who?.toLowerCase() === 'nps') return npsStats(core, periodText);
    let subject: StatsSubject;
    const user = who ? people.anyone(who) : { platform: person.platform, id: person.id };
    const team = who ? teams.find((t) => t.id === who) : undefined;
    if (user) subject = { kind: 'owner', user };
    else if (team) subject = { kind: 'team', id: team.id, name: team.name ?? team.id };
    else {
      return ephemeral(
        rich`I don't know "${who ?? ''}". Name a teammate (@mention, ${code('slack:U0123ABC')}, ${code('discord:…')}) or a team (${teams.map((t) => t.id).join(', ')}). Usage: ${code(STATS_USAGE)}`,
      );
    }
    const asked = periodOf(core, periodText);
    if ('reply' in asked) return asked.reply;
    const { label, period } = asked;
    const key = subject.kind === 'owner' ? ownerKey(subject.user) : subject.id;
    const row = await loadReportRow(core.issues, period, subject.kind, key);
    return ephemeral(formatStats(subject, row, period, label));
  },
});
