/**
 * SLA alerts survive a crash at each step of sending them. The real server (`src/main.ts` in a child
 * process, on an SQLite file, against the Slack emulator) kills itself with SIGKILL at one step of
 * sending its first alert (`HEED_TEST_CRASH_AT`); it is started again on the same file. Every due alert
 * must go out at least once; the doubles (a crash between the send and its mark) are counted and printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../emulators/slack/index.ts';
import { type HeedProcess, killAllHeedProcesses, startHeedProcess } from '../support/heed-process.ts';
import { startSmallSlack } from '../support/small-slack.ts';
import { sleep, until } from '../support/until.ts';

const SECRET = 'alert-crash-signing-secret';
const TOKEN = 'xoxb-alert-crash';
afterAll(() => killAllHeedProcesses());

// Nobody owns the issue, so the warning (at 75% of 4 s) and the nag (at 4 s) go to the team channel.
const CONFIG = `
teams:
  - id: support
    slack: { channel: C0TEAM01 }
    staff: { slack: [U0STAFF1] }
intake:
  - { platform: slack, channel: C0CUST01, team: support }
sla:
  policies:
    - { firstResponse: 4s, resolution: 1h, calendar: always }
  escalation:
    - { after: 0m, notify: [team] }
`;

/** How often each kind of alert for #1 reached the team channel. */
function alertsPosted(slack: SlackEmulator): { warnings: number; nags: number } {
  const texts = slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === 'C0TEAM01' && call.ok)
    .map((call) => String(call.args.text ?? ''));
  return {
    warnings: texts.filter((text) => /#1\*.*first response due/.test(text)).length,
    nags: texts.filter((text) => /#1\*.*first response was due/.test(text)).length,
  };
}

const STEPS = ['alert-recorded', 'alert-sent', 'alert-marked'] as const;

describe('SLA alerts and kill -9 at each step of sending them', () => {
  for (const step of STEPS) {
    it(`sends every due alert at least once when Heed dies at ${step}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `heed-${step}-`));
      writeFileSync(join(dir, 'heed.config.yaml'), CONFIG);
      const slack = await startSmallSlack({
        signingSecret: SECRET,
        botToken: TOKEN,
        customers: ['U0CUSTA1'],
      });
      const env = {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        HEED_CONFIG: join(dir, 'heed.config.yaml'),
        HEED_STORE_URL: `sqlite://${join(dir, 'heed.sqlite')}`,
        PORT: '0',
      };
      const start = async (extra: Record<string, string> = {}): Promise<HeedProcess> => {
        const server = await startHeedProcess({ cwd: dir, env: { ...env, ...extra } });
        slack.connectApp(`http://127.0.0.1:${server.slackPort}/slack/events`);
        return server;
      };
      try {
        const doomed = await start({ HEED_TEST_CRASH_AT: step });
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          doomed.child.once('exit', (_code, signal) => resolve(signal)),
        );
        const base = Math.floor(Date.now() / 1000);
        const event = slack.messageEvent({
          channel: 'C0CUST01',
          user: 'U0CUSTA1',
          text: 'Exports fail',
          ts: `${base}.000001`,
        });
        expect((await slack.deliverEvent(event)).status).toBe(200);
        // The first alert (the warning, 3 s in) reaches the step, and the process dies there.
        expect(await Promise.race([exited, sleep(15_000).then(() => 'alive')])).toBe('SIGKILL');
        const beforeRestart = alertsPosted(slack);

        const server = await start();
        expect(
          await until(() => alertsPosted(slack).nags >= 1 && alertsPosted(slack).warnings >= 1, 20_000),
        ).toBe(true);
        await sleep(1_500);
        const { warnings, nags } = alertsPosted(slack);
        console.log(
          `kill -9 at ${step}: warning sent ${warnings}× (${beforeRestart.warnings} before the crash), nag sent ${nags}×; doubles: ${warnings - 1 + (nags - 1)}`,
        );
        expect(warnings).toBeGreaterThanOrEqual(1);
        expect(nags).toBe(1);
        // Only a crash between a send and its mark may double it; otherwise each goes out once.
        expect(warnings).toBe(step === 'alert-sent' ? 2 : 1);
        if (step === 'alert-recorded') {
          expect(beforeRestart.warnings).toBe(0);
          const late = slack
            .callsTo('chat.postMessage')
            .find((call) => /#1\*.*first response due/.test(String(call.args.text)));
          expect(String(late?.args.text)).toContain(
            'Sent late: Heed was interrupted before it could send this.',
          );
        }
        await server.kill('SIGTERM');
      } finally {
        await slack.close();
        killAllHeedProcesses();
      }
    }, 60_000);
  }
});
