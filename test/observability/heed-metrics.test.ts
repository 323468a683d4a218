import { describe, expect, it } from 'vitest';
import { Heed } from '../../src/boot/heed.ts';
import { runCommand } from '../../src/commands/run-command.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { HeedMetrics } from '../../src/observability/heed-metrics.ts';
import type { InboundMessage } from '../../src/ports/inbound-port.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { RecordingChatPort } from '../doubles/recording-chat-port.ts';
import { ScriptedHistory } from '../doubles/scripted-history.ts';
import { MONDAY_10AM } from '../support/harness.ts';
import { IDS, testConfig } from '../support/test-config.ts';

const S = IDS.slack;
const MINUTE = 60_000;
let seq = 0;

async function observedCore() {
  const metrics = new HeedMetrics({ startTimeSeconds: 1_700_000_000 });
  const clock = new FakeClock(MONDAY_10AM);
  const chat = new RecordingChatPort();
  const store = await openDatabase('memory://');
  const heed = new Heed({
    config: testConfig(),
    database: store,
    chat,
    clock,
    logger: silentLogger(),
    observer: metrics,
  });
  await heed.start();
  metrics.watch({
    openIssues: () => heed.issues.listOpen(),
    queueDepth: { slack: () => 4 },
    outbox: () => heed.outbox.depth(clock.now()),
  });
  return { metrics, clock, heed, chat, store };
}

function message(text: string, at: number, extra: Partial<InboundMessage> = {}): InboundMessage {
  seq += 1;
  return {
    platform: 'slack',
    channel: S.customerChannel,
    messageId: `1763890000.${String(seq).padStart(6, '0')}`,
    text,
    at,
    author: { id: S.customer, name: 'Dana Customer' },
    ...extra,
  };
}

/** The value of one sample line of the rendered metrics, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("Heed's metrics, fed by the core", () => {
  it('counts open issues, first responses, handling, alerts, breaches and alert lateness', async () => {
    const { metrics, clock, heed } = await observedCore();
    const quiet = message('How do I export a CSV?', clock.now());
    await heed.handleMessage(quiet);
    const outage = message('Everything is down, outage!', clock.now());
    await heed.handleMessage(outage);
    await heed.handleMessage(message('ignored', clock.now(), { author: { id: 'UBOT', isBot: true } }));

    // Nobody answers the outage: warn at 75 % of 15m, the nag at breach, the team 15m later.
    // Staff answer the quiet one 20 minutes in, in its thread.
    const reports = [];
    for (let minute = 1; minute <= 36; minute += 1) {
      clock.set(MONDAY_10AM + minute * MINUTE);
      if (minute === 20) {
        await heed.handleMessage(
          message('Settings → Export', clock.now(), { thread: quiet.messageId, author: { id: S.staff } }),
        );
      }
      reports.push(await heed.scheduler.tick());
    }
    // A person escalating is not an SLA alert.
    await runCommand(heed, {
      person: { platform: 'slack', id: S.staff },
      conversation: undefined,
      input: { text: 'escalate #2 customer is furious' },
    });

    const text = await metrics.render();
    expect(sample(text, 'heed_up')).toBe(1);
    expect(sample(text, 'heed_start_time_seconds')).toBe(1_700_000_000);
    expect(sample(text, 'heed_open_issues{team="support",priority="normal",status="waiting"}')).toBe(1);
    expect(sample(text, 'heed_open_issues{team="support",priority="urgent",status="new"}')).toBe(1);
    expect(sample(text, 'heed_first_response_seconds_count{team="support"}')).toBe(1);
    expect(sample(text, 'heed_first_response_seconds_sum{team="support"}')).toBe(1200);
    expect(sample(text, 'heed_first_response_seconds_bucket{le="900",team="support"}')).toBe(0);
    expect(sample(text, 'heed_first_response_seconds_bucket{le="1800",team="support"}')).toBe(1);
    expect(sample(text, 'heed_event_handling_seconds_count{platform="slack",outcome="opened"}')).toBe(2);
    expect(sample(text, 'heed_event_handling_seconds_count{platform="slack",outcome="response"}')).toBe(1);
    expect(sample(text, 'heed_event_handling_seconds_count{platform="slack",outcome="ignored"}')).toBe(1);
    // The outage opened at 10:00 with a 15m first-response target: warned at 10:12 (due 10:11:15),
    // nagged at 10:15, the team level at 10:30.
    expect(sample(text, 'heed_nags_sent_total{kind="warn"}')).toBe(1);
    expect(sample(text, 'heed_nags_sent_total{kind="nag"}')).toBe(1);
    expect(sample(text, 'heed_nags_sent_total{kind="escalation"}')).toBe(1);
    expect(sample(text, 'heed_sla_breaches_total{team="support",clock="firstResponse"}')).toBe(1);
    const alerts = reports.reduce((sum, r) => sum + r.alerts, 0);
    expect(alerts).toBe(3);
    expect(sample(text, 'heed_sla_alert_lateness_seconds_count')).toBe(3);
    const lateness = reports.flatMap((r) => r.lateness).reduce((a, b) => a + b, 0) / 1000;
    expect(sample(text, 'heed_sla_alert_lateness_seconds_sum')).toBeCloseTo(lateness);
    expect(sample(text, 'heed_outbound_queue_depth{platform="slack"}')).toBe(4);
  });

  it('reports the outbox: alerts owed and not yet sent, and how long the oldest has waited', async () => {
    const { metrics, clock, heed, chat } = await observedCore();
    await heed.handleMessage(message('Everything is down, outage!', clock.now()));
    chat.failWith = new Error('Slack is unreachable');
    clock.set(MONDAY_10AM + 12 * MINUTE);
    expect((await heed.scheduler.tick()).alerts).toBe(1);
    clock.set(MONDAY_10AM + 14 * MINUTE);
    let text = await metrics.render();
    expect(sample(text, 'heed_outbox_depth')).toBe(1);
    expect(sample(text, 'heed_outbox_oldest_unsent_seconds')).toBe(120);
    chat.failWith = undefined;
    await heed.scheduler.tick();
    text = await metrics.render();
    expect(sample(text, 'heed_outbox_depth')).toBe(0);
    expect(sample(text, 'heed_outbox_oldest_unsent_seconds')).toBe(0);
  });

  it('counts the messages a catch-up pass reads back, per platform', async () => {
    const { metrics, clock, heed } = await observedCore();
    await heed.handleMessage(message('Before the outage', clock.now()));
    const history = new ScriptedHistory('slack');
    history.write(message('Written while Heed was down', clock.now() + MINUTE));
    history.write(message('Also while down', clock.now() + 2 * MINUTE));
    clock.set(clock.now() + 10 * MINUTE);
    await heed.catchUp(history, 'test');
    const text = await metrics.render();
    expect(sample(text, 'heed_backfilled_messages_total{platform="slack"}')).toBe(2);
    expect(sample(text, 'heed_event_handling_seconds_count{platform="slack",outcome="opened"}')).toBe(3);
  });

  it('counts a message the core could not store as an error', async () => {
    const { metrics, heed, store, clock } = await observedCore();
    await store.close();
    await expect(heed.handleMessage(message('Export fails', clock.now()))).rejects.toThrow(/closed/);
    expect(
      sample(await metrics.render(), 'heed_event_handling_seconds_count{platform="slack",outcome="error"}'),
    ).toBe(1);
  });
});
