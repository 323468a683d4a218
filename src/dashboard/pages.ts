/**
 * The dashboard's pages, rendered on the server with Hono's `html` template: every interpolated value is
 * escaped (customer text included); only other templates pass through unescaped. No inline script or
 * style: the chart's data travels in a JSON block the page's own script reads, under a strict CSP.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ReportRow } from '../reports/report.ts';
import { formatDuration } from '../sla/duration.ts';
import type {
  AttainmentSeries,
  CustomerRow,
  CustomerView,
  IssueView,
  PersonRow,
  QueueFilters,
  QueuePage,
} from './dashboard-data.ts';
import type { Viewer } from './viewer.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page's frame needs. */
export interface Frame {
  readonly viewer: Viewer;
  readonly now: number;
  readonly timezone: string;
  /** Without `HEED_PUBLIC_URL` the dashboard answers only on this machine, and says so. */
  readonly localOnly: boolean;
  readonly section: 'queue' | 'people' | 'sla' | 'customers';
}

const SECTIONS: readonly [Frame['section'], string, string][] = [
  ['queue', 'Queue', '/dashboard/'],
  ['people', 'People', '/dashboard/people'],
  ['sla', 'SLA', '/dashboard/sla'],
  ['customers', 'Customers', '/dashboard/customers'],
];

// Building an Intl.DateTimeFormat costs about 0.15 ms: one per zone and shape, kept (a page has hundreds of dates).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      day: 'numeric',
      month: 'short',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    });
    formatters.set(key, format);
  }
  return format;
}

/** A local date and time in the dashboard's zone. */
function when(at: number, zone: string): string {
  return formatter(zone, true).format(at);
}

function timeTag(at: number, zone: string): Html {
  return html`<time datetime="${new Date(at).toISOString()}">${when(at, zone)}</time>`;
}

/** "in 40m" or "25m late". */
function dueIn(dueAt: number | undefined, now: number): string {
  if (dueAt === undefined) return '—';
  const left = dueAt - now;
  const span = formatDuration(Math.max(60_000, Math.abs(left)));
  return left > 0 ? `in ${span}` : `${span} late`;
}

const STANDING_LABEL = {
  breached: 'Breached',
  'at-risk': 'At risk',
  'on-time': 'On time',
  'no-deadline': 'No clock',
} as const;

function standingBadge(standing: keyof typeof STANDING_LABEL): Html {
  return html`<span class="badge ${standing}">${STANDING_LABEL[standing]}</span>`;
}

const pct = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value}%`);

/** Every page's start, up to its body: Heed's stylesheet, its scripts, no favicon request. */
function head(title: string, scripts: readonly string[]): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Heed</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
${scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>`;
}

/** The page around the content: title, navigation, who is signed in. */
export function layout(
  frame: Frame,
  title: string,
  content: Html,
  options: { scripts?: readonly string[]; live?: 'queue' | { readonly issueId: string } } = {},
) {
  const scripts = [...(options.scripts ?? []), ...(options.live ? ['/dashboard/assets/live.js'] : [])];
  const body =
    options.live === undefined
      ? html`<body>`
      : options.live === 'queue'
        ? html`<body data-live="queue">`
        : html`<body data-live="issue" data-live-issue="${options.live.issueId}">`;
  const nav = SECTIONS.map(
    ([section, label, href]) =>
      html`<a href="${href}"${section === frame.section ? raw(' aria-current="page"') : ''}>${label}</a>`,
  );
  return html`${head(title, scripts)}
${body}
<header>
<strong class="brand">Heed</strong>
<nav>${nav}</nav>
${options.live ? html`<span id="live-status" class="live">○ connecting</span>` : ''}
<span class="who">${frame.viewer.name} · ${frame.viewer.manager ? 'manager' : 'staff'} · <a href="/dashboard/sign-out">Sign out</a></span>
</header>
${frame.localOnly ? html`<p class="notice">Local only: HEED_PUBLIC_URL is not set, so this dashboard answers only on this machine.</p>` : ''}
<main>
<h1>${title}</h1>
${content}
</main>
<footer>Read-only. Times in ${frame.timezone}. Shown ${timeTag(frame.now, frame.timezone)}.</footer>
</body>
</html>`;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === selected ? raw(' selected') : ''}>${label}</option>`;
}

function queueQuery(filters: QueueFilters, page: number): string {
  const query = new URLSearchParams();
  if (filters.team) query.set('team', filters.team);
  if (filters.priority) query.set('priority', filters.priority);
  if (filters.owner !== 'any') query.set('owner', filters.owner);
  if (filters.standing) query.set('standing', filters.standing);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/dashboard/?${text}` : '/dashboard/';
}

