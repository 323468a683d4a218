/**
 * `npm run demo`: Heed's real composition (src/main.ts: core, SQLite store, Bolt app, discord.js client)
 * against the bundled Slack and Discord emulators, playing a Monday of support in Prague office hours.
 * No credentials needed. Time runs on a demo clock, minute by minute, so SLA warnings, nags and
 * escalations happen on schedule; everything Heed sends is printed as it reaches the "platforms".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from '../src/config/env.ts';
import { loadConfigFile } from '../src/config/load-config.ts';
import { FakeClock } from '../src/core/clock.ts';
import { createLogger } from '../src/logging/logger.ts';
import { startHeed } from '../src/main.ts';
import { computeReport } from '../src/reports/compute-report.ts';
import { formatReport } from '../src/reports/format-report.ts';
import { loadIssuesForPeriod } from '../src/reports/load-report-data.ts';
import { Transcript } from './transcript.ts';
import { DISCORD, SLACK, startDiscord, startSlack } from './workspace.ts';

const root = join(import.meta.dirname, '..');
const storeFile = join(root, 'data', 'demo.sqlite');
for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(`${storeFile}${suffix}`, { force: true });

const slack = await startSlack();
const discord = await startDiscord();
const transcript = new Transcript(slack, discord);
const clock = new FakeClock(Date.parse('2026-11-23T08:58:00+01:00'));
const env = parseEnv({
  SLACK_BOT_TOKEN: SLACK.botToken,
  SLACK_SIGNING_SECRET: SLACK.signingSecret,
  SLACK_API_URL: slack.apiUrl,
  DISCORD_TOKEN: DISCORD.token,
  DISCORD_APPLICATION_ID: DISCORD.applicationId,
  DISCORD_API_URL: discord.apiUrl,
  HEED_STORE_URL: `sqlite://${storeFile}`,
  PORT: '0',
  LOG_LEVEL: 'error',
});
const config = loadConfigFile(join(root, 'heed.config.example.yaml'));
const heed = await startHeed({ env, config, clock, logger: createLogger({ level: 'error' }) });
slack.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);
const core = heed.core.heed;

/** Waits until Heed has stopped sending for a moment, then prints what it sent. */
async function settle(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 60; i += 1) {
    const count = slack.calls.length + discord.calls.length;
    if (count === last) break;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  transcript.flush();
}

/** Moves the clock to a local time minute by minute, letting the SLA scheduler run as real time would. */
async function until(time: string): Promise<void> {
  const target = Date.parse(`2026-11-23T${time}:00+01:00`);
  while (clock.now() < target) {
    clock.advance(Math.min(60_000, target - clock.now()));
    const report = await core.scheduler.tick();
    if (report.alerts > 0) await settle();
  }
}

let slackTs = 0;
function ts(): string {
  slackTs += 1;
  return `${Math.floor(clock.now() / 1000)}.${String(slackTs).padStart(6, '0')}`;
}

async function slackSays(user: string, channel: string, text: string, thread?: string): Promise<string> {
  const at = ts();
  transcript.say(clock.now(), 'slack', thread ? 'the issue thread' : channel, nameOf(user), text);
  const event = slack.messageEvent({
    channel,
    user,
    text,
    ts: at,
    ...(thread ? { threadTs: thread } : {}),
    ...(user === SLACK.dana ? { userTeam: SLACK.bigco } : {}),
  });
  await slack.deliverEvent(event);
  await settle();
  return at;
}

async function slackCommand(user: string, text: string): Promise<void> {
  transcript.say(clock.now(), 'slack', SLACK.teamChannel, nameOf(user), `/heed ${text}`);
  await slack.slashCommand({ command: '/heed', text, userId: user, channelId: SLACK.teamChannel });
  await settle();
}

function cardTs(reference: string): string {
  const card = slack
    .messagesIn(SLACK.teamChannel)
    .concat(slack.messagesIn(SLACK.billingChannel))
    .find((m) => (m.text ?? '').includes(reference));
  if (!card) throw new Error(`no card for ${reference}`);
  return card.ts;
}

async function slackButton(user: string, reference: string, action: string, fields?: Record<string, string>) {
  const issue = await core.findIssue(reference);
  if (!issue?.card) throw new Error(`no issue ${reference}`);
  transcript.say(
    clock.now(),
    'slack',
    issue.card.channel,
    nameOf(user),
    `[presses ${action} on ${reference}]`,
  );
  await slack.blockAction({
    userId: user,
    channelId: issue.card.channel,
    messageTs: cardTs(reference),
    actionId: `heed:${action}`,
    value: issue.id,
  });
  await settle();
  if (fields) {
    const values = Object.fromEntries(
      Object.entries(fields).map(([field, value]) => [field, { value: { type: 'plain_text_input', value } }]),
    );
    transcript.say(
      clock.now(),
      'slack',
      issue.card.channel,
      nameOf(user),
      `[fills in the form: ${Object.values(fields).join(' / ')}]`,
    );
    await slack.viewSubmission({
      userId: user,
      view: { callback_id: `heed:${action}`, private_metadata: issue.id, state: { values } },
    });
    await settle();
  }
}

