/** `heed report --by nps` on a SQLite store a running core wrote: what customers answered, per team and tier. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import { type RunningCore, startCore } from '../../src/boot/start-core.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { runHeed } from '../cli/run-heed.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const MINUTE = 60_000;

describe('heed report --by nps', () => {
  let dir: string;
  let storeUrl: string;
  let core: RunningCore;
  const clock = new FakeClock(MONDAY_10AM);
  let seq = 0;

  // Opens an issue for a customer (Bob's Slack team makes him enterprise) and resolves it: NPS is asked.
  async function resolvedFor(user: string, teamId?: string) {
    seq += 1;
    const outcome = await core.heed.handleMessage({
      platform: 'slack',
      channel: S.customerChannel,
      messageId: `1763900000.${String(seq).padStart(6, '0')}`,
      text: `Question ${seq}`,
      at: clock.now(),
      author: { id: user, name: user, ...(teamId ? { teamId } : {}) },
    });
    if (!('issue' in outcome)) throw new Error(outcome.kind);
    await runCommand(core.heed, {
      person: { platform: 'slack', id: S.staff },
      input: { text: `resolve #${outcome.issue.number} Done` },
    });
    return outcome.issue;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-nps-cli-'));
    storeUrl = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    core = await startCore({
      config: testConfig({ nps: { after: '1 resolved issue' } }),
      storeUrl,
      chat: new RecordingChatPort(),
      logger: silentLogger(),
      clock,
      runScheduler: false,
    });
    // Dana (no tier) answers 6, Bob (enterprise) 9, Kim (enterprise) 7.
    const answers: Array<[string, string | undefined, string]> = [
      [S.customer, undefined, 'nps-six'],
      ['U0BOB0001', S.bigcoTeam, 'nps-nine'],
      ['U0KIM0001', S.bigcoTeam, 'nps-seven'],
    ];
    for (const [user, team, action] of answers) {
      const issue = await resolvedFor(user, team);
      clock.advance(MINUTE);
      await runAction(core.heed, { person: { platform: 'slack', id: user }, action, issueId: issue.id });
    }
  });

  afterAll(async () => {
    await core?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints NPS per team, per tier and in total, beside the running server', async () => {
    const run = await runHeed(['report', '--by', 'nps', '--from', '2026-11-23', '--format', 'csv'], {
      env: { HEED_STORE_URL: storeUrl },
      cwd: dir,
      now: MONDAY_10AM + 60 * MINUTE,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // All: 1 promoter, 1 passive, 1 detractor of 3 → 0. Enterprise: Bob 9, Kim 7 → (1 − 0) / 2 = +50.
    // No tier: Dana 6 → −100.
    expect(run.stdout.split('\r\n')).toEqual([
      'by,group,answers,promoters,passives,detractors,nps',
      'team,support,3,1,1,1,0',
      'tier,enterprise,2,1,1,0,50',
      'tier,no tier,1,0,0,1,-100',
      'all,all,3,1,1,1,0',
      '',
    ]);
  });
});
