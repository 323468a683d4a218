/**
 * Turns what the emulators received from Heed into a readable transcript: every message, thread, card
 * update, DM, form and private reply, in order, with channel and people names.
 */
import type { DiscordEmulator } from '../test/emulators/discord/index.ts';
import type { SlackEmulator } from '../test/emulators/slack/index.ts';
import { NAMES } from './workspace.ts';

// Colour only on a terminal, and never with a non-empty NO_COLOR (https://no-color.org).
const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = (s: string) => paint('2', s);
const bright = (s: string) => paint('1', s);
const slackTag = paint('35', 'Slack  ');
const discordTag = paint('34', 'Discord');

function unescapeSlack(text: string): string {
  return text
    .replace(/<!date\^(\d+)\^[^|]*\|([^>]*)>/g, (_, unix: string) => clock(Number(unix) * 1000))
    .replace(/<@(\w+)>/g, (_, id: string) => `@${NAMES[id] ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function unescapeDiscord(text: string): string {
  return text
    .replace(/<t:(\d+):\w>/g, (_, unix: string) => clock(Number(unix) * 1000))
    .replace(/<@&?(\d+)>/g, (_, id: string) => `@${NAMES[id] ?? id}`)
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/\\([*_~`>|\\])/g, '$1')
    .replace(/\u200b/g, '');
}

/** Local (Prague) wall-clock time of an instant, for the transcript. */
export function clock(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Prague',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}

/** The transcript's width: lines are wrapped at word boundaries to fit it, never cut. */
export const WIDTH = 100;
const INDENT = ' '.repeat(14);

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC (\x1b).
const ANSI = /\x1b\[[0-9;]*m/g;
const WIDE = /\p{Extended_Pictographic}/u;

/** Columns a string takes on a terminal: escapes take none, emoji two, other characters one. */
export function columns(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI, '')) width += WIDE.test(char) ? 2 : char === '\u200b' ? 0 : 1;
  return width;
}

/**
 * Wraps `text` (after a `head` already printed on the first line) to {@link WIDTH} columns, at spaces,
 * continuing under {@link INDENT}; a word longer than a line (a URL) is split. Newlines are kept.
 */