/** The live queue. */
export function queuePage(frame: Frame, queue: QueuePage, filters: QueueFilters): Html {
  const { standings } = queue;
  const teamName = (id: string) => frame.viewer.teams.find((t) => t.id === id)?.name ?? id;
  const rows = queue.rows.map(
    (row) => html`<tr class="${row.standing}">
<td><a href="/dashboard/issues/${row.number}">#${row.number}</a></td>
<td class="subject">${row.subject}</td>
<td>${row.customer}</td>
<td>${teamName(row.team)}</td>
<td><span class="priority ${row.priority}">${row.priority}</span></td>
<td>${row.owner ?? html`<em>unclaimed</em>`}</td>
<td>${standingBadge(row.standing)} ${dueIn(row.dueAt, frame.now)}</td>
<td>${timeTag(row.openedAt, frame.timezone)}</td>
</tr>`,
  );
  const content = html`<section class="tiles">
<div class="tile breached"><b>${standings.breached}</b> breached</div>
<div class="tile at-risk"><b>${standings['at-risk']}</b> at risk (due within 1 h)</div>
<div class="tile on-time"><b>${standings['on-time']}</b> on time</div>
<div class="tile"><b>${queue.unclaimed}</b> unclaimed</div>
</section>
<form class="filters" method="get" action="/dashboard/">
<label>Team <select name="team">${option('', 'All my teams', filters.team ?? '')}${frame.viewer.teams.map((t) => option(t.id, t.name, filters.team))}</select></label>
<label>Priority <select name="priority">${option('', 'Any', filters.priority ?? '')}${['urgent', 'high', 'normal', 'low'].map((p) => option(p, p, filters.priority))}</select></label>
<label>Owner <select name="owner">${option('any', 'Anyone', filters.owner)}${option('me', 'Me', filters.owner)}${option('unclaimed', 'Unclaimed', filters.owner)}</select></label>
<label>SLA <select name="standing">${option('', 'Any', filters.standing ?? '')}${Object.entries(STANDING_LABEL).map(([value, label]) => option(value, label, filters.standing))}</select></label>
<button type="submit">Filter</button>
</form>
<p class="count">${queue.total} open issue${queue.total === 1 ? '' : 's'} match, soonest due first.</p>
${
  queue.rows.length === 0
    ? html`<p class="empty">Nothing waiting here. 🎉</p>`
    : html`<table class="queue">
<thead><tr><th>Issue</th><th>Subject</th><th>Customer</th><th>Team</th><th>Priority</th><th>Owner</th><th>SLA</th><th>Opened</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}
${pager(queue.page, queue.pages > queue.page, (page) => queueQuery(filters, page))}`;
  return layout(frame, 'Live queue', content, { live: 'queue' });
}

function pager(page: number, more: boolean, href: (page: number) => string): Html {
  if (page <= 1 && !more) return html``;
  return html`<nav class="pager">${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← Newer</a>` : ''} Page ${page} ${more ? html`<a href="${href(page + 1)}" rel="next">More →</a>` : ''}</nav>`;
}

