/**
 * Two Heed servers (the real composition root, `startHeed`) on one PostgreSQL store, behind one emulated
 * Slack workspace whose requests land on either, as behind a load balancer: a button sent by one instance
 * is clicked on the other, its modal is submitted on the first, and a person looked up by one is known
 * to the other without asking Slack again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.ts';
import { parseConfig } from '../../../src/config/load-config.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { type RunningHeed, startHeed } from '../../../src/main.ts';
import { type SlackEmulator, startSlackEmulator } from '../../emulators/slack/index.ts';
import { dropPostgresSchema, postgresStoreUrl, testSchema } from '../../store/services.ts';
import { BOT_ID, BOT_TOKEN, BOT_USER, quiet, S, SECRET, workspace } from './slack-fixture.ts';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function twoInstances(): Promise<{ slack: SlackEmulator; a: RunningHeed; b: RunningHeed }> {
  const slack = await startSlackEmulator({
    signingSecret: SECRET,
    botToken: BOT_TOKEN,
    botUserId: BOT_USER,
    botId: BOT_ID,
    ...workspace(),
  });
  cleanup.push(() => slack.close());
  const schema = testSchema('slack_shared');
  cleanup.push(() => dropPostgresSchema(schema));
  const start = async () => {
    const heed = await startHeed({
      env: parseEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        HEED_STORE_URL: postgresStoreUrl(schema),
        PORT: '0',
      }),
      config: parseConfig({
        teams: [{ id: 'support', slack: { channel: S.teamChannel }, staff: { slack: [S.staff] } }],
        intake: [{ platform: 'slack', channel: S.customerChannel, team: 'support' }],
      }),
      logger: silentLogger(),
    });
    cleanup.push(() => heed.stop());
    await heed.core.heed.caughtUp();
    return heed;
  };
  return { slack, a: await start(), b: await start() };
}

const on = (slack: SlackEmulator, heed: RunningHeed) =>
  slack.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);

describe('Slack in shared mode, across two instances', () => {
  it('opens the form of a button another instance sent, answers its submission where it was clicked, and shares the directory', async () => {
    const { slack, a, b } = await twoInstances();
    const base = Math.floor(Date.now() / 1000);

    // Dana writes; instance A takes the event, looks her up and posts the team card with its buttons.
    on(slack, a);
    const first = slack.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'The CSV export fails',
      ts: `${base}.000001`,
    });
    expect((await slack.deliverEvent(first)).status).toBe(200);
    await slack.waitForCall('chat.postMessage', (call) => call.args.channel === S.teamChannel);
    await quiet(slack);
    const cardTs = (await a.core.heed.findIssue('#1'))!.card!.id;

    // Sam clicks Resolve on the card; the click reaches instance B, which never sent that card: it opens
    // the form A sent with the button (its submit label is the button's, not a form rebuilt from the issue).
    on(slack, b);
    const click = await slack.blockAction({
      userId: S.staff,
      channelId: S.teamChannel,
      messageTs: cardTs,
      actionId: 'heed:resolve',
    });
    expect(click.status).toBe(200);
    const modal = await slack.waitForCall('views.open');
    expect(modal.args.view).toMatchObject({
      callback_id: 'heed:resolve',
      title: { text: 'Resolve #1' },
      submit: { text: 'Resolve' },
      blocks: [{ type: 'input', block_id: 'summary' }],
    });

    // Sam takes a moment to type (B records where the modal was opened right after opening it).
    const modalsRecorded = async () =>
      (
        await b.core.database.db
          .selectFrom('ttl_keys')
          .select('key')
          .where('key', 'like', '%modal:%')
          .execute()
      ).length;
    await expect.poll(modalsRecorded).toBe(1);

    // Sam submits it; the submission reaches A, which answers in the channel where B opened the modal
    // (through the click's response_url), not by DM.
    on(slack, a);
    const submitted = await slack.viewSubmission({
      userId: S.staff,
      view: {
        callback_id: 'heed:resolve',
        state: { values: { summary: { value: { type: 'plain_text_input', value: 'Fixed the export' } } } },
      },
    });
    expect(submitted.status).toBe(200);
    await expect
      .poll(() => slack.ephemerals.filter((e) => e.via === 'response_url' && e.user === S.staff).length)
      .toBe(1);
    expect(slack.callsTo('conversations.open')).toEqual([]);
    expect((await b.core.heed.findIssue('#1'))?.status).toBe('resolved');

    // Dana writes again and B takes it: it knows her (and Acme Corp) from A's lookup, without asking Slack.
    on(slack, b);
    const second = slack.messageEvent({
      channel: S.customerChannel,
      user: S.customer,
      text: 'And the PDF export too',
      ts: `${base}.000002`,
    });
    expect((await slack.deliverEvent(second)).status).toBe(200);
    const secondCard = await slack.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === S.teamChannel && String(call.args.text).includes('#2'),
    );
    expect(String(secondCard.args.text)).toContain('Dana');
    expect(JSON.stringify(secondCard.args.blocks)).toContain('Acme Corp');
    expect(slack.callsTo('users.info').filter((call) => call.args.user === S.customer)).toHaveLength(1);
    expect(slack.callsTo('team.info')).toHaveLength(1);
  }, 30_000);
});
