/**
 * The smallest Slack workspace the process-level tests need: a Slack Connect customer channel with
 * customers from another organisation, a team channel, one staff member and a manager.
 */
import {
  type SlackEmulator,
  type SlackEmulatorOptions,
  startSlackEmulator,
} from '../emulators/slack/index.ts';

export const SMALL_SLACK = {
  customerChannel: 'C0CUST01',
  teamChannel: 'C0TEAM01',
  staff: 'U0STAFF1',
  manager: 'U0MGR001',
  customerTeam: 'T0CUSTOM1',
} as const;

interface SmallSlack {
  signingSecret: string;
  botToken: string;
  customers: readonly string[];
}

/** The emulator options of that workspace (the HTTP benchmark starts it too). */
export function smallSlackOptions(options: SmallSlack): SlackEmulatorOptions {
  return {
    signingSecret: options.signingSecret,
    botToken: options.botToken,
    botUserId: 'U0HEEDBOT',
    botId: 'B0HEEDBOT',
    externalTeams: [{ id: SMALL_SLACK.customerTeam, name: 'Customer Co' }],
    users: [
      ...options.customers.map((id, i) => ({
        id,
        name: id.toLowerCase(),
        realName: `Customer ${i + 1}`,
        teamId: SMALL_SLACK.customerTeam,
      })),
      { id: SMALL_SLACK.staff, name: 'staff' },
      { id: SMALL_SLACK.manager, name: 'manager' },
    ],
    channels: [
      { id: SMALL_SLACK.customerChannel, name: 'customers', isExtShared: true },
      { id: SMALL_SLACK.teamChannel, name: 'team' },
    ],
  };
}

export function startSmallSlack(options: SmallSlack): Promise<SlackEmulator> {
  return startSlackEmulator(smallSlackOptions(options));
}
