import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { UserDirectory } from '../../../adapters/slack/user-directory.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

/** A stand-in for Slack's Web API client: `users.info` and `team.info` answers, and what was asked. */
function slack(teamInfo: () => Promise<unknown>) {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(`users.info ${user}`);
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
