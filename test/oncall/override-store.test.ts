/**
 * Overrides' rows on both stores: set by one instance, seen by another after a refresh; removed ones
 * stay as a record and stop counting; a damaged row is skipped, the rest keep working.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.ts';
import { OnCall } from '../../src/oncall/on-call.ts';
import { type HeedDatabase, openDatabase } from '../../src/store/database.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../store/services.ts';
import { testConfig, testConfigInput } from '../support/test-config.ts';

const NOW = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
const base = testConfigInput();
const config = testConfig({
  schedules: [
    {
      id: 'support-oncall',
      timezone: 'Europe/Prague',
      layers: [{ name: 'office', people: { slack: ['U0STAFF1'] } }],
    },
  ],
  teams: (base.teams as Record<string, unknown>[]).map((team) =>
    team.id === 'support' ? { ...team, onCall: { schedule: 'support-oncall' } } : team,
  ),
});

const schema = testSchema('oncall');
afterAll(() => dropPostgresSchema(schema));

describe.each([
  ['sqlite', () => openDatabase('memory://'), false],
  ['postgres', () => openDatabase(postgresStoreUrl(schema)), true],
] as const)('on-call overrides on %s', (_name, open, shared) => {
  it('are stored with who set them and why, seen by another instance, and removed as a record', async () => {
    const first = await open();
    const second = shared ? await open() : first;
    try {
      const here = new OnCall(config, first, () => NOW, silentLogger());
      const there = new OnCall(config, second, () => NOW, silentLogger());
      await there.refresh();
      const stored = await here.add({
        schedule: 'support-oncall',
        platform: 'slack',
        user: 'U0STAFF2',
        from: NOW,
        to: NOW + 2 * HOUR,
        reason: 'dentist',
        setBy: { platform: 'slack', id: 'U0STAFF1' },
      });
      expect(stored).toMatchObject({
        user: 'U0STAFF2',
        reason: 'dentist',
        setBy: { platform: 'slack', id: 'U0STAFF1' },
      });
      expect(here.roster().current('support', 'slack', NOW + HOUR)?.id).toBe('U0STAFF2');
      // The other instance sees it once it refreshes (every 15 s, and before each SLA tick).
      expect(there.roster().current('support', 'slack', NOW + HOUR)?.id).toBe('U0STAFF1');
      await there.refresh();
      expect(there.roster().current('support', 'slack', NOW + HOUR)?.id).toBe('U0STAFF2');
      expect((await there.upcoming(['support-oncall'])).map((o) => o.id)).toEqual([stored.id]);

      expect(await there.remove(stored.id, { platform: 'slack', id: 'U0MGR001' })).toMatchObject({
        removedBy: { id: 'U0MGR001' },
      });
      expect(await there.remove(stored.id, { platform: 'slack', id: 'U0MGR001' })).toBeUndefined();
      expect(await here.get(stored.id)).toMatchObject({
        removedAt: NOW,
        removedBy: { platform: 'slack', id: 'U0MGR001' },
      });
      await here.refresh();
      expect(here.roster().current('support', 'slack', NOW + HOUR)?.id).toBe('U0STAFF1');
      expect(await here.upcoming()).toEqual([]);
    } finally {
      if (second !== first) await second.close();
      await first.close();
    }
  });

  it('skips a damaged row and keeps the others', async () => {
    const database: HeedDatabase = await open();
    try {
      const onCall = new OnCall(config, database, () => NOW, silentLogger());
      await database.change((trx) =>
        trx
          .insertInto('oncall_overrides')
          .values({
            schedule: 'support-oncall',
            platform: 'teams',
            user_id: 'X',
            starts_at: NOW,
            ends_at: NOW + HOUR,
            reason: null,
            set_by: 'nobody',
            created_at: NOW,
          })
          .execute(),
      );
      const good = await onCall.add({
        schedule: 'support-oncall',
        platform: 'slack',
        user: 'U0STAFF2',
        from: NOW,
        to: NOW + HOUR,
        reason: undefined,
        setBy: { platform: 'slack', id: 'U0STAFF1' },
      });
      expect((await onCall.upcoming()).map((o) => o.id)).toContain(good.id);
      expect(onCall.roster().current('support', 'slack', NOW)?.id).toBe('U0STAFF2');
    } finally {
      await database.close();
    }
  });
});
