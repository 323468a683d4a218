/** The Slack workspace and Heed configuration shared by the HTTP benchmark and the app it starts. */
import { parseConfig } from '../src/config/load-config.ts';
import type { HeedConfig } from '../src/config/schema.ts';
import type { SlackEmulatorOptions } from '../test/emulators/slack/index.ts';
import { SMALL_SLACK, smallSlackOptions } from '../test/support/small-slack.ts';

export const SLACK_BENCH = {
  ...SMALL_SLACK,
  signingSecret: 'bench-signing-secret',
  botToken: 'xoxb-bench-bot-token',
} as const;

/** Twenty external customers, so intake looks people up (`users.info`) as it would in real use. */
export const CUSTOMERS = Array.from({ length: 20 }, (_, i) => `U0CUS${String(i + 1).padStart(3, '0')}`);

/**
 * The tests' small Slack Connect workspace, with the twenty customers. Slack's per-channel posting limit
 * is off: the benchmark sends up to 200 messages a second into one intake channel, each acknowledged
 * there and carded in one team channel, to measure the apps themselves; at Slack's ~1 post a second per
 * channel it would only measure the limit (which channel-flood.test.ts covers).
 */
export function emulatorOptions(): SlackEmulatorOptions {
  return { ...smallSlackOptions({ ...SLACK_BENCH, customers: CUSTOMERS }), postRateLimit: false };
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