function profileBlock(frame: Frame, view: CustomerView): Html {
  const { profile } = view;
  const identities = profile.identities.map(
    (identity) =>
      html`<li>${identity.platform}: ${identity.name ?? identity.id} <small>since ${timeTag(identity.firstSeenAt, frame.timezone)}</small></li>`,
  );
  const issues = view.issues.map(
    (issue) =>
      html`<li><a href="/dashboard/issues/${issue.number}">#${issue.number}</a> ${issue.subject} <small>(${issue.status}, ${issue.platform}, ${timeTag(issue.openedAt, frame.timezone)})</small></li>`,
  );
  return html`<dl class="profile">
<dt>Name</dt><dd><a href="/dashboard/customers/${encodeURIComponent(profile.id)}">${profile.name ?? profile.identities[0]?.name ?? profile.id}</a></dd>
${profile.organisation ? html`<dt>Organisation</dt><dd>${profile.organisation}</dd>` : ''}
${profile.tier ? html`<dt>Tier</dt><dd>${profile.tier}</dd>` : ''}
${profile.value !== undefined ? html`<dt>Value</dt><dd>${profile.value.toLocaleString('en-US')}</dd>` : ''}
${profile.lastRating ? html`<dt>Last rating</dt><dd>${profile.lastRating.score === 'up' ? '👍' : '👎'} on #${profile.lastRating.issueNumber}</dd>` : ''}
<dt>On</dt><dd><ul>${identities}</ul></dd>
${profile.emails.length > 0 ? html`<dt>E-mail</dt><dd>${profile.emails.join(', ')}</dd>` : ''}
</dl>
<h3>History</h3>
${issues.length > 0 ? html`<ul class="history">${issues}</ul>` : html`<p>No issues on your teams.</p>`}
${view.hidden > 0 ? html`<p><small>${view.hidden} more on other teams or older.</small></p>` : ''}
${
  profile.notes.length > 0
    ? html`<h3>Staff notes</h3><ul>${profile.notes.map((note) => html`<li>${note.text} <small>${note.by.platform}:${note.by.id}, ${timeTag(note.at, frame.timezone)}</small></li>`)}</ul>`
    : ''
}`;
}

/** One issue: its facts, its timeline from the ledger, and its customer. */
export function issuePage(frame: Frame, view: IssueView): Html {
  const { issue } = view;
  const entries = view.timeline.map(
    (entry) => html`<li class="${entry.role}">
<span class="at">${timeTag(entry.at, frame.timezone)}</span>
<span class="author">${entry.author}</span>
${entry.role === 'event' ? html`<span class="event">${entry.text}</span>` : html`<blockquote>${entry.text}</blockquote>`}
${entry.files && entry.files.length > 0 ? html`<span class="files">${entry.files.map((file) => file.name).join(', ')}</span>` : ''}
${entry.note ? html`<small>(${entry.note})</small>` : ''}
</li>`,
  );
  const content = html`<p class="subject">${issue.subject}</p>
<dl class="facts">
<dt>Status</dt><dd>${issue.status}</dd>
<dt>Priority</dt><dd><span class="priority ${issue.priority}">${issue.priority}</span></dd>
<dt>Team</dt><dd>${frame.viewer.teams.find((t) => t.id === issue.team)?.name ?? issue.team}</dd>
<dt>Owner</dt><dd>${view.owner ?? html`<em>unclaimed</em>`}</dd>
<dt>SLA</dt><dd>${standingBadge(view.standing)}</dd>
<dt>Opened</dt><dd>${timeTag(issue.openedAt, frame.timezone)} on ${issue.customer.platform}</dd>
</dl>
<div class="columns">
<section><h2>Timeline</h2><ol class="timeline">${entries}</ol></section>
<aside><h2>Customer</h2>${view.customer ? profileBlock(frame, view.customer) : html`<p>${issue.customer.name ?? `${issue.customer.platform}:${issue.customer.id}`} (no profile kept)</p>`}</aside>
</div>`;
  return layout(frame, `Issue #${issue.number}`, content, { live: { issueId: issue.id } });
}

function figures(row: ReportRow | undefined) {
  return {
    claimed: row?.claimed ?? 0,
    resolved: row?.resolved ?? 0,
    attainment: pct(row?.sla.attainmentPct),
    breaches: row?.breaches ?? 0,
    apologies: row?.apologies.count ?? 0,
    csat: row && row.csat.rated > 0 ? `${pct(row.csat.pct)} of ${row.csat.rated}` : '—',
  };
}

/** The people: load now, and their last 30 days. */
export function peoplePage(frame: Frame, people: readonly PersonRow[], days: number): Html {
  const rows = people.map((person) => {
    const f = figures(person.report);
    return html`<tr>
<td>${person.name}${person.unseen ? html` <span class="muted">· not seen by Heed yet</span>` : ''}</td>
<td>${person.open}</td><td>${person.atRisk}</td><td>${person.breachedNow}</td>
<td>${f.claimed}</td><td>${f.resolved}</td><td>${f.attainment}</td><td>${f.breaches}</td><td>${f.apologies}</td><td>${f.csat}</td>
</tr>`;
  });
  const content = html`<table class="people">
<thead>
<tr><th rowspan="2">Person</th><th colspan="3">Now</th><th colspan="6">Last ${days} days</th></tr>
<tr><th>Open</th><th>At risk</th><th>Breached</th><th>Claimed</th><th>Resolved</th><th>SLA attainment</th><th>Breaches</th><th>Apologies</th><th>CSAT</th></tr>
</thead>
<tbody>${rows}</tbody>
</table>`;
  return layout(frame, 'People', content);
}