export function wrap(head: string, text: string, indent: string = INDENT): string {
  const lines: string[] = [];
  let line = head;
  let fresh = true;
  const push = () => {
    lines.push(line.trimEnd());
    line = indent;
    fresh = true;
  };
  for (const [index, paragraph] of text.split('\n').entries()) {
    if (index > 0) push();
    for (const word of paragraph.split(/ +/).filter((w) => w !== '')) {
      const gap = fresh ? '' : ' ';
      if (columns(line) + columns(gap + word) <= WIDTH) {
        line += gap + word;
        fresh = false;
        continue;
      }
      if (!fresh) push();
      let rest = word;
      while (columns(line + rest) > WIDTH) {
        const room = WIDTH - columns(line);
        line += [...rest].slice(0, room).join('');
        rest = [...rest].slice(room).join('');
        push();
      }
      line += rest;
      fresh = false;
    }
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** Prints `head` and `text` wrapped to the transcript's width. */
function print(head: string, text: string): void {
  console.log(wrap(head, text.trim()));
}

const name = (id: unknown) => NAMES[String(id)] ?? String(id);
const MAX_REPLY_LINES = 30;

interface DiscordEmbed {
  readonly title?: string;
  readonly description?: string;
  readonly fields?: readonly { readonly name: string; readonly value: string }[];
}

/** The customer-history line of a new Slack card: the context element that is not a deadline. */
function slackCardHistory(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const context = blocks.find((b: { type?: string }) => b.type === 'context') as
    | { elements?: { text?: string }[] }
    | undefined;
  const line = context?.elements?.map((e) => e.text ?? '').find((t) => t !== '' && !t.startsWith('⏱'));
  return line === undefined ? undefined : unescapeSlack(line);
}

/** What else a Slack card says worth showing: the customer's value and the suggested saved reply. */
function slackCardExtras(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const wire = JSON.stringify(blocks);
  const value = /\*(ARR [^*]+)\*/.exec(wire)?.[1];
  const suggestion = (blocks as { type?: string; elements?: { text?: string }[] }[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.text ?? '')
    .find((t) => t.startsWith('💡'));
  const parts = [value, suggestion && unescapeSlack(suggestion)].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** Prints what Heed sent since the last call. */
export class Transcript {
  private slackSeen = 0;
  private discordSeen = 0;
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly slack: SlackEmulator,
    private readonly discord: DiscordEmulator,
  ) {}

  /** A line said by a person (input to Heed). */
  say(time: number, platform: 'slack' | 'discord', where: string, who: string, text: string): void {
    console.log('');
    print(
      `${dim(clock(time))} ${platform === 'slack' ? slackTag : discordTag} ${name(where)} · ${who}: `,
      `“${text}”`,
    );
  }

  note(text: string): void {
    console.log(`\n${bright(wrap('', text, ''))}`);
  }

  /**
   * A slash command's answer that came back in Slack's acknowledgement (not through the Web API),
   * line by line, since lists such as `/heed queue` are the point of asking.
   */
  slackCommandReply(body: unknown): void {
    const reply = (typeof body === 'object' && body !== null ? body : {}) as {
      response_type?: string;
      text?: string;
    };
    if (!reply.text) return;
    const lines = unescapeSlack(reply.text).split('\n');
    const shown = lines.slice(0, MAX_REPLY_LINES);
    const hidden = lines.length - shown.length;
    if (hidden > 0) shown.push(`… ${hidden} more line${hidden === 1 ? '' : 's'}`);
    const who =
      reply.response_type === 'in_channel'
        ? 'everyone in the channel sees'
        : 'only the person who asked sees';
    print(`      ${slackTag} ${who}: `, shown.join('\n'));
  }

  /** Heads what the SLA scheduler sent at one minute of the demo clock. */
  slaCheck(time: number): void {
    console.log(`\n${dim(clock(time))} ⏱  Heed's SLA clock:`);
  }

  flush(): void {
    const slackCalls = this.slack.calls.slice(this.slackSeen);
    this.slackSeen = this.slack.calls.length;
    for (const call of slackCalls) {
      if (!call.ok) continue;
      const args = call.args as Record<string, unknown>;
      const text = unescapeSlack(String(args.text ?? ''));
      const channel = String(args.channel ?? '');
      const where = channel.startsWith('D') ? `DM to ${name(`U${channel.slice(1)}`)}` : name(channel);
      if (call.method === 'chat.postMessage') {
        print(`      ${slackTag} ${where}${args.thread_ts ? ' (thread)' : ''} · Heed: `, text);
        const history = slackCardHistory(args.blocks);
        if (history) print(`      ${slackTag} ${where} · the card says: `, history);
        const extras = slackCardExtras(args.blocks);
        if (extras) print(`      ${slackTag} ${where} · the card also shows: `, extras);
      } else if (call.method === 'chat.update') {
        print(`      ${slackTag} ${where} · card updated: `, text);
      } else if (call.method === 'chat.postEphemeral') {
        print(`      ${slackTag} ${where} · only ${name(args.user)} sees: `, text);
      } else if (call.method === 'response_url') {
        print(`      ${slackTag} only the person who asked sees: `, text);
      } else if (call.method === 'views.open') {
        const view = args.view as { title?: { text?: string } } | undefined;
        console.log(`      ${slackTag} a form opens: “${view?.title?.text ?? ''}”`);
      }
    }
    const discordCalls = this.discord.calls.slice(this.discordSeen);
    this.discordSeen = this.discord.calls.length;
    for (const call of discordCalls) {
      if (call.status >= 300) continue;
      const body = (call.body ?? {}) as Record<string, unknown>;
      const channel = /\/channels\/(\d+)/.exec(call.path)?.[1] ?? '';
      const embeds = (body.embeds as DiscordEmbed[] | undefined) ?? [];
      const content = unescapeDiscord(
        [String(body.content ?? ''), ...embeds.map((e) => `[${e.title ?? ''}] ${e.description ?? ''}`)]
          .join(' ')
          .trim(),
      );
      const where = this.dmChannels.get(channel) ?? name(channel);
      if (call.route === 'POST /users/@me/channels') {
        this.pendingDm = String(body.recipient_id ?? '');
      } else if (call.route === 'POST /channels/:id/messages') {
        if (this.pendingDm && !NAMES[channel]) {
          this.dmChannels.set(channel, `DM to ${name(this.pendingDm)}`);
          this.pendingDm = undefined;
        }
        const label = this.dmChannels.get(channel) ?? (NAMES[channel] ? name(channel) : 'the issue thread');
        print(`      ${discordTag} ${label} · Heed: `, content);
        const history = embeds.flatMap((e) => e.fields ?? []).find((f) => f.name === 'History')?.value;
        if (history) {
          print(`      ${discordTag} ${label} · the card says: `, unescapeDiscord(history));
        }
      } else if (call.route.startsWith('POST /channels/:id/messages/:id/threads')) {
        console.log(
          `      ${discordTag} ${where} · thread “${String(body.name ?? '')}” started on the customer's message`,
        );
      } else if (call.route.startsWith('PATCH /channels/:id/messages/')) {
        print(`      ${discordTag} ${where} · card updated: `, content);
      } else if (call.route.startsWith('POST /interactions/')) {
        const data = (body.data ?? {}) as Record<string, unknown>;
        if (body.type === 9) console.log(`      ${discordTag} a form opens: “${String(data.title ?? '')}”`);
        else if (body.type === 4 && data.content) {
          print(
            `      ${discordTag} only the person who asked sees: `,
            unescapeDiscord(String(data.content)),
          );
        }
      } else if (call.route.startsWith('PATCH /webhooks/') || call.route.startsWith('POST /webhooks/')) {
        if (content) print(`      ${discordTag} only the person who asked sees: `, content);
      }
    }
  }

  private pendingDm: string | undefined;
}
