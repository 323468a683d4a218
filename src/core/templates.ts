import { customerText, type Rich, rich, type Segment, text } from '../messages/rich-text.ts';

export type TemplateValue = string | Rich | undefined;

/**
 * Renders a config template: `{name}` placeholders are replaced by values. String values are treated
 * as untrusted customer-facing text (they may come from people) and never ping; Rich values are
 * Heed-authored and spliced as they are. Unknown placeholders are left visible so a typo shows.
 */
export function renderTemplate(template: string, values: Record<string, TemplateValue>): Rich {
  const out: Segment[] = [];
  // What the reader sees so far: a value after a sentence ends (in the template or in a value before
  // it, such as a reason ending in a full stop) starts with a capital.
  let seen = '';
  const add = (...segments: Segment[]) => {
    out.push(...segments);
    for (const segment of segments) seen += 'v' in segment && typeof segment.v === 'string' ? segment.v : 'x';
  };
  let last = 0;
  for (const match of template.matchAll(/\{([a-z_]+)\}/g)) {
    const [whole, name] = match;
    if (match.index > last) add(text(template.slice(last, match.index)));
    const value = values[name!];
    if (value === undefined) add(text(whole));
    else if (typeof value === 'string') add(customerText(value));
    else add(...capitalisedAt(value, seen));
    last = match.index + whole.length;
  }
  if (last < template.length) add(text(template.slice(last)));
  return rich`${out}`;
}

/** Heed's own wording ("our team") starts with a capital where a sentence starts ("…shortly. Our team…"). */
function capitalisedAt(value: Rich, before: string): Rich {
  const first = value[0];
  if (first?.t !== 'text' || !/(^|[.!?]\s+)$/.test(before)) return value;
  return [{ t: 'text', v: first.v.charAt(0).toUpperCase() + first.v.slice(1) }, ...value.slice(1)];
}
