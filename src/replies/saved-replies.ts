/**
 * Saved replies (`replies:` in the config): which one fits a customer's words, and its text for an issue.
 * Pure: the card's suggestion, the Answer form's choices and `/heed answer` all come from here.
 */
import type { SavedReply } from '../config/issue-extras-config.ts';
import type { TemplateValue } from '../core/templates.ts';
import { renderTemplate } from '../core/templates.ts';
import type { Rich, Segment } from '../messages/rich-text.ts';

export type { SavedReply };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How many of the reply's keywords appear in the text, as whole words or phrases (case-insensitive). */
export function keywordHits(reply: Pick<SavedReply, 'keywords'>, text: string): number {
  return reply.keywords.filter((keyword) =>
    new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegex(keyword)}($|[^\\p{L}\\p{N}])`, 'iu').test(text),
  ).length;
}

/** The saved reply whose keywords best match the customer's words (most hits; the first listed on a tie). */
export function suggestReply(replies: readonly SavedReply[], text: string): SavedReply | undefined {
  let best: SavedReply | undefined;
  let bestHits = 0;
  for (const reply of replies) {
    const hits = keywordHits(reply, text);
    if (hits > bestHits) {
      best = reply;
      bestHits = hits;
    }
  }
  return best;
}

/** The replies ranked for the customer's words: the best matches first, then the rest in config order. */
export function rankReplies(replies: readonly SavedReply[], text: string): SavedReply[] {
  return replies
    .map((reply, index) => ({ reply, index, hits: keywordHits(reply, text) }))
    .sort((a, b) => b.hits - a.hits || a.index - b.index)
    .map(({ reply }) => reply);
}

/**
 * A saved reply's text for the customer. A template from the config is Heed's own wording; one a person
 * edited before sending is theirs, so its words are neutralised (no mentions, no links) like any staff
 * text relayed by Heed, while its placeholders are still filled in.
 */
export function renderReply(template: string, values: Record<string, TemplateValue>, edited: boolean): Rich {
  const rendered = renderTemplate(template, values);
  if (!edited) return rendered;
  return rendered.map(
    (segment): Segment => (segment.t === 'text' ? { t: 'customer', v: segment.v } : segment),
  );
}

/** The customer's words on an issue, for matching saved replies: the subject and what they wrote since. */
export function customerWords(issue: {
  readonly subject: string;
  readonly messages: readonly { readonly text: string; readonly deletedAt?: number | undefined }[];
}): string {
  return [issue.subject, ...issue.messages.filter((m) => m.deletedAt === undefined).map((m) => m.text)].join(
    '\n',
  );
}