let discordSeq = 0n;
/** A snowflake minted at the demo clock's time, so Discord messages carry the demo's time of day. */
function snowflakeNow(): string {
  discordSeq += 1n;
  return String(((BigInt(clock.now()) - 1_420_070_400_000n) << 22n) | discordSeq);
}

async function discordSays(user: string, text: string, thread?: string): Promise<string> {
  transcript.say(
    clock.now(),
    'discord',
    thread ? 'the issue thread' : DISCORD.supportChannel,
    nameOf(user),
    text,
  );
  const sent = discord.sendMessage({
    guildId: DISCORD.guild,
    channelId: thread ?? DISCORD.supportChannel,
    authorId: user,
    content: text,
    id: snowflakeNow(),
  });
  await settle();
  return String((sent as { d?: { id?: string } }).d?.id ?? '');
}

async function discordCommand(user: string, subcommand: string, options: Record<string, string>) {
  const shown = Object.entries(options)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  transcript.say(clock.now(), 'discord', DISCORD.staffChannel, nameOf(user), `/heed ${subcommand} ${shown}`);
  await discord.slashCommand({
    guildId: DISCORD.guild,
    channelId: DISCORD.staffChannel,
    userId: user,
    name: 'heed',
    subcommand,
    options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })),
  });
  await settle();
}

async function discordButton(
  user: string,
  reference: string,
  action: string,
  fields?: Record<string, string>,
) {
  const issue = await core.findIssue(reference);
  if (!issue?.card) throw new Error(`no issue ${reference}`);
  transcript.say(
    clock.now(),
    'discord',
    issue.card.channel,
    nameOf(user),
    `[presses ${action} on ${reference}]`,
  );
  await discord.buttonPress({
    guildId: DISCORD.guild,
    channelId: issue.card.channel,
    userId: user,
    customId: `heed:${action}:${issue.id}`,
    messageId: issue.card.id,
  });
  await settle();
  if (fields) {
    transcript.say(
      clock.now(),
      'discord',
      issue.card.channel,
      nameOf(user),
      `[fills in the form: ${Object.values(fields).join(' / ')}]`,
    );
    await discord.modalSubmit({
      guildId: DISCORD.guild,
      channelId: issue.card.channel,
      userId: user,
      customId: `heed-form:${action}:${issue.id}`,
      fields,
    });
    await settle();
  }
}

/** The customer rates the resolution with the buttons Heed put on it, then fills in the comment form. */
async function slackRating(user: string, reference: string, score: 'up' | 'down', comment: string) {
  const issue = await core.findIssue(reference);
  if (!issue?.conversation.thread) throw new Error(`no issue ${reference}`);
  const resolution = slack
    .messagesIn(issue.conversation.channel)
    .filter((m) => m.thread_ts === issue.conversation.thread && (m.text ?? '').includes('is resolved'))
    .at(-1);
  transcript.say(
    clock.now(),
    'slack',
    'the issue thread',
    nameOf(user),
    `[presses ${score === 'up' ? '👍' : '👎'}]`,
  );
  await slack.blockAction({
    userId: user,
    channelId: issue.conversation.channel,
    ...(resolution ? { messageTs: resolution.ts } : {}),
    actionId: `heed:rate-${score}`,
    value: issue.id,
  });
  await settle();
  transcript.say(clock.now(), 'slack', 'the issue thread', nameOf(user), `[adds a comment: ${comment}]`);
  await slack.viewSubmission({
    userId: user,
    view: {
      callback_id: `heed:rate-${score}`,
      private_metadata: issue.id,
      state: { values: { comment: { value: { type: 'plain_text_input', value: comment } } } },
    },
  });
  await settle();
}

async function discordRating(user: string, reference: string, score: 'up' | 'down', comment: string) {
  const issue = await core.findIssue(reference);
  const thread = issue?.conversation.thread;
  if (!issue || !thread) throw new Error(`no issue ${reference}`);
  const customId = `heed:rate-${score}:${issue.id}`;
  const resolution = discord
    .messages(thread)
    .filter((m) => JSON.stringify(m).includes(customId))
    .at(-1) as { id: string } | undefined;
  transcript.say(
    clock.now(),
    'discord',
    'the issue thread',
    nameOf(user),
    `[presses ${score === 'up' ? '👍' : '👎'}]`,
  );
  await discord.buttonPress({
    guildId: DISCORD.guild,
    channelId: thread,
    userId: user,
    customId,
    messageId: resolution?.id ?? '',
  });
  await settle();
  transcript.say(clock.now(), 'discord', 'the issue thread', nameOf(user), `[adds a comment: ${comment}]`);
  await discord.modalSubmit({
    guildId: DISCORD.guild,
    channelId: thread,
    userId: user,
    customId: `heed-form:rate-${score}:${issue.id}`,
    fields: { comment },
  });
  await settle();
}

