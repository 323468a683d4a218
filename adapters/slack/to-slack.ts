import type { Rich, Segment } from '../../src/messages/rich-text.ts';

/** Slack's documented size limits that Heed's messages must respect. */
export const SLACK_LIMITS = {
  messageText: 40_000,
  sectionText: 3_000,
  fieldText: 2_000,
  contextText: 2_000,
  headerText: 150,
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionFields: 10,
  actionsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2_000,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2_000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  inputValue: 3_000,
  privateMetadata: 3_000,
} as const;

const ELLIPSIS = '…';
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;
const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;
const SLACK_USERGROUP_ID = /^S[A-Z0-9]{2,30}$/;

/**
 * Escapes Slack's three control characters. Applied to every piece of text Heed relays, this turns
 * `<!channel>`, `<!here>`, `<@U…>`, `<!subteam^…>` and `<url|label>` into harmless visible text.
 */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ISO time without milliseconds, the fallback Slack shows when it cannot localise a date. */
export function isoMinute(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `<!date^…>`: Slack shows the time in each reader's own time zone. */
export function slackDate(at: number): string {
  return `<!date^${Math.floor(at / 1000)}^{date_short_pretty} {time}|${isoMinute(at)}>`;
}

// The URL as Slack link syntax needs it: http(s) only, `<`, `>` and `|` percent-encoded, `&` escaped.
function linkTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/&/g, '&amp;');
}

/** A Slack link, only for http(s) URLs; anything else shows its label as plain text. */
export function slackLink(url: string, label: string): string {
  const text = escapeMrkdwn(label.replace(/\|/g, '¦'));
  const href = linkTarget(url);
  if (href === undefined) return text;
  return text.trim() === '' ? `<${href}>` : `<${href}|${text}>`;
}

/** A user mention that pings: only for Slack user ids; anyone else is named in plain text. */
export function slackMention(platform: string, id: string): string {
  return platform === 'slack' && SLACK_USER_ID.test(id) ? `<@${id}>` : escapeMrkdwn(`@${id}`);
}

function segmentToMrkdwn(segment: Segment): string {
  switch (segment.t) {
    case 'text':
    case 'customer':
      return escapeMrkdwn(segment.v);
    case 'bold':
      return segment.v.trim() === '' ? escapeMrkdwn(segment.v) : `*${escapeMrkdwn(segment.v)}*`;
    case 'code':
      // A backtick inside would close the code span early; a look-alike keeps the text readable.
      return segment.v === '' ? '' : `\`${escapeMrkdwn(segment.v.replace(/`/g, 'ˋ'))}\``;
    case 'mention':
      return slackMention(segment.user.platform, segment.user.id);
    case 'role':
      return segment.platform === 'slack' && SLACK_USERGROUP_ID.test(segment.id)
        ? `<!subteam^${segment.id}>`
        : escapeMrkdwn(`@${segment.id}`);
    case 'channel':
      return segment.platform === 'slack' && SLACK_CHANNEL_ID.test(segment.id)
        ? `<#${segment.id}>`
        : escapeMrkdwn(`#${segment.id}`);
    case 'link':
      return slackLink(segment.url, segment.label);
    case 'time':
      return slackDate(segment.at);
  }
}

/** Renders Heed's neutral rich text as Slack mrkdwn. Only `mention`/`role` segments can ping. */
export function toMrkdwn(message: Rich): string {
  return message.map(segmentToMrkdwn).join('');
}

/** Whether a message relays anything a customer wrote (such messages are sent without unfurls). */
export function carriesCustomerText(message: Rich): boolean {
  return message.some((segment) => segment.t === 'customer');
}

/**
 * The largest index ≤ `max` where mrkdwn can be cut without splitting an entity (`&amp;`), a
 * `<…>` token or a surrogate pair.
 */
export function safeCutIndex(text: string, max: number): number {
  if (text.length <= max) return text.length;
  let cut = Math.max(0, max);
  const head = text.slice(0, cut);
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>')) cut = open;
  const amp = text.slice(0, cut).lastIndexOf('&');
  if (amp >= 0 && !text.slice(amp, cut).includes(';') && /^&[a-z]*$/.test(text.slice(amp, cut))) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/** Cuts mrkdwn to `max` characters with an ellipsis, never breaking markup apart. */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCutIndex(text, max - ELLIPSIS.length)).trimEnd()}${ELLIPSIS}`;
}

/** Cuts plain text (button labels, titles) to `max` characters with an ellipsis. */
export function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/**
 * Splits mrkdwn into chunks of at most `max` characters (preferring line breaks) for section
 * blocks; past `maxChunks` the last chunk ends with an ellipsis.
 */
export function splitMrkdwn(text: string, max: number, maxChunks: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0 && chunks.length < maxChunks) {
    if (rest.length <= max) {
      chunks.push(rest);
      rest = '';
      break;
    }
    if (chunks.length === maxChunks - 1) {
      chunks.push(cutMrkdwn(rest, max));
      rest = '';
      break;
    }
    const safe = safeCutIndex(rest, max);
    const newline = rest.lastIndexOf('\n', safe);
    const at = newline > max / 2 ? newline : safe;
    chunks.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  return chunks.filter((chunk) => chunk.trim() !== '');
}

/** Quotes (untrusted) text as a Slack block quote, escaping it. */
export function quoteMrkdwn(text: string): string {
  const lines = text.split('\n');
  return lines.map((line) => `>${escapeMrkdwn(line)}`).join('\n');
}
