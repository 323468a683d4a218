/**
 * Turns what the emulators received from Heed into a readable transcript: every message, thread, card
 * update, DM, form and private reply, in order, with channel and people names.
 */
import type { DiscordEmulator } from '../test/emulators/discord/index.ts';
import type { SlackEmulator } from '../test/emulators/slack/index.ts';
import { NAMES } from './workspace.ts';

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const slackTag = '\x1b[35mSlack  \x1b[0m';
const discordTag = '\x1b[34mDiscord\x1b[0m';

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

function oneLine(text: string, max = 220): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const name = (id: unknown) => NAMES[String(id)] ?? String(id);

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
    console.log(
      `\n${dim(clock(time))} ${platform === 'slack' ? slackTag : discordTag} ${name(where)} · ${who}: “${text}”`,
    );
  }

  note(text: string): void {
    console.log(`\n\x1b[1m${text}\x1b[0m`);
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
        console.log(
          `      ${slackTag} ${where}${args.thread_ts ? ' (thread)' : ''} · Heed: ${oneLine(text)}`,
        );
      } else if (call.method === 'chat.update') {
        console.log(`      ${slackTag} ${where} · card updated: ${oneLine(text)}`);
      } else if (call.method === 'chat.postEphemeral') {
        console.log(`      ${slackTag} ${where} · only ${name(args.user)} sees: ${oneLine(text)}`);
      } else if (call.method === 'response_url') {
        console.log(`      ${slackTag} only the person who asked sees: ${oneLine(text)}`);
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
      const embeds = (body.embeds as { title?: string; description?: string }[] | undefined) ?? [];
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
        console.log(`      ${discordTag} ${label} · Heed: ${oneLine(content)}`);
      } else if (call.route.startsWith('POST /channels/:id/messages/:id/threads')) {
        console.log(
          `      ${discordTag} ${where} · thread “${String(body.name ?? '')}” started on the customer's message`,
        );
      } else if (call.route.startsWith('PATCH /channels/:id/messages/')) {
        console.log(`      ${discordTag} ${where} · card updated: ${oneLine(content)}`);
      } else if (call.route.startsWith('POST /interactions/')) {
        const data = (body.data ?? {}) as Record<string, unknown>;
        if (body.type === 9) console.log(`      ${discordTag} a form opens: “${String(data.title ?? '')}”`);
        else if (body.type === 4 && data.content) {
          console.log(
            `      ${discordTag} only the person who asked sees: ${oneLine(unescapeDiscord(String(data.content)))}`,
          );
        }
      } else if (call.route.startsWith('PATCH /webhooks/') || call.route.startsWith('POST /webhooks/')) {
        if (content) console.log(`      ${discordTag} only the person who asked sees: ${oneLine(content)}`);
      }
    }
  }

  private pendingDm: string | undefined;
}
