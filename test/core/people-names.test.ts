import { afterAll, describe, expect, it } from 'vitest';
import { namesIn, PeopleNames } from '../../src/core/people-names.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { HeedDatabase } from '../../src/store/heed-database.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';

const schema = testSchema('people');
afterAll(() => dropPostgresSchema(schema));

describe.each([
  ['SQLite', () => openDatabase('memory://')],
  ['PostgreSQL', () => openDatabase(postgresStoreUrl(schema))],
])('names of people Heed has seen (%s)', (_backend, open) => {
  async function withNames(work: (people: PeopleNames, database: HeedDatabase) => Promise<void>) {
    const database = await open();
    try {
      await work(new PeopleNames(database, () => 1_000, silentLogger()), database);
    } finally {
      await database.close();
    }
  }

  it('keeps a message’s name over a command’s handle, and follows a renamed person', async () => {
    await withNames(async (people, database) => {
      await people.remember({ platform: 'slack', id: 'U0BEA', name: 'bea', strong: false });
      expect((await namesIn(database)).get('slack:U0BEA')).toBe('bea');
      await people.remember({ platform: 'slack', id: 'U0BEA', name: 'Bea Billing', strong: true });
      await people.remember({ platform: 'slack', id: 'U0BEA', name: 'bea', strong: false });
      expect((await namesIn(database)).get('slack:U0BEA')).toBe('Bea Billing');
      // A fresh process (no cache) with a handle still leaves the stored display name alone.
      await new PeopleNames(database, () => 2_000, silentLogger()).remember({
        platform: 'slack',
        id: 'U0BEA',
        name: 'bea',
        strong: false,
      });
      expect((await namesIn(database)).get('slack:U0BEA')).toBe('Bea Billing');
      await people.remember({ platform: 'slack', id: 'U0BEA', name: 'Bea  Novak\n', strong: true });
      expect((await namesIn(database)).get('slack:U0BEA')).toBe('Bea Novak');
    });
  });

  it('ignores blank names and keeps platforms apart', async () => {
    await withNames(async (people, database) => {
      await people.remember({ platform: 'discord', id: '1200000000000000001', name: '   ', strong: true });
      await people.remember({ platform: 'discord', id: '1200000000000000002', name: 'Riley', strong: true });
      await people.remember({
        platform: 'slack',
        id: '1200000000000000002',
        name: 'Someone else',
        strong: true,
      });
      const names = await namesIn(database);
      expect(names.has('discord:1200000000000000001')).toBe(false);
      expect(names.get('discord:1200000000000000002')).toBe('Riley');
      expect(names.get('slack:1200000000000000002')).toBe('Someone else');
    });
  });
});