/** JSON inside a `<script type="application/json">`: nothing in it can close the element. */
function jsonBlock(id: string, value: unknown): Html {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  return html`<script type="application/json" id="${id}">${raw(json)}</script>`;
}

/** SLA attainment per day, as a chart and a table. */
export function slaPage(frame: Frame, series: readonly AttainmentSeries[]): Html {
  const days = series[0]?.days ?? [];
  const day = (at: number) => formatter(frame.timezone, false).format(at);
  const totals = series.map((s) => {
    const met = s.days.reduce((sum, d) => sum + d.met, 0);
    const breached = s.days.reduce((sum, d) => sum + d.breached, 0);
    return html`<tr><td>${s.name}</td><td>${met}</td><td>${breached}</td><td>${pct(met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10)}</td></tr>`;
  });
  const content = html`<p>Deadlines settled per day (first response, next response, resolution): the share met.</p>
<figure id="attainment-chart" class="chart" aria-label="SLA attainment per day and team"></figure>
${jsonBlock('attainment-data', {
  days: days.map((d) => d.day / 1000),
  series: series.map((s) => ({ name: s.name, pct: s.days.map((d) => d.pct) })),
})}
<h2>Last ${days.length} days</h2>
<table class="totals"><thead><tr><th>Team</th><th>Met</th><th>Breached</th><th>Attainment</th></tr></thead><tbody>${totals}</tbody></table>
<details><summary>Per day</summary>
<table class="daily"><thead><tr><th>Day</th>${series.map((s) => html`<th>${s.name}</th>`)}</tr></thead>
<tbody>${days.map((d, i) => html`<tr><td>${day(d.day)}</td>${series.map((s) => html`<td>${pct(s.days[i]?.pct)} <small>(${s.days[i]?.met ?? 0}/${(s.days[i]?.met ?? 0) + (s.days[i]?.breached ?? 0)})</small></td>`)}</tr>`)}</tbody></table>
</details>`;
  return layout(frame, 'SLA attainment', content, {
    scripts: ['/dashboard/assets/uPlot.iife.min.js', '/dashboard/assets/attainment-chart.js'],
  });
}

/** The customer directory. */
export function customersPage(
  frame: Frame,
  list: { rows: readonly CustomerRow[]; page: number; more: boolean },
  q: string | undefined,
): Html {
  const rows = list.rows.map(
    (row) => html`<tr>
<td><a href="/dashboard/customers/${encodeURIComponent(row.id)}">${row.name}</a></td>
<td>${row.organisation ?? ''}</td><td>${row.tier ?? ''}</td><td>${row.value !== undefined ? row.value.toLocaleString('en-US') : ''}</td>
<td>${row.platforms.join(', ')}</td><td>${row.issues}</td>
<td>${row.lastContactAt !== undefined ? timeTag(row.lastContactAt, frame.timezone) : '—'}</td>
</tr>`,
  );
  const href = (page: number) => {
    const query = new URLSearchParams();
    if (q) query.set('q', q);
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text ? `/dashboard/customers?${text}` : '/dashboard/customers';
  };
  const content = html`<form class="filters" method="get" action="/dashboard/customers">
<label>Name or organisation <input type="search" name="q" value="${q ?? ''}" maxlength="100"></label>
<button type="submit">Search</button>
</form>
${
  list.rows.length === 0
    ? html`<p class="empty">No customer matches.</p>`
    : html`<table class="customers"><thead><tr><th>Name</th><th>Organisation</th><th>Tier</th><th>Value</th><th>Platforms</th><th>Issues</th><th>Last contact</th></tr></thead><tbody>${rows}</tbody></table>`
}
${pager(list.page, list.more, href)}`;
  return layout(frame, 'Customers', content);
}

/** One customer across platforms. */
export function customerPage(frame: Frame, view: CustomerView): Html {
  const { profile } = view;
  return layout(frame, profile.name ?? profile.identities[0]?.name ?? profile.id, profileBlock(frame, view));
}

/** A page outside the signed-in frame: sign-in problems, 401, 403, 404. */
export function messagePage(title: string, paragraphs: readonly string[]): Html {
  return html`${head(title, [])}
<body class="message">
<main>
<h1>${title}</h1>
${paragraphs.map((p) => html`<p>${p}</p>`)}
</main>
</body>
</html>`;
}
