/**
 * An issue's transcript (pure): the customer's messages, staff answers, what Heed said in the thread and
 * the ledger's events, interleaved by time, with files as links; as Markdown, HTML (every piece of text
 * escaped) or JSON. Heed's own messages are rendered again from the templates and the events that sent
 * them (the acknowledgement, apologies, the resolution, a reopen, the NPS question).
 */
import type { HeedConfig } from '../config/schema.ts';
import { acknowledgementText, templateValues } from '../core/presenter.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import type { LedgerEvent } from '../domain/ledger.ts';
import { toPlainText } from '../messages/rich-text.ts';

export type TranscriptRole = 'customer' | 'staff' | 'heed' | 'event';

export interface TranscriptEntry {
  readonly at: number;
  readonly role: TranscriptRole;
  /** Who: the customer's name, `platform:id` of staff, `Heed`. */
  readonly author: string;
  readonly text: string;
  readonly files?: readonly { readonly name: string; readonly url: string }[];
  /** For events: the ledger kind. */
  readonly kind?: string;
  readonly note?: string;
}

export interface Transcript {
  readonly reference: string;
  readonly subject: string;
  readonly customer: string;
  readonly team: string;
  readonly status: string;
  readonly entries: readonly TranscriptEntry[];
}

/** Who acted: Heed, or the person's known name with their `platform:id` (the id alone when unnamed). */
function who(actor: LedgerEvent['actor'], names: ReadonlyMap<string, string>): string {
  if (actor.platform === 'heed') return 'Heed';
  const key = `${actor.platform}:${actor.id}`;
  const name = names.get(key);
  return name ? `${name} (${key})` : key;
}

/** What Heed said in the thread because of an event, when it says something there. */
function heedSaid(
  config: HeedConfig | undefined,
  issue: Issue,
  event: LedgerEvent,
  names: ReadonlyMap<string, string>,
): string | undefined {
  if (!config) return undefined;
  const values = templateValues(
    config,
    issue,
    event.reason ? { summary: event.reason, reason: event.reason } : {},
  );
  switch (event.kind) {
    case 'opened':
      return issue.caughtUp?.quiet ? undefined : toPlainText(acknowledgementText(config, issue), names);
    case 'apologized':
      return toPlainText(renderTemplate(config.templates.apology, values), names);
    case 'resolved':
      return toPlainText(renderTemplate(config.templates.resolution, values), names);
    case 'reopened':
      return event.actor.platform === 'heed' || event.actor.id === issue.customer.id
        ? toPlainText(renderTemplate(config.templates.reopened, values), names)
        : undefined;
    case 'nps-asked':
      return config.nps?.question;
    default:
      return undefined;
  }
}

/**
 * The issue's transcript; without the config, Heed's own messages are left out. `names` (by `platform:id`,
 * from the `people` table) name staff and Heed's other actors.
 */
