import type { HomePage } from '../../src/ports/home-page.ts';
import { type DiscordEmbed, EMBED_LIMITS, fitEmbed } from './to-discord-card.ts';
import { cut, type RenderContext, renderRich } from './to-discord-text.ts';

const HOME_COLOUR = 0x1f3a5f;

/**
 * `/heed dashboard` as an embed: the intro as its description, one field per section (its lines, cut to a
 * field's 1,024 characters, with how many more there are), and the web dashboard's sign-in link when
 * one was made, within Discord's embed limits. Lines are rendered like every message, so customer text
 * is neutralised; an embed pings nobody.
 */
export function homeEmbed(page: HomePage, context: RenderContext, signInUrl?: string): DiscordEmbed {
  const fields = page.sections.map((part) => {
    const lines = part.lines.map((line) => `• ${renderRich(line.text, context).content}`);
    const more = part.more ? `\n…and ${part.more} more.` : '';
    let value = lines.length > 0 ? lines.join('\n') : (part.empty ?? '—');
    // Whole lines only, so a cut never leaves half a mention or link.
    while (value.length + more.length > EMBED_LIMITS.fieldValue && lines.length > 1) {
      lines.pop();
      value = `${lines.join('\n')}\n…`;
    }
    return { name: part.title, value: cut(value + more, EMBED_LIMITS.fieldValue) };
  });
  // A link cut in half would be useless: one that does not fit is left out (it went by DM too).
  const dashboard = signInUrl ? `[Open the web dashboard](${signInUrl}): works once, for 10 minutes.` : '';
  if (dashboard && dashboard.length <= EMBED_LIMITS.fieldValue) {
    fields.push({ name: 'Web dashboard', value: dashboard });
  }
  return fitEmbed({
    title: page.title,
    description: renderRich(page.intro, context).content,
    color: HOME_COLOUR,
    fields,
    timestamp: new Date(page.at).toISOString(),
  });
}
