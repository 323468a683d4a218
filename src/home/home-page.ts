/**
 * The home model as a neutral page (sections of rich lines, Claim buttons on the queue), and as plain
 * rich text for command replies. Pure.
 */

import { buttonFor } from '../actions/action.ts';
import { claimAction } from '../actions/claim.ts';
import { customerLabel } from '../core/presenter.ts';
import { issueRef } from '../domain/issue.ts';
import { bold, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import type { HomePage, HomePageLine, HomePageSection } from '../ports/home-page.ts';
import { fcrPct, type ReportRow } from '../reports/report.ts';
import { formatDuration } from '../sla/duration.ts';
import type { HomeIssue, HomeModel, ManagerFigures, SlaStanding } from './home-model.ts';

const STANDING: Record<SlaStanding, string> = {
  breached: '🔴 Breached',
  'at-risk': '🟠 At risk',
  'on-time': '🟢 On time',
  'no-deadline': '⚪ No deadline running',
};

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/** `🟠 At risk · due 10:40` / `🔴 Breached · was due 09:15`. */
function standingText(issue: HomeIssue): Rich {
  if (issue.dueAt === undefined) return rich`${STANDING[issue.standing]}`;
  const due = issue.standing === 'breached' ? 'was due' : 'due';
  return rich`${STANDING[issue.standing]} · ${due} ${time(issue.dueAt)}`;
}

function teamName(model: HomeModel, id: string): string {
  return model.teams.find((team) => team.id === id)?.name ?? id;
}

/** An issue the person owns (or a manager watches): where it stands, then what it is. */
function issueLine(model: HomeModel, issue: HomeIssue, withOwner: boolean): Rich {
  const owner = withOwner ? (issue.owner ? rich` · ${issue.owner}` : rich` · unclaimed`) : rich``;
  return rich`${bold(issueRef(issue))} ${standingText(issue)} · ${issue.priority} · ${customerLabel(issue)} · ${teamName(model, issue.team)}${owner}`;
}

/** A queued issue: how long it waits, then what it is; a Claim button beside it. */
function queueLine(model: HomeModel, issue: HomeIssue): HomePageLine {
  return {
    text: rich`${bold(issueRef(issue))} opened ${time(issue.openedAt)} · ${issue.priority} · ${customerLabel(issue)} · ${teamName(model, issue.team)} · ${standingText(issue)}`,
    button: buttonFor(claimAction, issue),
  };
}

/** The figures of a report row in one line (claimed, resolved, response times, SLA, CSAT). */
export function figuresLine(row: ReportRow | undefined): Rich {
  if (!row) return rich`No activity yet.`;
  const sla =
    row.sla.attainmentPct === null
      ? 'SLA: no deadline settled'
      : `SLA met ${row.sla.attainmentPct}% (${row.sla.met} of ${row.sla.deadlines})`;
  const csat = row.csat.pct === null ? '' : ` · CSAT ${row.csat.pct}% 👍 (${row.csat.rated} rated)`;
  const fcr = fcrPct(row);
  const firstContact = fcr === null ? '' : ` · first-contact resolution ${fcr}%`;
  return rich`Claimed ${row.claimed} · resolved ${row.resolved}${firstContact} · median first response ${duration(row.firstResponse.medianMs)} · median resolution ${duration(row.resolution.medianMs)} · ${sla} · ${plural(row.breaches, 'breach', 'breaches')}${csat}`;
}

function section(
  title: string,
  lines: readonly HomePageLine[],
  total: number,
  empty: string,
): HomePageSection {
  return { title, lines, empty, ...(total > lines.length ? { more: total - lines.length } : {}) };
}

function managerSections(model: HomeModel, figures: ManagerFigures): HomePageSection[] {
  const teams = figures.teams.map(
    (team): HomePageLine => ({
      text: rich`${bold(team.name)}: ${team.row?.sla.attainmentPct != null ? `SLA met ${team.row.sla.attainmentPct}%` : 'no deadline settled'} · ${plural(team.row?.breaches ?? 0, 'breach', 'breaches')} this week · ${team.open} open (${team.unclaimed} unclaimed) · ${team.atRisk} at risk · ${team.breached} breached now`,
    }),
  );
  const load = figures.load.items.map(
    (person): HomePageLine => ({
      text: rich`${person.owner}: ${plural(person.open, 'open issue')}${person.atRisk > 0 ? ` · ${person.atRisk} at risk` : ''}${person.breached > 0 ? ` · ${person.breached} breached` : ''}`,
    }),
  );
  const recoveries = figures.recoveries.items.map(
    (task): HomePageLine => ({
      text: rich`👎 ${bold(issueRef(task))} · ${customerLabel(task)} · asked ${time(task.at)} · ${teamName(model, task.team)}`,
    }),
  );
  return [
    section('Your teams this week', teams, teams.length, 'No team.'),
    section(
      'At risk and breached',
      figures.atRisk.items.map((issue) => ({ text: issueLine(model, issue, true) })),
      figures.atRisk.total,
      'Nothing at risk. 🎉',
    ),
    section('Load', load, figures.load.total, 'Nobody owns an open issue.'),
    section('👎 Recovery tasks still open', recoveries, figures.recoveries.total, 'No recovery task open.'),
  ];
}

const ABOUT = rich`Heed makes sure no customer is left waiting. Every question customers ask in a support channel becomes a tracked issue: the customer gets an acknowledgement with a promised response time, the support team gets a card with ${bold('Claim')}, ${bold('Resolve')}, ${bold('Escalate')} and ${bold('Snooze')} buttons, and Heed runs the SLA clocks, nudges the owner before a deadline and escalates to managers after one.

If you work on a support team, ask whoever runs Heed to add you to your team in its config: this page then shows your issues, your team's queue and your figures.`;

/** The person's home as a neutral page. */
export function homePage(model: HomeModel): HomePage {
  const ids = new Set<string>();
  const note = (issues: readonly { id: string }[]) => {
    for (const issue of issues) ids.add(issue.id);
  };
  if (model.audience === 'visitor') {
    return { title: 'Heed', intro: ABOUT, sections: [], at: model.now, teams: [], issueIds: [] };
  }
  note(model.mine.items);
  note(model.queue.items);
  const teamNames = model.teams.map((team) => team.name).join(', ');
  const sections: HomePageSection[] = [
    section(
      `Your open issues (${model.mine.total})`,
      model.mine.items.map((issue) => ({ text: issueLine(model, issue, false) })),
      model.mine.total,
      'You own no open issue.',
    ),
    section(
      `Unclaimed in your teams' queue (${model.queue.total})`,
      model.queue.items.map((issue) => queueLine(model, issue)),
      model.queue.total,
      'Nothing waiting. Every customer has an owner. 🎉',
    ),
    section('Your last 7 days', [{ text: figuresLine(model.week) }], 1, ''),
  ];
  if (model.manager) {
    note(model.manager.atRisk.items);
    note(model.manager.recoveries.items.map((task) => ({ id: task.issueId })));
    sections.push(...managerSections(model, model.manager));
  }
  return {
    title: model.audience === 'manager' ? 'Heed · your desk and your teams' : 'Heed · your desk',
    intro: rich`${model.person} · ${teamNames} · as of ${time(model.now)}. Deadlines due within 1 h are at risk.`,
    sections,
    at: model.now,
    teams: model.teams.map((team) => team.id),
    issueIds: [...ids],
  };
}

/** The page as one rich text (command replies; the Slack text fallback). */
export function homePageText(page: HomePage): Rich {
  const parts: Rich[] = [rich`${bold(page.title)}\n${page.intro}`];
  for (const part of page.sections) {
    const lines =
      part.lines.length > 0 ? part.lines.map((line) => rich`• ${line.text}`) : [rich`${part.empty}`];
    const more = part.more ? [rich`…and ${part.more} more.`] : [];
    parts.push(rich`${bold(part.title)}\n${joinRich([...lines, ...more], '\n')}`);
  }
  return joinRich(parts, '\n\n');
}
