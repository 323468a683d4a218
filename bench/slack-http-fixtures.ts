/** The Slack workspace and Heed configuration shared by the HTTP benchmark and the app it starts. */
import { parseConfig } from '../src/config/load-config.ts';
import type { HeedConfig } from '../src/config/schema.ts';
import type { SlackEmulatorOptions } from '../test/emulators/slack/index.ts';

export const SLACK_BENCH = {
  signingSecret: 'bench-signing-secret',
  botToken: 'xoxb-bench-bot-token',
  botUserId: 'U0HEEDBOT',
  botId: 'B0HEEDBOT',
  customerChannel: 'C0CUST01',
  teamChannel: 'C0TEAM01',
  staff: 'U0STAFF1',
  manager: 'U0MGR001',
  /** Customers' own Slack organisation (a Slack Connect partner), not the workspace's team. */
  customerTeam: 'T0CUSTOM1',
} as const;

/** Twenty external customers, so intake looks people up (`users.info`) as it would in real use. */
export const CUSTOMERS = Array.from({ length: 20 }, (_, i) => `U0CUS${String(i + 1).padStart(3, '0')}`);

/** Emulator options: one Slack Connect customer channel, one team channel, staff and customers. */
export function emulatorOptions(): SlackEmulatorOptions {
  return {
    signingSecret: SLACK_BENCH.signingSecret,
    botToken: SLACK_BENCH.botToken,
    botUserId: SLACK_BENCH.botUserId,
    botId: SLACK_BENCH.botId,
    externalTeams: [{ id: SLACK_BENCH.customerTeam, name: 'Customer Co' }],
    users: [
      ...CUSTOMERS.map((id, i) => ({
        id,
        name: id.toLowerCase(),
        realName: `Customer ${i + 1}`,
        teamId: SLACK_BENCH.customerTeam,
      })),
      { id: SLACK_BENCH.staff, name: 'staff', realName: 'Sam Staff' },
      { id: SLACK_BENCH.manager, name: 'manager', realName: 'Mia Manager' },
    ],
    channels: [
      { id: SLACK_BENCH.customerChannel, name: 'acme-support', isExtShared: true },
      { id: SLACK_BENCH.teamChannel, name: 'support-team' },
    ],
  };
}

/** One intake channel, one team; SLA deadlines far enough away that nothing falls due during the run. */
export function slackBenchConfig(): HeedConfig {
  return parseConfig({
    teams: [
      {
        id: 'support',
        slack: { channel: SLACK_BENCH.teamChannel },
        staff: { slack: [SLACK_BENCH.staff] },
        managers: { slack: [SLACK_BENCH.manager] },
      },
    ],
    intake: [{ platform: 'slack', channel: SLACK_BENCH.customerChannel, team: 'support' }],
    sla: {
      policies: [{ firstResponse: '1h', resolution: '1d', calendar: 'always' }],
      escalation: [{ after: '0m', notify: ['owner'] }],
    },
  });
}
