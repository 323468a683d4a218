import { escapeMarkdown } from 'discord.js';
import type { Rich, Segment } from '../../src/messages/rich-text.ts';

/** Discord's message limits that Heed's rendering respects. */
export const MESSAGE_LIMITS = {
  content: 2000,
  threadName: 100,
  /** Discord accepts at most 100 ids in `allowed_mentions.users` and `.roles`. */
  allowedIds: 100,
} as const;

/** What the renderer needs to know about the guilds: whether an id names a role rather than a user. */
export interface RenderContext {
  isRole(id: string): boolean;
}

/** Rendered text plus the people and roles it is meant to ping. */
export interface RenderedText {
  readonly content: string;
  readonly users: readonly string[];
  readonly roles: readonly string[];
}

/** `allowedMentions` as discord.js takes it: nothing parsed, only Heed's intended pings allowed. */
export interface AllowedMentions {
  readonly parse: [];
  readonly users: string[];
  readonly roles: string[];
  readonly repliedUser: false;
}

const ZERO_WIDTH_SPACE = '\u200b';

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Breaks every mention syntax so relayed text can never ping or resolve: `@everyone`, `@here`, `<@id>`,
 * `<@!id>`, `<@&id>` and `<#id>` get a zero-width space after their first character.
 */
export function neutraliseMentions(value: string): string {
  return value
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<([@#])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

// Longer than any Discord text field (embed descriptions: 4096), so cutting here never shows.
const LONGEST_TEXT = 4097;

/** Escapes Discord markdown (including headings, lists, quotes, subtext and masked links) and mentions. */
export function escapeText(value: string): string {
  // escapeMarkdown slows down sharply on long runs; everything is cut to Discord's limits afterwards anyway.
  const bounded = value.length > LONGEST_TEXT ? value.slice(0, LONGEST_TEXT) : value;
  const escaped = escapeMarkdown(bounded, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  })
    .replace(/^(\s*)>/gm, '$1\\>')
    .replace(/^(\s*)-#/gm, '$1\\-#');
  return neutraliseMentions(escaped);
}

function inlineCode(value: string): string {
  if (value === '') return '';
  if (!value.includes('`')) return `\`${value}\``;
  return `\`\` ${value.replaceAll('``', `\`${ZERO_WIDTH_SPACE}\``)} \`\``;
}

function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[^\s<>]+$/i.test(url) ? url.replaceAll(')', '%29') : undefined;
}

interface Mentions {
  readonly users: Set<string>;
  readonly roles: Set<string>;
}

function renderSegment(segment: Segment, context: RenderContext, mentions: Mentions): string {
  switch (segment.t) {
    case 'text':
    case 'customer':
      return escapeText(segment.v);
    case 'bold':
      return segment.v === '' ? '' : `**${escapeText(segment.v)}**`;
    case 'code':
      return inlineCode(segment.v);
    case 'mention': {
      const { platform, id } = segment.user;
      if (platform !== 'discord' || !/^\d{5,25}$/.test(id)) return escapeText(`@${id}`);
      if (context.isRole(id)) {
        mentions.roles.add(id);
        return `<@&${id}>`;
      }
      mentions.users.add(id);
      return `<@${id}>`;
    }
    case 'role':
      if (segment.platform !== 'discord' || !/^\d{5,25}$/.test(segment.id))
        return escapeText(`@${segment.id}`);
      mentions.roles.add(segment.id);
      return `<@&${segment.id}>`;
    case 'channel':
      return segment.platform === 'discord' && /^\d{5,25}$/.test(segment.id)
        ? `<#${segment.id}>`
        : escapeText(`#${segment.id}`);
    case 'link': {
      const url = safeUrl(segment.url);
      const label = escapeText(segment.label).replace(/(?<!\\)[[\]]/g, '\\$&');
      return url ? `[${label}](${url})` : label;
    }
    case 'time':
      return `<t:${Math.floor(segment.at / 1000)}:f>`;
  }
}

/** Renders Heed's rich text as Discord markdown, collecting the pings it intends. */
export function renderRich(message: Rich, context: RenderContext): RenderedText {
  const mentions: Mentions = { users: new Set(), roles: new Set() };
  const content = message.map((segment) => renderSegment(segment, context, mentions)).join('');
  return {
    content,
    users: [...mentions.users].slice(0, MESSAGE_LIMITS.allowedIds),
    roles: [...mentions.roles].slice(0, MESSAGE_LIMITS.allowedIds),
  };
}

/** Only the users and roles Heed meant to ping; `@everyone`, `@here` and parsed mentions never ping. */
export function allowedMentionsFor(rendered: Pick<RenderedText, 'users' | 'roles'>): AllowedMentions {
  return { parse: [], users: [...rendered.users], roles: [...rendered.roles], repliedUser: false };
}

/**
 * The name of the thread Heed starts under a customer's message: the issue reference found in the
 * message Heed is sending (`#42`), then the first line of the customer's words.
 */
export function threadName(text: Rich, starter: string | undefined): string {
  const reference = text.find(
    (s): s is Extract<Segment, { t: 'bold' }> => s.t === 'bold' && /^#\d+$/.test(s.v),
  );
  const topic = (starter ?? '').replace(/\s+/g, ' ').trim();
  const name = [reference?.v, topic].filter(Boolean).join(' · ') || 'Support request';
  return cut(name, MESSAGE_LIMITS.threadName);
}
