/**
 * NPS figures as staff and managers meet them: two customers answer (one enterprise, one without a tier),
 * `/heed stats nps` gives the score in total, per team and per tier, and the next morning's digest opens
 * with the team's NPS after its money line.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/run-action.ts';
import { DigestScheduler } from '../../src/digest/digest-scheduler.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { customerSays, DAY, people, S, slash } from '../customers/customer-story.ts';
import { startHarness } from '../support/harness.ts';
import { testConfig } from '../support/test-config.ts';

const bob = { id: 'U0BOB0001', name: 'Bob at BigCo', teamId: S.bigcoTeam };

describe('NPS in /heed stats and the digest', () => {
  it('counts each answer once, by team and tier', async () => {
    const h = await startHarness({
      config: testConfig({
        nps: { after: '1 resolved issue' },
        digest: { every: 'daily', at: '09:00', calendar: 'office' },
      }),
    });
    const digest = new DigestScheduler({
      heed: h.heed,
      database: h.store,
      clock: h.clock,
      logger: silentLogger(),
    });
    await digest.tick(); // the baseline

    expect(await slash(h, people.staff, 'stats nps')).toContain('No NPS answers in this period.');
    const dana = await customerSays(h, 'Export fails');
    const big = await customerSays(h, 'Our SSO is broken', { author: bob });
    expect(big.customer.tier).toBe('enterprise');
    await slash(h, people.staff, `resolve #${dana.number} Fixed`);
    await slash(h, people.staff, `resolve #${big.number} Fixed`);
    await runAction(h.heed, {
      person: people.dana,
      action: 'nps-three',
      issueId: dana.id,
      fields: { comment: 'Slow' },
    });
    await runAction(h.heed, {
      person: { platform: 'slack', id: bob.id },
      action: 'nps-ten',
      issueId: big.id,
    });
    // A second press counts for nothing.
    await runAction(h.heed, {
      person: { platform: 'slack', id: bob.id },
      action: 'nps-two',
      issueId: big.id,
    });

    // 1 promoter, 1 detractor of 2: (1 − 1) / 2 = 0; enterprise (Bob) +100; no tier (Dana) −100.
    const stats = await slash(h, people.staff, 'stats nps');
    expect(stats.split('\n').slice(1)).toEqual([
      '*All*: NPS 0 (2 answers: 1 promoter, 0 passives, 1 detractor)',
      '• team Customer Support: NPS 0 (2 answers: 1 promoter, 0 passives, 1 detractor)',
      '• tier enterprise: NPS +100 (1 answer: 1 promoter, 0 passives, 0 detractors)',
      '• tier no tier: NPS -100 (1 answer: 0 promoters, 0 passives, 1 detractor)',
    ]);
    expect(await slash(h, people.staff, 'stats nps 1x')).toContain("That period didn't work");

    // Tuesday 09:00: the support team's managers read the day's NPS.
    h.chat.clear();
    h.clock.set(Date.parse('2026-11-24T09:00:00+01:00'));
    expect(await digest.tick()).toMatchObject({ teams: ['support', 'billing'] });
    const toManager = h.chat.sent.find(
      (m) => m.op === 'dm' && m.to === S.manager && m.plain.includes('Customer Support'),
    );
    expect(toManager?.plain.split('\n')[1]).toBe(
      '📣 NPS 0 (2 answers: 1 promoter, 0 passives, 1 detractor) · by tier: enterprise +100 (1), no tier -100 (1)',
    );
    const billing = h.chat.sent.find((m) => m.op === 'dm' && m.plain.includes('Billing'));
    expect(billing?.plain).toContain('📣 NPS: no answers');
    // A week later nothing was answered in the day.
    h.clock.advance(7 * DAY);
    await digest.tick();
    expect(h.chat.find('📣 NPS: no answers').length).toBeGreaterThan(1);
    digest.stop();
  });
});
