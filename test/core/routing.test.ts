import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config.ts';
import { detectTier } from '../../src/routing/detect-tier.ts';
import { routeIssue, soundsUrgent } from '../../src/routing/route-issue.ts';
import { MONDAY_10AM, startHarness } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const config = testConfig();

describe('routing rules (first match wins)', () => {
  it('routes plurals to billing with the example config (invoices, refunds)', () => {
    const example = loadConfigFile('heed.config.example.yaml', process.cwd());
    const channel = example.intake[0]!;
    const route = (text: string) =>
      routeIssue(example, { platform: channel.platform, channel: channel.channel, text, tier: undefined });
    expect(route('How do I change the billing e-mail on our invoices?').team).toBe('billing');
    expect(route('Two invoices arrived for October').team).toBe('billing');
    expect(route('When do refunds arrive?').team).toBe('billing');
    expect(route('Where is my invoice?').team).toBe('billing');
    expect(route('The exports fail with error 500').team).not.toBe('billing');
  });

  it('uses the intake channel default when no rule matches', () => {
    expect(
      routeIssue(config, {
        platform: 'slack',
        channel: IDS.slack.customerChannel,
        text: 'How do I add a user?',
        tier: undefined,
      }),
    ).toEqual({
      team: 'support',
      priority: 'normal',
      reason: 'intake channel default',
    });
  });

  it('matches keywords as whole words, regexes and tiers in order', () => {
    const route = (text: string, tier?: string) =>
      routeIssue(config, { platform: 'discord', channel: IDS.discord.customerChannel, text, tier });
    expect(route('Our site is DOWN').priority).toBe('urgent');
    expect(route('the download page').priority).toBe('normal'); // "down" inside a word is not a keyword
    expect(route('Where is my invoice for October?')).toMatchObject({ team: 'billing', priority: 'normal' });
    expect(route('A question', 'enterprise')).toMatchObject({
      team: 'support',
      priority: 'high',
      reason: 'enterprise customers',
    });
    // The earlier rule wins over the later one.
    expect(route('refund please, urgent', 'enterprise')).toMatchObject({
      priority: 'urgent',
      reason: 'outage words',
    });
  });

  it('recognises urgency words', () => {
    expect(soundsUrgent('this is an emergency', config.urgencyWords)).toBe(true);
    expect(soundsUrgent('no rush at all', config.urgencyWords)).toBe(false);
  });

  it('detects the tier from the Slack team, Discord roles or the e-mail domain', () => {
    expect(detectTier(config, { platform: 'slack', teamId: IDS.slack.bigcoTeam })).toBe('enterprise');
    expect(detectTier(config, { platform: 'slack', teamId: 'T0OTHER1' })).toBeUndefined();
    expect(detectTier(config, { platform: 'discord', roles: ['1', IDS.discord.enterpriseRole] })).toBe(
      'enterprise',
    );
    expect(detectTier(config, { platform: 'slack', email: 'ana@BigCo.com' })).toBe('enterprise');
  });
});

