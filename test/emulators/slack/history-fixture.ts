import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { type SlackEmulator, type SlackEmulatorOptions, startSlackEmulator } from './index.ts';

/** Ids and tokens of the history tests' workspace. */
export const H = {
  secret: 'history-signing-secret',
  token: 'xoxb-history-bot-token',
  bot: 'U0HEEDBOT',
  botId: 'B0HEEDBOT',
  carol: 'U0CAROL01',
  dave: 'U0DAVE001',
  support: 'C0SUPPORT',
  lobby: 'C0LOBBY01',
  secret_room: 'G0SECRET1',
} as const;

/** Starts an emulator with a support channel (bot inside), a lobby and a private room (bot outside). */
export function historyEmulator(extra: Partial<SlackEmulatorOptions> = {}): Promise<SlackEmulator> {
  return startSlackEmulator({
    signingSecret: H.secret,
    botToken: H.token,
    botUserId: H.bot,
    botId: H.botId,
    users: [
      { id: H.carol, name: 'carol', teamId: 'T0ACME001' },
      { id: H.dave, name: 'dave' },
    ],
    channels: [
      { id: H.support, name: 'support' },
      { id: H.lobby, name: 'lobby', isMember: false },
      { id: H.secret_room, name: 'secret', isPrivate: true, isMember: false },
    ],
    ...extra,
  });
}

/** The real @slack/web-api client against the emulator; `retries` > 0 lets it wait out a 429. */
export function webClient(emu: SlackEmulator, retries = 0): WebClient {
  return new WebClient(H.token, {
    slackApiUrl: emu.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries, minTimeout: 0, maxTimeout: 0 },
  });
}

/** Posts `count` customer messages while the app is down and answers their ts, oldest first. */
export function postMany(emu: SlackEmulator, count: number, channel: string = H.support): string[] {
  return Array.from({ length: count }, (_, i) => {
    const event = emu.postWhileOffline({ channel, user: H.carol, text: `message ${i}` });
    return String(event.ts);
  });
}

/** The Slack error code of a failed call, or 'ok'. */
export function errorOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'ok',
    (error: { data?: { error?: string } }) => error.data?.error ?? String(error),
  );
}
