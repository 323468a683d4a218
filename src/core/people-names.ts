import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logging/logger.ts';
import type { HeedDatabase } from '../store/heed-database.ts';

/** How a person was named, and whether from a message they wrote (strong) or a command or button (weak). */
export interface SeenName {
  readonly platform: string;
  readonly id: string;
  readonly name: string;
  readonly strong: boolean;
}

const MAX_NAME = 80;

/**
 * The names of people Heed has seen, staff and customers, kept in the `people` table so reports and
 * digests (and `heed report`, in another process) can say "Bea" rather than `slack:U0BILL01`. A name is
 * written only when it is new or changed (a cache remembers what the table holds), off the path that
 * answers the platform, and a failure is logged, never passed on: names are a courtesy.
 */
export class PeopleNames {
  private readonly known = new LRUCache<string, SeenName>({ max: 10_000 });

  constructor(
    private readonly database: HeedDatabase,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** Records a name if it says something new; a weak name never replaces a strong one. */
  async remember(seen: SeenName): Promise<void> {
    const name = seen.name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
    if (name === '') return;
    const key = `${seen.platform}:${seen.id}`;
    const before = this.known.get(key);
    if (before && (before.name === name || (before.strong && !seen.strong))) return;
    const row = {
      platform: seen.platform,
      person_id: seen.id,
      name,
      strong: seen.strong ? 1 : 0,
      seen_at: this.now(),
    };
    try {
      await this.database.change((db) =>
        db
          .insertInto('people')
          .values(row)
          .onConflict((conflict) =>
            conflict.columns(['platform', 'person_id']).doUpdateSet({
              // A weak name updates only a weak row; a strong one always wins.
              name: sql`case when ${sql.ref('excluded.strong')} >= ${sql.ref('people.strong')} then ${sql.ref('excluded.name')} else ${sql.ref('people.name')} end`,
              strong: sql`case when ${sql.ref('excluded.strong')} > ${sql.ref('people.strong')} then ${sql.ref('excluded.strong')} else ${sql.ref('people.strong')} end`,
              seen_at: sql`${sql.ref('excluded.seen_at')}`,
            }),
          )
          .execute(),
      );
      if (!before || seen.strong || !before.strong) this.known.set(key, { ...seen, name });
    } catch (error) {
      this.logger.warn({ err: error, platform: seen.platform }, 'could not keep a person’s name');
    }
  }

  /** Every known name, by `platform:id` (the report's owner keys). */
  async all(): Promise<Map<string, string>> {
    return namesIn(this.database);
  }
}

/** Every name in a store, by `platform:id`: for reports read by another process (`heed report`). */
export async function namesIn(database: Pick<HeedDatabase, 'db'>): Promise<Map<string, string>> {
  const rows = await database.db.selectFrom('people').select(['platform', 'person_id', 'name']).execute();
  return new Map(rows.map((row) => [`${row.platform}:${row.person_id}`, row.name]));
}