describe('intake', () => {
  it('pages the on-call person at once for urgent issues', async () => {
    const h = await startHarness();
    const outcome = await h.heed.handleMessage({
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: '1.000001',
      text: 'Production is down!!',
      at: MONDAY_10AM,
      author: { id: IDS.slack.customer, name: 'Dana' },
    });
    expect(outcome.kind === 'opened' && outcome.issue.priority).toBe('urgent');
    const page = h.chat.sent.find((m) => m.op === 'dm' && m.to === IDS.slack.staff);
    expect(page?.plain).toContain('Urgent *#1*');
    expect(page?.message.actions?.[0]?.action).toBe('claim');
    const card = h.chat.sent.find((m) => m.op === 'post');
    expect(card?.plain).toContain(`@${IDS.slack.staff}, you are on call`);
    // Urgent uses the 24/7 policy: 15 minutes.
    expect(h.chat.sent.find((m) => m.op === 'reply')?.plain).toContain(
      'within 15m (by 2026-11-23T09:15:00Z)',
    );
  });

  it('sends billing questions to the billing team channel and marks enterprise customers high', async () => {
    const h = await startHarness();
    await h.heed.handleMessage({
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: '1.000001',
      text: 'Please resend my invoice',
      at: MONDAY_10AM,
      author: { id: IDS.slack.customer },
    });
    expect(h.chat.sent.find((m) => m.op === 'post')?.to).toBe('C0BILL01');
    await h.heed.handleMessage({
      platform: 'discord',
      channel: IDS.discord.customerChannel,
      messageId: '1700000000000000001',
      text: 'How do I rotate keys?',
      at: MONDAY_10AM,
      author: { id: IDS.discord.customer, roles: [IDS.discord.enterpriseRole], name: 'Erin' },
    });
    const issue = await h.heed.findIssue('#2');
    expect(issue).toMatchObject({ priority: 'high', customer: { tier: 'enterprise', name: 'Erin' } });
    expect(h.chat.sent.filter((m) => m.op === 'post').at(-1)?.to).toBe(IDS.discord.teamChannel);
  });

  it('ignores bots, staff top-level messages and other channels; a redelivered message opens nothing new', async () => {
    const h = await startHarness();
    const base = {
      platform: 'slack' as const,
      channel: IDS.slack.customerChannel,
      at: MONDAY_10AM,
      text: 'hello',
    };
    expect(
      (await h.heed.handleMessage({ ...base, messageId: '1', author: { id: 'B1', isBot: true } })).kind,
    ).toBe('ignored');
    expect(
      (await h.heed.handleMessage({ ...base, messageId: '2', author: { id: IDS.slack.staff } })).kind,
    ).toBe('ignored');
    expect(
      (await h.heed.handleMessage({ ...base, channel: 'C0RANDOM', messageId: '3', author: { id: 'U1' } }))
        .kind,
    ).toBe('ignored');
    const message = { ...base, messageId: '4', author: { id: IDS.slack.customer } };
    const [a, b] = await Promise.all([h.heed.handleMessage(message), h.heed.handleMessage(message)]);
    expect([a.kind, b.kind].sort()).toEqual(['duplicate', 'opened']);
    expect(h.heed.issues.listOpen()).toHaveLength(1);
    expect(h.chat.sent.filter((m) => m.op === 'reply')).toHaveLength(1);
    // A thread reply redelivered is counted once.
    const reply = { ...base, messageId: '5', thread: '4', author: { id: IDS.slack.customer } };
    await h.heed.handleMessage(reply);
    expect((await h.heed.handleMessage(reply)).kind).toBe('duplicate');
    expect((await h.heed.findIssue('#1'))?.history.filter((e) => e.kind === 'customer-replied')).toHaveLength(
      1,
    );
  });

  it('reopens inside the reopen window and opens a linked issue after it', async () => {
    const h = await startHarness();
    const base = {
      platform: 'slack' as const,
      channel: IDS.slack.customerChannel,
      author: { id: IDS.slack.customer },
    };
    await h.heed.handleMessage({ ...base, messageId: 'r1', text: 'Broken', at: h.clock.now() });
    const issue = (await h.heed.findIssue('#1'))!;
    await h.heed.claim(issue, { platform: 'slack', id: IDS.slack.staff });
    await h.heed.resolve(issue, { platform: 'slack', id: IDS.slack.staff }, 'Fixed');

    h.clock.advance(2 * 86_400_000);
    const again = await h.heed.handleMessage({
      ...base,
      messageId: 'r2',
      thread: 'r1',
      text: 'Still broken',
      at: h.clock.now(),
    });
    expect(again.kind).toBe('reopened');
    expect(h.chat.sent.find((m) => m.op === 'dm' && m.to === IDS.slack.staff)?.plain).toContain(
      '*#1* was reopened',
    );
    await h.heed.resolve(
      (await h.heed.findIssue('#1'))!,
      { platform: 'slack', id: IDS.slack.staff },
      'Fixed for real',
    );

    h.clock.advance(8 * 86_400_000);
    const later = await h.heed.handleMessage({
      ...base,
      messageId: 'r3',
      thread: 'r1',
      text: 'New problem',
      at: h.clock.now(),
    });
    expect(later.kind).toBe('opened');
    if (later.kind !== 'opened') return;
    expect(later.issue.number).toBe(2);
    expect(later.issue.previousIssueId).toBe(issue.id);
    expect(h.chat.sent.filter((m) => m.op === 'reply').at(-1)?.plain).toContain('Welcome back');
    // Later thread messages go to the new issue.
    await h.heed.handleMessage({
      ...base,
      messageId: 'r4',
      thread: 'r1',
      text: 'more detail',
      at: h.clock.now(),
    });
    expect((await h.heed.findIssue('#2'))?.history.some((e) => e.kind === 'customer-replied')).toBe(true);
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const h = await startHarness();
    await h.heed.handleMessage({
      platform: 'slack',
      channel: IDS.slack.customerChannel,
      messageId: 'c1',
      text: 'help',
      at: MONDAY_10AM,
      author: { id: IDS.slack.customer },
    });
    const issue = (await h.heed.findIssue('#1'))!;
    const results = await Promise.all([
      h.heed.claim(issue, { platform: 'slack', id: IDS.slack.staff }),
      h.heed.claim(issue, { platform: 'slack', id: IDS.slack.staff2 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const after = (await h.heed.findIssue('#1'))!;
    expect(after.history.filter((e) => e.kind === 'claimed')).toHaveLength(1);
    expect(after.revision).toBe(issue.revision + 1);
  });
});
