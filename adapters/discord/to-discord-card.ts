import type { APIEmbed } from 'discord.js';
import type { Priority } from '../../src/domain/issue.ts';
import type { IssueCard } from '../../src/ports/chat-port.ts';
import { cut, escapeText } from './to-discord-text.ts';

/** Discord's embed limits. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  total: 6000,
} as const;

/** An embed as Heed sends it. */
export type DiscordEmbed = APIEmbed;

const PRIORITY_COLOUR: Record<Priority, number> = {
  urgent: 0xd93025,
  high: 0xf29900,
  normal: 0x1a73e8,
  low: 0x80868b,
};

// The customer's words as a block quote, every line escaped.
function quote(excerpt: string): string {
  const lines = excerpt.trim() === '' ? ['(no text)'] : excerpt.split('\n');
  return lines.map((line) => `> ${escapeText(line)}`).join('\n');
}

function embedSize(embed: APIEmbed): number {
  const fields = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

// A field's name and value are required, and Discord trims them first: a blank one is refused
// (BASE_TYPE_REQUIRED), so it becomes a zero-width space, which Discord keeps.
const notBlank = (text: string): string => (text.trim() === '' ? '\u200b' : text);

/**
 * Cuts an embed to Discord's limits: each part to its own limit, at most 25 fields, and then the
 * description (the customer's words) and the last fields until the whole fits in 6000 characters.
 */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = {
    ...embed,
    ...(embed.title !== undefined ? { title: cut(embed.title, EMBED_LIMITS.title) } : {}),
    ...(embed.description !== undefined
      ? { description: cut(embed.description, EMBED_LIMITS.description) }
      : {}),
    ...(embed.footer
      ? { footer: { ...embed.footer, text: cut(embed.footer.text, EMBED_LIMITS.footer) } }
      : {}),
    fields: (embed.fields ?? []).slice(0, EMBED_LIMITS.fields).map((field) => ({
      ...field,
      name: notBlank(cut(field.name, EMBED_LIMITS.fieldName)),
      value: notBlank(cut(field.value, EMBED_LIMITS.fieldValue)),
    })),
  };
  let excess = embedSize(fitted) - EMBED_LIMITS.total;
  if (excess > 0 && fitted.description) {
    const keep = Math.max(1, fitted.description.length - excess);
    fitted.description = cut(fitted.description, keep);
    excess = embedSize(fitted) - EMBED_LIMITS.total;
  }
  while (excess > 0 && fitted.fields && fitted.fields.length > 0) {
    fitted.fields = fitted.fields.slice(0, -1);
    excess = embedSize(fitted) - EMBED_LIMITS.total;
  }
  return fitted;
}

/** The team card: reference and status, priority colour, who and what, deadlines, history. */
export function cardEmbed(card: IssueCard): DiscordEmbed {
  const customer = [card.customerName, card.customerDetails, card.value].filter(Boolean).join(' · ');
  const owner = card.owner
    ? card.owner.platform === 'discord'
      ? `<@${card.owner.id}>`
      : escapeText(`@${card.owner.id} (${card.owner.platform})`)
    : 'Unclaimed';
  const fields = [
    { name: 'Customer', value: escapeText(customer), inline: true },
    { name: 'Owner', value: owner, inline: true },
    { name: 'Priority', value: card.priority, inline: true },
    { name: 'Team', value: escapeText(card.team), inline: true },
    {
      name: 'Deadlines',
      value: card.deadlines.length ? card.deadlines.map(escapeText).join('\n') : 'None running',
    },
    { name: 'History', value: escapeText(card.history) || '—' },
  ];
  const files = filesField(card);
  if (files) fields.push(files);
  const link = card.threadLink && /^https?:\/\//.test(card.threadLink) ? card.threadLink : undefined;
  if (link) fields.push({ name: 'Thread', value: `[Open the customer's thread](${link})` });
  if (card.suggestedReply) {
    const { id, title } = card.suggestedReply;
    fields.push({ name: 'Suggested reply', value: `${escapeText(title)} · \`/heed answer reply:${id}\`` });
  }
  const preview = previewImage(card);
  return fitEmbed({
    title: `${card.reference} · ${card.status}`,
    ...(link ? { url: link } : {}),
    description: quote(card.excerpt),
    color: PRIORITY_COLOUR[card.priority],
    fields,
    ...(preview ? { image: { url: preview } } : {}),
  });
}

const httpUrl = (url: string) =>
  /^https?:\/\/[^\s<>]+$/i.test(url) ? url.replaceAll(')', '%29') : undefined;

/** "Files (3)": a link per file (names escaped), within a field value's 1,024 characters. */
function filesField(card: IssueCard): { name: string; value: string } | undefined {
  const files = card.files ?? [];
  const total = files.length + (card.moreFiles ?? 0);
  if (total === 0) return undefined;
  const lines: string[] = [];
  let used = 0;
  let listed = 0;
  for (const file of files) {
    const label = escapeText(cut(file.name, 80)).replace(/(?<!\\)[[\]]/g, '\\$&');
    const url = httpUrl(file.url);
    const line = url ? `[${label}](${url})` : label;
    if (used + line.length + 40 > EMBED_LIMITS.fieldValue) break;
    lines.push(line);
    used += line.length + 1;
    listed += 1;
  }
  const rest = total - listed;
  if (rest > 0) lines.push(`and ${rest} more`);
  return { name: `Files (${total})`, value: lines.join('\n') };
}

/** The first image the customer sent through Discord (its CDN serves it): shown on the card. */
function previewImage(card: IssueCard): string | undefined {
  const image = (card.files ?? []).find(
    (file) =>
      file.type?.startsWith('image/') && /^https:\/\/(cdn|media)\.discordapp\.(com|net)\//.test(file.url),
  );
  return image ? httpUrl(image.url) : undefined;
}