export function buildTranscript(
  issue: Issue,
  config: HeedConfig | undefined,
  names: ReadonlyMap<string, string> = new Map(),
): Transcript {
  const customer = issue.customer.name ?? `${issue.customer.platform}:${issue.customer.id}`;
  // Emptied by the retention purge or when the customer was forgotten.
  const gone = issue.forgottenAt !== undefined ? '(removed: the customer was forgotten)' : '(text not kept)';
  const entries: TranscriptEntry[] = issue.messages.map((message) => ({
    at: message.at,
    role: 'customer',
    author: customer,
    text: message.text === '' && message.files.length === 0 ? gone : message.text,
    ...(message.files.length > 0 ? { files: message.files.map((f) => ({ name: f.name, url: f.url })) } : {}),
    ...(message.deletedAt !== undefined
      ? { note: 'deleted by the customer' }
      : message.editedAt !== undefined
        ? { note: 'edited' }
        : {}),
  }));
  const kept = new Set(issue.messages.map((m) => m.at));
  for (const event of issue.history) {
    if (event.kind === 'responded') {
      entries.push({
        at: event.at,
        role: 'staff',
        author: who(event.actor, names),
        text: event.reason ?? '(text not kept)',
      });
      continue;
    }
    if (event.kind === 'customer-replied') {
      // The message itself is listed when kept (the first and the latest ones are).
      if (!kept.has(event.at))
        entries.push({ at: event.at, role: 'customer', author: customer, text: '(text not kept)' });
      continue;
    }
    const reason = event.reason ? `: ${event.reason}` : '';
    entries.push({
      at: event.at,
      role: 'event',
      author: who(event.actor, names),
      kind: event.kind,
      text: `${event.kind}${reason}`,
    });
    const said = heedSaid(config, issue, event, names);
    if (said) entries.push({ at: event.at, role: 'heed', author: 'Heed', text: said });
  }
  const order: Record<TranscriptRole, number> = { customer: 0, event: 1, heed: 2, staff: 3 };
  entries.sort((a, b) => a.at - b.at || order[a.role] - order[b.role]);
  return {
    reference: issueRef(issue),
    subject: issue.subject,
    customer,
    team: issue.team,
    status: issue.status,
    entries,
  };
}

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Markdown: a heading, then one line per entry (people's words quoted, events in italics). */
export function transcriptMarkdown(transcript: Transcript): string {
  const lines = [
    `# ${transcript.reference}: ${transcript.subject.split('\n')[0] || '(text not kept)'}`,
    '',
    `Customer: ${transcript.customer} · team: ${transcript.team} · status: ${transcript.status}`,
    '',
  ];
  for (const entry of transcript.entries) {
    const note = entry.note ? ` (${entry.note})` : '';
    if (entry.role === 'event') {
      lines.push(`- ${iso(entry.at)} _${entry.author}: ${entry.text.replace(/\n/g, ' ')}_`);
      continue;
    }
    lines.push(`- ${iso(entry.at)} **${entry.author}**${note}:`);
    for (const line of entry.text.split('\n')) lines.push(`  > ${line}`);
    for (const file of entry.files ?? [])
      lines.push(`  - 📎 [${file.name.replace(/[[\]]/g, '')}](${file.url})`);
  }
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? escapeHtml(url) : '#');

/** A standalone HTML page; every piece of text is escaped and links are http(s) only, so nothing a customer wrote runs. */
export function transcriptHtml(transcript: Transcript): string {
  const rows = transcript.entries.map((entry) => {
    const files = (entry.files ?? [])
      .map(
        (file) =>
          `<li>📎 <a href="${safeUrl(file.url)}" rel="noopener noreferrer">${escapeHtml(file.name)}</a></li>`,
      )
      .join('');
    const note = entry.note ? ` <small>(${escapeHtml(entry.note)})</small>` : '';
    return `<li class="${entry.role}"><time datetime="${iso(entry.at)}">${iso(entry.at)}</time> <b>${escapeHtml(entry.author)}</b>${note}<p>${escapeHtml(entry.text).replace(/\n/g, '<br>')}</p>${files ? `<ul>${files}</ul>` : ''}</li>`;
  });
  const title = `${escapeHtml(transcript.reference)}: ${escapeHtml(transcript.subject.split('\n')[0] ?? '')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${title}</title>
<style>body{font:14px system-ui;max-width:50em;margin:2em auto}li{margin:.5em 0}.event{color:#666}.heed{color:#235}</style></head>
<body><h1>${title}</h1><p>Customer: ${escapeHtml(transcript.customer)} · team: ${escapeHtml(transcript.team)} · status: ${escapeHtml(transcript.status)}</p>
<ol>${rows.join('\n')}</ol></body></html>
`;
}

export function transcriptJson(transcript: Transcript): string {
  return `${JSON.stringify({ v: 1, ...transcript, entries: transcript.entries.map((e) => ({ ...e, at: iso(e.at) })) }, null, 2)}\n`;
}