function nameOf(id: string): string {
  const names: Record<string, string> = {
    [SLACK.dana]: 'Dana (BigCo)',
    [SLACK.alex]: 'Alex',
    [SLACK.sam]: 'Sam',
    [SLACK.morgan]: 'Morgan',
    [SLACK.bea]: 'Bea',
    [DISCORD.riley]: 'Riley',
    [DISCORD.lee]: 'Lee',
    [DISCORD.kim]: 'Kim (Enterprise)',
  };
  return names[id] ?? id;
}

console.log('Heed demo — a Monday of support at Acme (Prague office hours, 09:00–18:00).');
console.log(
  'Heed runs for real (core, SQLite store, Bolt app, discord.js client) against local Slack and Discord emulators.',
);
await settle();

await until('09:02');
const danaThread = await slackSays(
  SLACK.dana,
  SLACK.customerChannel,
  'Hi! Since this morning our CSV exports fail with "error 500". Our finance team needs them by noon.',
);
await until('09:06');
const leeMessage = await discordSays(DISCORD.lee, 'How do I change the billing e-mail on our invoices?');
await until('09:09');
await slackButton(SLACK.alex, '#1', 'claim');
await until('09:21');
await slackSays(
  SLACK.alex,
  SLACK.customerChannel,
  'Thanks Dana, we are looking at the export service right now.',
  danaThread,
);

await until('09:40');
const kimMessage = await discordSays(
  DISCORD.kim,
  '@everyone our webhook integration is DOWN, nothing arrives since 09:30!!',
);
await until('09:44');
await discordCommand(DISCORD.riley, 'claim', { issue: '#3' });
await until('09:47');
await discordSays(
  DISCORD.riley,
  'Hi Kim, Riley here. We see failed deliveries on our side and are on it.',
  kimMessage,
);

await until('10:15');
await slackSays(
  SLACK.dana,
  SLACK.customerChannel,
  'Some files export again, but the large ones still fail.',
  danaThread,
);
await until('10:20');
await slackCommand(SLACK.alex, `handoff #1 <@${SLACK.sam}|sam> Sam owns the export workers`);
await until('10:35');
await slackSays(
  SLACK.sam,
  SLACK.customerChannel,
  'Sam here: large exports hit a worker limit; raising it now.',
  danaThread,
);

transcript.note('Nobody has picked up the billing question (#2). The clock keeps running…');
await until('13:22');
await slackButton(SLACK.bea, '#2', 'claim');
await slackButton(SLACK.bea, '#2', 'apologize', {
  reason: 'Your question slipped through our queue this morning.',
});
await slackCommand(SLACK.bea, 'reply #2 You can change it under Settings → Billing → Invoice e-mail.');
await until('13:40');
await discordSays(DISCORD.lee, 'Found it, thank you!', leeMessage);
await slackButton(SLACK.bea, '#2', 'resolve', { summary: 'Pointed to Settings → Billing → Invoice e-mail.' });

await until('14:10');
await discordButton(DISCORD.riley, '#3', 'resolve', {
  summary: 'A certificate rotation broke webhook signing; fixed and redelivered.',
});
await until('14:25');
await discordRating(DISCORD.kim, '#3', 'down', 'It took all morning to hear anything useful.');
await until('15:30');
await slackButton(SLACK.sam, '#1', 'resolve', {
  summary: 'Raised the export worker memory limit; large exports work again.',
});
await until('15:42');
await slackRating(SLACK.dana, '#1', 'up', 'Thanks Sam, clear and quick!');
await until('16:00');

transcript.note('End of the day. The queue and the ledger:');
for (const n of [1, 2, 3]) {
  const issue = await core.findIssue(`#${n}`);
  if (!issue) continue;
  const steps = issue.history
    .filter((e) => e.kind !== 'routed')
    .map((e) => `${e.kind}${e.actor.platform === 'heed' ? ' (Heed)' : ` by ${nameOf(e.actor.id)}`}`)
    .join(' → ');
  console.log(`  #${n} ${issue.status} · ${issue.priority} · ${issue.team}: ${steps}`);
}
const day = { from: Date.parse('2026-11-23T00:00:00Z'), to: Date.parse('2026-11-24T00:00:00Z') };
const report = computeReport(await loadIssuesForPeriod(core.issues, day), day, 'owner');
console.log(`\n${formatReport(report, 'table')}`);
console.log(
  `\nThe store is ${storeFile}. Try: HEED_STORE_URL=sqlite://${storeFile} npx heed report --from 2026-11-23 --to 2026-11-23`,
);

await heed.stop();
await slack.close();
await discord.close();
