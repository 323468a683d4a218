import type { UserRef } from '../domain/refs.ts';

/**
 * Heed's neutral message text: a list of segments that adapters render for each platform. Only
 * `mention` and `role` segments may ping anyone; `customer` segments carry untrusted text that adapters
 * must neutralise (no mentions, no links, no markup).
 */
export type Segment =
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'bold'; readonly v: string }
  | { readonly t: 'code'; readonly v: string }
  | { readonly t: 'customer'; readonly v: string }
  | { readonly t: 'mention'; readonly user: UserRef }
  | { readonly t: 'role'; readonly platform: UserRef['platform']; readonly id: string }
  | { readonly t: 'channel'; readonly platform: UserRef['platform']; readonly id: string }
  | { readonly t: 'link'; readonly url: string; readonly label: string }
  | { readonly t: 'time'; readonly at: number };

export type Rich = readonly Segment[];

type Interpolated = string | number | Segment | Rich | UserRef | undefined | null | false;

function isUserRef(value: object): value is UserRef {
  return 'platform' in value && 'id' in value && !('t' in value);
}

/**
 * Tagged template for Heed-authored text: interpolated strings stay plain text, UserRefs become
 * mentions, segments and segment lists are spliced in, and `undefined`/`null`/`false` vanish.
 */
export function rich(strings: TemplateStringsArray, ...values: Interpolated[]): Rich {
  const out: Segment[] = [];
  strings.forEach((literal, index) => {
    if (literal) out.push({ t: 'text', v: literal });
    if (index >= values.length) return;
    const value = values[index];
    if (value === undefined || value === null || value === false) return;
    if (typeof value === 'string' || typeof value === 'number') out.push({ t: 'text', v: String(value) });
    else if (Array.isArray(value)) out.push(...(value as Rich));
    else if (isUserRef(value as object)) out.push({ t: 'mention', user: value as UserRef });
    else out.push(value as Segment);
  });
  return mergeText(out);
}

function mergeText(segments: Segment[]): Rich {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (segment.t === 'text' && last?.t === 'text')
      merged[merged.length - 1] = { t: 'text', v: last.v + segment.v };
    else merged.push(segment);
  }
  return merged;
}

export const text = (v: string): Segment => ({ t: 'text', v });
export const bold = (v: string): Segment => ({ t: 'bold', v });
export const code = (v: string): Segment => ({ t: 'code', v });
export const customerText = (v: string): Segment => ({ t: 'customer', v });
export const mention = (user: UserRef): Segment => ({ t: 'mention', user });
export const link = (url: string, label: string): Segment => ({ t: 'link', url, label });
export const time = (at: number): Segment => ({ t: 'time', at });

/** Joins rich fragments with a separator. */
export function joinRich(parts: readonly Rich[], separator: string): Rich {
  const out: Segment[] = [];
  parts.forEach((part, index) => {
    if (index > 0) out.push(text(separator));
    out.push(...part);
  });
  return mergeText(out);
}

function plainSegment(segment: Segment, names?: ReadonlyMap<string, string>): string {
  switch (segment.t) {
    case 'text':
    case 'customer':
      return segment.v;
    case 'bold':
      return `*${segment.v}*`;
    case 'code':
      return `\`${segment.v}\``;
    case 'mention':
      return `@${names?.get(`${segment.user.platform}:${segment.user.id}`) ?? segment.user.id}`;
    case 'role':
      return `@&${segment.id}`;
    case 'channel':
      return `#${segment.id}`;
    case 'link':
      return `${segment.label} (${segment.url})`;
    case 'time':
      return new Date(segment.at).toISOString().replace('.000Z', 'Z');
  }
}

/**
 * Plain rendering for logs, the CLI and tests: mentions as `@id` (`@name` for people in `names`, by
 * `platform:id`), times in ISO (UTC).
 */
export function toPlainText(message: Rich, names?: ReadonlyMap<string, string>): string {
  return message.map((segment) => plainSegment(segment, names)).join('');
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(value: string, max: number, marker = '…'): string {
  if (value.length <= max) return value;
  return value.slice(0, Math.max(0, max - marker.length)) + marker;
}
