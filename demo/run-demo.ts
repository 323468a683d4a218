/**
 * `npm run demo`: Heed's real composition (src/main.ts: core, SQLite store, Bolt app, discord.js client)
 * against the bundled Slack and Discord emulators, playing a Monday of support in Prague office hours.
 * No credentials needed. Time runs on a demo clock, minute by minute, so SLA warnings, nags and
 * escalations happen on schedule; everything Heed sends is printed as it reaches the "platforms".
 *
 * `npm run demo -- --stay` (or `--keep-running`) keeps Heed and the emulators running after the day,
 * with a prompt on stdin to poke at them (see `HELP`). `HEED_DEMO_STORE` moves the SQLite file.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseEnv } from '../src/config/env.ts';
import { loadConfigFile } from '../src/config/load-config.ts';
import { issueIdFor } from '../src/intake/conversation-keys.ts';
import { createLogger } from '../src/logging/logger.ts';
import { startHeed } from '../src/main.ts';
import { formatReport } from '../src/reports/format-report.ts';
import { loadReport } from '../src/reports/load-report-data.ts';
import { formatDuration, parseDuration } from '../src/sla/duration.ts';
import { lockHolder } from '../src/store/instance-lock.ts';
import { FakeClock } from '../test/doubles/fake-clock.ts';
import { clock as localTime, Transcript, WIDTH, wrap } from './transcript.ts';
import { DISCORD, emulatorEnv, SLACK, startDiscord, startSlack, withMentions } from './workspace.ts';

const USAGE = `Usage: npm run demo [-- --stay]

Plays a Monday of support with the real Heed (core, SQLite store, Bolt app, discord.js client) against
the bundled Slack and Discord emulators: no credentials, nothing leaves this machine.

Options:
  --stay, --keep-running   keep Heed and the emulators running afterwards, with a demo> prompt
  -h, --help               this text

Environment:
  HEED_DEMO_STORE=<file>   the SQLite store (default data/demo.sqlite; wiped at start unless in use)
  NO_COLOR=1               no colour (there is none anyway when stdout is not a terminal)`;

const { values: flags } = (() => {
  try {
    return parseArgs({
      options: {
        stay: { type: 'boolean' },
        'keep-running': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const stay = flags.stay === true || flags['keep-running'] === true;

const root = join(import.meta.dirname, '..');
const storeFile = process.env.HEED_DEMO_STORE
  ? resolve(process.env.HEED_DEMO_STORE)
  : join(root, 'data', 'demo.sqlite');
mkdirSync(dirname(storeFile), { recursive: true });
// Another demo (say one left running with --stay) still uses this store: refuse, never wipe it.
const holder = await lockHolder(storeFile);
if (holder) {
  console.error(
    [
      `Another Heed (process ${holder.pid}, started ${new Date(holder.startedAt).toISOString()}) is using ${storeFile}.`,
      'Stop it first (quit at its demo> prompt, or Ctrl-C), or give this demo a store of its own:',
      '  HEED_DEMO_STORE=data/demo-2.sqlite npm run demo',
    ].join('\n'),
  );
  process.exit(1);
}
for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(`${storeFile}${suffix}`, { force: true });

const slack = await startSlack();
const discord = await startDiscord();
const transcript = new Transcript(slack, discord);
const clock = new FakeClock(Date.parse('2026-11-23T08:58:00+01:00'));
const env = parseEnv({
  ...emulatorEnv(slack, discord),
  HEED_STORE_URL: `sqlite://${storeFile}`,
  PORT: '0',
  LOG_LEVEL: 'error',
});
const config = loadConfigFile(join(root, 'heed.config.example.yaml'));
const heed = await startHeed({ env, config, clock, logger: createLogger({ level: 'error' }) });
slack.connectApp(`http://127.0.0.1:${heed.slackPort}/slack/events`);
const core = heed.core.heed;
await core.caughtUp();

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

/** Moves the clock minute by minute, letting the SLA scheduler run as real time would. */
async function advanceTo(target: number): Promise<void> {
  while (clock.now() < target) {
    clock.advance(Math.min(60_000, target - clock.now()));
    const report = await core.scheduler.tick();
    if (report.messages > 0 || report.afterCare > 0) {
      transcript.slaCheck(clock.now());
      await settle();
    }
  }
}

