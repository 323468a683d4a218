/** Looks for words in every column of every table of a store: where, if anywhere, a person still lives. */
import type { HeedDatabase } from '../../src/store/database.ts';

export interface Found {
  readonly table: string;
  readonly column: string;
  readonly term: string;
  readonly value: string;
}

/** Every (table, column) holding one of the terms, case-insensitively; the tables searched, too. */
export async function scanStore(
  store: HeedDatabase,
  terms: readonly string[],
  /** PostgreSQL: the schema Heed's tables are in (the test server holds other runs' schemas too). */
  schema?: string,
): Promise<{ readonly found: Found[]; readonly tables: string[] }> {
  const all = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  const tables = schema ? all.filter((table) => table.schema === schema) : all;
  const found: Found[] = [];
  const wanted = terms.map((term) => term.toLowerCase());
  for (const table of tables) {
    const name = table.schema ? `${table.schema}.${table.name}` : table.name;
    // biome-ignore lint/suspicious/noExplicitAny: every table, whatever its columns, is read whole.
    const rows: Record<string, unknown>[] = await (store.db as any).selectFrom(name).selectAll().execute();
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text = (value instanceof Date ? value.toISOString() : String(value ?? '')).toLowerCase();
        wanted.forEach((term, index) => {
          if (text.includes(term))
            found.push({ table: table.name, column, term: terms[index]!, value: text });
        });
      }
    }
  }
  return { found, tables: tables.map((t) => t.name) };
}
