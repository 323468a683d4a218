import { parseConfig } from '../../src/config/load-config.ts';
import type { HeedConfig } from '../../src/config/schema.ts';

/** The ids used across tests: one Slack workspace and one Discord guild, one support team. */
export const IDS = {
  slack: {
    customerChannel: 'C0CUST01',
    teamChannel: 'C0TEAM01',
    staff: 'U0STAFF1',
    staff2: 'U0STAFF2',
    manager: 'U0MGR001',
    customer: 'U0CUST01',
    bigcoTeam: 'T0BIGCO1',
  },
  discord: {
    customerChannel: '1300000000000000001',
    teamChannel: '1100000000000000001',
    staffRole: '1500000000000000001',
    staff: '1200000000000000001',
    manager: '1200000000000000009',
    customer: '1600000000000000001',
    enterpriseRole: '1400000000000000001',
  },
} as const;

/** A realistic configuration in the shape of DESIGN.md's stable core. */
export function testConfigInput(): Record<string, unknown> {
  return {
    teams: [
      {
        id: 'support',
        name: 'Customer Support',
        slack: { channel: IDS.slack.teamChannel },
        discord: { channel: IDS.discord.teamChannel },
        staff: { slack: [IDS.slack.staff, IDS.slack.staff2], discord: [IDS.discord.staffRole] },
        managers: { slack: [IDS.slack.manager], discord: [IDS.discord.manager] },
        onCall: { slack: IDS.slack.staff, discord: IDS.discord.staff },
      },
      {
        id: 'billing',
        name: 'Billing',
        slack: { channel: 'C0BILL01' },
        staff: { slack: ['U0BILL01'] },
        managers: { slack: [IDS.slack.manager] },
      },
    ],
    intake: [
      { platform: 'slack', channel: IDS.slack.customerChannel, team: 'support' },
      { platform: 'discord', channel: IDS.discord.customerChannel, team: 'support' },
    ],
    tiers: [
      {
        id: 'enterprise',
        name: 'Enterprise',
        slackTeams: [IDS.slack.bigcoTeam],
        discordRoles: [IDS.discord.enterpriseRole],
        emailDomains: ['bigco.com'],
      },
    ],
    routing: [
      { name: 'outage words', match: { keywords: ['outage', 'down', 'urgent'] }, priority: 'urgent' },
      { name: 'billing questions', match: { regex: '\\b(invoice|refund|billing)\\b' }, team: 'billing' },
      { name: 'enterprise customers', match: { tier: 'enterprise' }, priority: 'high' },
    ],
    sla: {
      calendars: [
        {
          id: 'office',
          timezone: 'Europe/Prague',
          hours: { 'mon-fri': '09:00-18:00' },
          holidays: ['2026-12-24'],
        },
      ],
      policies: [
        { priority: 'urgent', firstResponse: '15m', resolution: '4h', calendar: 'always' },
        { tier: 'enterprise', firstResponse: '1h', resolution: '1d', calendar: 'office' },
        { firstResponse: '4h', resolution: '3d', calendar: 'office' },
      ],
      warnAt: 0.75,
      escalation: [
        { after: '0m', notify: ['owner'] },
        { after: '15m', notify: ['team'], repeat: 2, every: '15m' },
        { after: '1h', notify: ['managers'], when: 'not-acknowledged' },
      ],
    },
  };
}

export function testConfig(overrides: Record<string, unknown> = {}): HeedConfig {
  return parseConfig({ ...testConfigInput(), ...overrides }, 'test config');
}