/** Moves the clock to a local time of the demo's Monday. */
async function until(time: string): Promise<void> {
  await advanceTo(Date.parse(`2026-11-23T${time}:00+01:00`));
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

async function slackCommand(
  user: string,
  text: string,
  channel: string = SLACK.teamChannel,
  typedAs?: string,
): Promise<void> {
  // Show mentions as the person typed them, not as Slack escapes them (`<@U0STAFF2|sam>`).
  const typed = typedAs ?? text.replace(/<@\w+\|([^>]+)>/g, '@$1');
  transcript.say(clock.now(), 'slack', channel, nameOf(user), `/heed ${typed}`);
  const answer = await slack.slashCommand({ command: '/heed', text, userId: user, channelId: channel });
  await settle();
  transcript.slackCommandReply(answer.body);
}

function cardTs(reference: string): string {
  const card = slack
    .messagesIn(SLACK.teamChannel)
    .concat(slack.messagesIn(SLACK.billingChannel))
    .find((m) => (m.text ?? '').includes(reference));
  if (!card) throw new Error(`no card for ${reference}`);
  return card.ts;
}

/** A Heed message with buttons other than the card, e.g. an SLA alert in someone's DMs. */
interface ButtonHost {
  readonly channel: string;
  readonly ts: string;
  /** How the transcript names it, e.g. `Heed's DM`. */
  readonly label: string;
}

async function slackButton(
  user: string,
  reference: string,
  action: string,
  fields?: Record<string, string>,
  on?: ButtonHost,
) {
  const issue = await core.findIssue(reference);
  if (!issue?.card) throw new Error(`no issue ${reference}`);
  const channel = on?.channel ?? issue.card.channel;
  transcript.say(
    clock.now(),
    'slack',
    on?.label ?? channel,
    nameOf(user),
    `[presses ${action} on ${reference}]`,
  );
  await slack.blockAction({
    userId: user,
    channelId: channel,
    messageTs: on?.ts ?? cardTs(reference),
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
      on?.label ?? channel,
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
  const id = String((sent as { d?: { id?: string } }).d?.id ?? '');
  // A new message reaches Heed through the gateway, so nothing waits for it: wait for its issue's
  // acknowledgement and card, then let the rest of what Heed sends arrive.
  if (!thread)
    await eventually(
      async () => (await core.issues.get(issueIdFor('discord', DISCORD.supportChannel, id)))?.card,
    );
  await settle();
  return id;
}

/** Polls until `check` gives something, for at most five seconds (then the transcript just goes on). */
async function eventually(check: () => Promise<unknown>): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

const PEOPLE: Readonly<Record<string, string>> = {
  [SLACK.dana]: 'Dana (BigCo)',
  [SLACK.alex]: 'Alex',
  [SLACK.sam]: 'Sam',
  [SLACK.morgan]: 'Morgan',
  [SLACK.bea]: 'Bea',
  [DISCORD.riley]: 'Riley',
  [DISCORD.morgan]: 'Morgan',
  [DISCORD.lee]: 'Lee',
  [DISCORD.kim]: 'Kim (Enterprise)',
};

function nameOf(id: string): string {
  return PEOPLE[id] ?? id;
}

/** The newest message Heed sent to a Slack user's DMs whose text has `needle`. */
function slackDm(user: string, needle: string, label: string): ButtonHost {
  // The emulator's DM channel ids mirror the user id: U0BILL01 → D0BILL01.
  const channel = `D${user.slice(1)}`;
  const message = slack
    .messagesIn(channel)
    .filter((m) => (m.text ?? '').includes(needle))
    .at(-1);
  if (!message) throw new Error(`no DM to ${user} with ${needle}`);
  return { channel, ts: message.ts, label };
}

// ---------------------------------------------------------------- the day

async function playTheDay(): Promise<void> {
  console.log('Heed demo — a Monday of support at Acme (Prague office hours, 09:00–18:00).');
  console.log(
    wrap(
      '',
      'Heed runs for real (core, SQLite store, Bolt app, discord.js client) against local Slack and Discord emulators.',
      '',
    ),
  );
  console.log(
    `Health: http://127.0.0.1:${heed.metricsPort}/healthz · metrics: http://127.0.0.1:${heed.metricsPort}/metrics`,
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
  await until('09:12');
  await slackButton(SLACK.bea, '#2', 'claim');
  transcript.note('Bea owns #2, then gets pulled into the month-end invoice run and forgets about it…');
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

  await until('11:50');
  await discordButton(DISCORD.riley, '#3', 'resolve', {
    summary: 'A certificate rotation broke webhook signing; fixed and redelivered.',
  });
  await until('11:58');
  await discordRating(DISCORD.kim, '#3', 'down', 'It took all morning to hear anything useful.');

  transcript.note('Lee is still waiting on #2, and Bea has not looked up. The clock keeps running…');
  await until('14:08');
  await slackButton(
    SLACK.bea,
    '#2',
    'apologize',
    { reason: 'Your question slipped through while we closed the month.' },
    slackDm(SLACK.bea, '⏰', "Heed's reminder in her DMs"),
  );
  await until('14:10');
  // The card suggested this saved reply for Lee's words; Bea sends it.
  await slackCommand(SLACK.bea, 'answer #2 billing-email', SLACK.billingChannel);
  await until('14:25');
  await discordSays(DISCORD.lee, 'Found it, thank you!', leeMessage);
  await until('14:27');
  await slackButton(SLACK.bea, '#2', 'resolve', {
    summary: 'Pointed to Settings → Billing → Invoice e-mail.',
  });

  await until('15:30');
  await slackButton(SLACK.sam, '#1', 'resolve', {
    summary: 'Raised the export worker memory limit; large exports work again.',
  });
  await until('15:42');
  await slackRating(SLACK.dana, '#1', 'up', 'Thanks Sam, clear and quick!');

  transcript.note('Dana comes back later with something new. Heed knows her:');
  await until('16:05');
  await slackSays(
    SLACK.dana,
    SLACK.customerChannel,
    'One more thing: can we schedule the CSV export to run every night?',
  );
  await until('16:15');
}

async function printLedgerAndReport(heading: string): Promise<void> {
  transcript.note(heading);
  for (let n = 1; ; n += 1) {
    const issue = await core.findIssue(`#${n}`);
    if (!issue) break;
    const steps = issue.history
      .filter((e) => e.kind !== 'routed')
      .map((e) => `${e.kind}${e.actor.platform === 'heed' ? ' (Heed)' : ` by ${nameOf(e.actor.id)}`}`)
      .join(' → ');
    console.log(wrap(`  #${n} ${issue.status} · ${issue.priority} · ${issue.team}: `, steps));
  }
  const day = { from: Date.parse('2026-11-23T00:00:00Z'), to: Date.parse('2026-11-24T00:00:00Z') };
  const report = await loadReport(core.issues, day, 'owner');
  // Owners by the names Heed kept as it saw them, as `npx heed report` shows them too.
  const names = await core.people.all();
  console.log(`\n${formatReport(report, 'table', { names, width: WIDTH })}`);
  console.log(
    wrap(
      '',
      `The store is ${storeFile}. Try: HEED_STORE_URL=sqlite://${storeFile} npx heed report --from 2026-11-23 --to 2026-11-23`,
      '',
    ),
  );
}

// ---------------------------------------------------------------- --stay: poke at it

const HELP = `Commands (the demo clock stands still until you wait):
  slack <text>           Dana (BigCo) writes a new message in #bigco-support (Slack Connect)
  slack #<n> <text>      Dana writes in the thread of issue #<n>
  discord <text>         Lee writes a new message in #support on Discord
  discord #<n> <text>    the issue's customer writes in its Discord thread
  /heed <command…>       Alex runs a Slack command in #support-team, e.g. /heed queue, /heed claim #4;
                         @name means a person of the demo (@sam, @bea; @riley, @kim on Discord),
                         e.g. /heed handoff #4 @sam please take it
  wait <duration>        advance the demo clock (e.g. 30m, 2h; 30m if you give none) and let the
                         SLA scheduler run: warnings, nags and escalations fall due
  report                 print the ledger and the ownership report again
  dashboard              a new sign-in link to the web dashboard, for Morgan (manager of both teams)
  help                   this list
  quit                   stop Heed and the emulators`;

const MAX_WAIT_MS = parseDuration('7d');

/** A customer message, new or in an issue's thread (`#<n> text`). */
async function customerWrites(platform: 'slack' | 'discord', input: string): Promise<void> {
  const threaded = /^#(\d+)\s+(.+)$/s.exec(input);
  if (!threaded) {
    if (platform === 'slack') await slackSays(SLACK.dana, SLACK.customerChannel, input);
    else await discordSays(DISCORD.lee, input);
    return;
  }
  const [, n = '', text = ''] = threaded;
  const issue = await core.findIssue(`#${n}`);
  if (!issue) {
    console.log(`  There is no issue #${n}.`);
  } else if (issue.conversation.platform !== platform || !issue.conversation.thread) {
    console.log(`  #${n} is a ${issue.conversation.platform} conversation.`);
  } else if (platform === 'slack') {
    await slackSays(issue.customer.id, issue.conversation.channel, text, issue.conversation.thread);
  } else {
    await discordSays(issue.customer.id, text, issue.conversation.thread);
  }
}

/** Runs one line typed at the prompt; false when the user wants to stop. */
async function poke(line: string): Promise<boolean> {
  const [word = '', ...rest] = line.split(/\s+/);
  const command = word.toLowerCase();
  const argument = rest.join(' ');
  switch (command) {
    case '':
      return true;
    case 'quit':
    case 'exit':
      return false;
    case 'help':
      console.log(HELP);
      return true;
    case 'slack':
    case 'discord':
      if (!argument) console.log(`  Usage: ${command} <text>`);
      else await customerWrites(command, argument);
      return true;
    case '/heed':
      await slackCommand(SLACK.alex, withMentions(argument || 'help'), SLACK.teamChannel, argument || 'help');
      return true;
    case 'wait': {
      if (!argument) {
        console.log('  wait without a duration moves the demo clock on by 30m (wait 2h for two hours).');
      }
      const ms = parseDuration(argument || '30m');
      if (ms > MAX_WAIT_MS) {
        console.log(`  At most ${formatDuration(MAX_WAIT_MS)} at a time, please.`);
        return true;
      }
      await advanceTo(clock.now() + ms);
      transcript.note(`It is now ${localTime(clock.now())}.`);
      return true;
    }
    case 'report':
      await printLedgerAndReport('The queue and the ledger so far:');
      return true;
    case 'dashboard':
      await printDashboardLink();
      return true;
    default:
      console.log(`  Unknown command “${word}”. Type help for the list.`);
      return true;
  }
}

/**
 * Morgan runs `/heed dashboard` in Slack; Heed DMs a sign-in link (single use, 10 minutes of the demo
 * clock, which stands still until you wait), printed here to open in a browser on this machine.
 */
async function printDashboardLink(): Promise<void> {
  await slackCommand(SLACK.morgan, 'dashboard');
  const dm = await fetch(`${slack.apiUrl}conversations.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SLACK.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ users: SLACK.morgan }),
  }).then((response) => response.json() as Promise<{ channel?: { id: string } }>);
  const texts = dm.channel ? slack.messagesIn(dm.channel.id).map((message) => message.text ?? '') : [];
  const url = texts
    .map((text) => /<(http[^|>]+\/dashboard\/sign-in\?token=[^|>]+)\|/.exec(text)?.[1])
    .filter(Boolean)
    .at(-1);
  if (!url) {
    console.log('  Heed sent no sign-in link; see the answer above.');
    return;
  }
  console.log(
    `\n  Web dashboard (Morgan, manager of both teams). Open this link on this machine; it works once:\n  ${url}\n  For another link later, type: dashboard\n`,
  );
}

/** Reads commands from stdin until `quit`, Ctrl-C or the end of input. */
async function keepRunning(): Promise<void> {
  transcript.note('Heed and the emulators keep running. Type help for what you can do, quit to stop.');
  await printDashboardLink();
  const prompt = createInterface({ input: process.stdin, output: process.stdout, prompt: 'demo> ' });
  prompt.on('SIGINT', () => prompt.close());
  // Piped input is not echoed by a terminal; repeat it so the transcript reads as a session.
  const echo = !process.stdin.isTTY;
  let quit = false;
  prompt.prompt();
  for await (const line of prompt) {
    if (echo) console.log(line);
    try {
      quit = !(await poke(line.trim()));
    } catch (error) {
      console.log(`  That did not work: ${(error as Error).message}`);
    }
    if (quit) break;
    prompt.prompt();
  }
  prompt.close();
  // After Ctrl-C or the end of input the cursor still sits after the prompt.
  console.log(`${quit ? '' : '\n'}Stopping Heed and the emulators.`);
}

// ---------------------------------------------------------------- run

try {
  await playTheDay();
  await printLedgerAndReport('End of the day. The queue and the ledger:');
  if (stay) await keepRunning();
  else console.log('\nTo keep Heed running and poke at it afterwards: npm run demo -- --stay');
} finally {
  await heed.stop();
  await slack.close();
  await discord.close();
}
