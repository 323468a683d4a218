import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, S, startFixture, workspace } from './slack-fixture.ts';

// What a hostile customer can put in a Slack message, as Slack delivers it (live markup).
const CORPUS = [
  'URGENT <!channel> <!here> <!everyone>',
  '<@U0STAFF1> <@U0MGR001|morgan>',
  '<!subteam^S0SUPPORT|@support>',
  '<https://evil.example/login|your bank> and <https://evil.example/raw>',
  'AT&amp;T &lt;!here&gt; raw @channel @here',
  '<#C0TEAM01|support-team>',
].join('\n');

const EVIL = 'U0EVIL001';

// Every `<…>` token Slack would act on: mentions, broadcasts, channels, links, dates.
function liveTokens(wire: string): string[] {
  return wire.match(/<[@!#][^<>]*>|<https?:[^<>]*>/g) ?? [];
}

let f: Fixture;

afterEach(async () => {
  await f.close();
});

describe('relayed customer text on Slack', () => {
  it('never pings anyone: every text and block Slack receives carries no live mention of the customer’s', async () => {
    f = await startFixture({
      emulator: {
        users: [
          ...(workspace().users ?? []),
          { id: EVIL, name: '<!here> Evil', realName: '<@U0MGR001> Evil' },
        ],
      },
    });
    const said = await f.say(CORPUS, { user: EVIL });
    expect(said.status).toBe(200);
    // Urgent (calendar time): fifteen minutes later the team channel is nagged, quoting the customer again.
    f.clock.advance(20 * 60_000);
    await f.heed.scheduler.tick();
    await f.emu.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('⏰'));

    const calls = f.emu.calls.filter((c) =>
      ['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(c.method),
    );
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      const wire = f.wire(call);
      for (const token of liveTokens(wire)) {
        // The only live tokens are Heed's own: dates, links to Slack threads, and the on-call ping it means.
        expect(token, `${call.method} ${wire}`).toMatch(
          /^<!date\^\d+\^[^|]*\|[^>]*>$|^<@U0STAFF1>$|^<https:\/\/heed-test\.slack\.com\/archives\/[^|<>]*\|[^<>]*>$/,
        );
      }
      expect(wire).not.toContain('evil.example/login|');
    }
    const onCallPings = calls.filter((c) => f.wire(c).includes('<@U0STAFF1>'));
    expect(onCallPings.every((c) => f.wire(c).includes('<@U0STAFF1>, you are on call'))).toBe(true);

    // What the customer wrote reads the same, escaped: the round trip keeps `&`, `<` and `>`.
    const ack = f.posts(S.customerChannel, said.ts)[0];
    expect(ack?.args.text).toContain('Hi &lt;!here&gt; Evil, thanks for reaching out!');
    const issue = await f.heed.findIssue('#1');
    expect(issue?.subject).toBe(
      [
        'URGENT @channel @here @everyone',
        '@U0STAFF1 @morgan',
        '@support',
        'your bank (https://evil.example/login) and https://evil.example/raw',
        'AT&T <!here> raw @channel @here',
        '#support-team',
      ].join('\n'),
    );
    const card = f.posts(S.teamChannel)[0];
    expect(f.wire(card!)).toContain('AT&amp;T &lt;!here&gt; raw @channel @here');
    expect(card?.args.link_names).toBeUndefined();
  });
});
