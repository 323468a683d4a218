/**
 * Customer facts from a CSV file (`heed customers import`): a header row naming the columns `identity`
 * (`<platform>:<user id>`, required) and any of `name`, `organisation`, `tier`, `value`; one customer per
 * row. Pure: each row is read into facts or refused with its line and reason.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { UserRef } from '../domain/refs.ts';
import { parseAmount } from './amount.ts';

export const CSV_COLUMNS = ['identity', 'name', 'organisation', 'tier', 'value'] as const;
const IDENTITY_EXAMPLE = '<platform>:<user id>, for example slack:U0123ABC or discord:123456789012345678';

/** One row's facts: only the cells that were filled in. */
export interface CustomerRow {
  readonly line: number;
  readonly user: UserRef;
  readonly name?: string;
  readonly organisation?: string;
  readonly tier?: string;
  readonly value?: number;
}

export interface RefusedRow {
  readonly line: number;
  readonly reason: string;
}

export type CsvRead =
  | { readonly rows: CustomerRow[]; readonly refused: RefusedRow[] }
  | { readonly problem: string };

/**
 * Reads the file's text; `tiers` are the configured tier ids (a row naming another is refused);
 * `identityOf` reads `<platform>:<id>` through the platforms' own parsers (a people reader's `anyone`).
 */
export function readCustomerCsv(
  text: string,
  tiers: ReadonlySet<string> | undefined,
  identityOf: (text: string) => UserRef | undefined,
): CsvRead {
  const identitySchema = z.string().transform((written, ctx): UserRef => {
    const user = /^[a-z]+:\S+$/i.test(written.trim()) ? identityOf(written.trim()) : undefined;
    if (user) return user;
    ctx.addIssue({ code: 'custom', message: `identity "${written}" is not a person as ${IDENTITY_EXAMPLE}` });
    return z.NEVER;
  });
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    return { problem: `the file is not valid CSV: ${(error as Error).message}` };
  }
  const [header, ...body] = records;
  if (!header)
    return {
      problem: 'the file is empty; the first row names the columns: identity,name,organisation,tier,value',
    };
  const columns = header.map((title) => title.toLowerCase());
  const unknown = columns.filter((title) => !(CSV_COLUMNS as readonly string[]).includes(title));
  if (!columns.includes('identity') || unknown.length > 0) {
    return {
      problem: `the first row names the columns, and must include identity; known columns: ${CSV_COLUMNS.join(', ')}${unknown.length ? ` (not known: ${unknown.join(', ')})` : ''}`,
    };
  }
  const rows: CustomerRow[] = [];
  const refused: RefusedRow[] = [];
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const line = index + 2;
    const cell = (name: (typeof CSV_COLUMNS)[number]) => {
      const at = columns.indexOf(name);
      const value = at >= 0 ? record[at] : undefined;
      return value === undefined || value === '' ? undefined : value;
    };
    if (record.length > columns.length) {
      refused.push({
        line,
        reason: `${record.length} cells, but the header names ${columns.length} columns`,
      });
      return;
    }
    const identity = identitySchema.safeParse(cell('identity') ?? '');
    if (!identity.success) {
      refused.push({
        line,
        reason: cell('identity') ? identity.error.issues[0]!.message : 'identity is empty',
      });
      return;
    }
    const key = `${identity.data.platform}:${identity.data.id}`;
    if (seen.has(key)) {
      refused.push({ line, reason: `${key} is already on line ${seen.get(key)}` });
      return;
    }
    const tier = cell('tier');
    if (tier && tiers && !tiers.has(tier)) {
      refused.push({
        line,
        reason: `tier "${tier}" is not in the config (known: ${[...tiers].join(', ') || 'none'})`,
      });
      return;
    }
    const valueText = cell('value');
    const value = valueText === undefined ? undefined : parseAmount(valueText);
    if (valueText !== undefined && value === undefined) {
      refused.push({ line, reason: `value "${valueText}" is not an amount like 12000, 12k or 1.5M` });
      return;
    }
    const name = cell('name');
    const organisation = cell('organisation');
    if ((name?.length ?? 0) > 200 || (organisation?.length ?? 0) > 200) {
      refused.push({ line, reason: 'name and organisation are at most 200 characters' });
      return;
    }
    seen.set(key, line);
    rows.push({
      line,
      user: identity.data,
      ...(name ? { name } : {}),
      ...(organisation ? { organisation } : {}),
      ...(tier ? { tier } : {}),
      ...(value !== undefined ? { value } : {}),
    });
  });
  return { rows, refused };
}
