import type { webApi } from '@slack/bolt';
import { Keyv } from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { UserDirectory } from '../../../adapters/slack/user-directory.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type HeedDatabase, openDatabase } from '../../../src/store/database.ts';
import { KeyvTableStore } from '../../../src/store/keyv-table-store.ts';
import { TtlKeys } from '../../../src/store/ttl-keys.ts';

/** A stand-in for Slack's Web API client: `users.info` and `team.info` answers, and what was asked. */
function slack(teamInfo: () => Promise<unknown>, usersInfo?: () => Promise<unknown>) {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(`users.info ${user}`);
        if (usersInfo) return usersInfo();
        return {
          ok: true,
          user: { id: user, name: user, team_id: user === 'U0OURS01' ? 'T0HOME' : 'T0BIGCO' },
        };
      },
    },
    team: {
      info: async ({ team }: { team: string }) => {
        asked.push(`team.info ${team}`);
        return teamInfo();
      },
    },
  } as unknown as webApi.WebClient;
  return { client, asked };
}

describe('the Slack user directory', () => {
  it("names a Slack Connect customer's organisation, asking team.info once per team and never for our own", async () => {
    const { client, asked } = slack(async () => ({ ok: true, team: { id: 'T0BIGCO', name: 'BigCo' } }));
    const users = new UserDirectory({ client, logger: silentLogger(), homeTeamId: () => 'T0HOME' });
    expect(await users.lookup('U0DANA01')).toMatchObject({ teamId: 'T0BIGCO', organisation: 'BigCo' });
    expect(await users.lookup('U0KIM001')).toMatchObject({ organisation: 'BigCo' });
    expect((await users.lookup('U0OURS01')).organisation).toBeUndefined();
    expect(asked.filter((call) => call.startsWith('team.info'))).toEqual(['team.info T0BIGCO']);
  });

  it('goes on without the organisation when team.info is refused (no team:read scope)', async () => {
    const { client } = slack(async () => {
      throw new Error('missing_scope');
    });
    const users = new UserDirectory({ client, logger: silentLogger(), homeTeamId: () => 'T0HOME' });
    const profile = await users.lookup('U0DANA01');
    expect(profile).toMatchObject({ name: 'U0DANA01', teamId: 'T0BIGCO' });
    expect(profile.organisation).toBeUndefined();
  });
});

describe('the Slack user directory in shared mode', () => {
  const opened: HeedDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  /** A keyv on the ttl_keys table of one store, as every instance of a shared-mode desk gets. */
  async function sharedStore() {
    const database = await openDatabase('memory://');
    opened.push(database);
    const keys = new TtlKeys(database);
    return {
      keys,
      keyv: () =>
        new Keyv({ store: new KeyvTableStore(keys), namespace: 'slack-directory', throwOnErrors: true }),
    };
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('finds a person another instance looked up without asking Slack, organisation included', async () => {
    const store = await sharedStore();
    const one = slack(async () => ({ ok: true, team: { id: 'T0BIGCO', name: 'BigCo' } }));
    const two = slack(async () => ({ ok: true, team: { id: 'T0BIGCO', name: 'BigCo' } }));
    const a = new UserDirectory({
      client: one.client,
      logger: silentLogger(),
      homeTeamId: () => 'T0HOME',
      shared: store.keyv(),
    });
    const b = new UserDirectory({
      client: two.client,
      logger: silentLogger(),
      homeTeamId: () => 'T0HOME',
      shared: store.keyv(),
    });
    const first = await a.lookup('U0DANA01');
    expect(first).toMatchObject({ name: 'U0DANA01', organisation: 'BigCo' });
    await settle();
    expect(await b.lookup('U0DANA01')).toEqual(first);
    expect(two.asked).toEqual([]);
    // B's colleague from the same organisation: users.info from B, the team's name from A's lookup.
    expect(await b.lookup('U0KIM001')).toMatchObject({ organisation: 'BigCo' });
    expect(two.asked).toEqual(['users.info U0KIM001']);
  });

  it('keeps what it read from the other instances only as long as it lives there', async () => {
    const store = await sharedStore();
    const one = slack(async () => ({ ok: true }));
    const two = slack(async () => ({ ok: true }));
    const a = new UserDirectory({
      client: one.client,
      logger: silentLogger(),
      shared: store.keyv(),
      ttlMs: 60_000,
    });
    let now = 1_000_000;
    const b = new UserDirectory({
      client: two.client,
      logger: silentLogger(),
      shared: store.keyv(),
      now: () => now,
    });
    await a.lookup('U0DANA01');
    await settle();
    await b.lookup('U0DANA01');
    // B's own TTL would be an hour; A's entry (a minute) expires first, and B asks again after it (the
    // shared row is gone by then too: its clock is the wall clock, so the test removes it).
    now += 61_000;
    await store.keys.delete('keyv:slack-directory:user:U0DANA01');
    await b.lookup('U0DANA01');
    expect(two.asked).toEqual(['users.info U0DANA01']);
  });

  it('shares a failed lookup for the failure TTL, so the instances do not all hammer a rate-limited Slack', async () => {
    const store = await sharedStore();
    const one = slack(
      async () => ({ ok: true }),
      async () => {
        throw new Error('ratelimited');
      },
    );
    const two = slack(async () => ({ ok: true }));
    const a = new UserDirectory({ client: one.client, logger: silentLogger(), shared: store.keyv() });
    const b = new UserDirectory({ client: two.client, logger: silentLogger(), shared: store.keyv() });
    expect(await a.lookup('U0DANA01')).toEqual({});
    await settle();
    expect(await b.lookup('U0DANA01')).toEqual({});
    expect(two.asked).toEqual([]);
  });

  it('asks Slack when the shared entry is unreadable, and when the shared store does not answer', async () => {
    const store = await sharedStore();
    await store.keys.set('keyv:slack-directory:user:U0DANA01', '{"value":{"name":42}}', 60_000);
    await store.keys.set('keyv:slack-directory:user:U0KIM001', 'garbage', 60_000);
    const { client, asked } = slack(async () => ({ ok: true }));
    const users = new UserDirectory({ client, logger: silentLogger(), shared: store.keyv() });
    expect(await users.lookup('U0DANA01')).toMatchObject({ name: 'U0DANA01' });
    expect(await users.lookup('U0KIM001')).toMatchObject({ name: 'U0KIM001' });
    await opened[0]!.close();
    expect(await users.lookup('U0LEE001')).toMatchObject({ name: 'U0LEE001' });
    expect(asked).toEqual(['users.info U0DANA01', 'users.info U0KIM001', 'users.info U0LEE001']);
  });
});
