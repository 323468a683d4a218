import { issueLog } from '../core/chat-effects.ts';
import type { Core } from '../core/core.ts';
import { conversationLock } from './conversation-keys.ts';
import { ensureIntakeEffects } from './intake-effects.ts';

/**
 * Sends the acknowledgement and card still owed by the newest issues: the platform was told a message
 * was stored as soon as it was, so a crash before these went out would otherwise leave them unsent.
 * Called once the adapters are up.
 */
export async function resendMissingIntakeEffects(core: Core, newest = 50): Promise<number> {
  let sent = 0;
  const last = await core.issues.lastIssueNumber();
  for (let number = last; number > Math.max(0, last - newest); number -= 1) {
    const issue = await core.issues.getByNumber(number).catch(() => undefined);
    if (!issue || issue.status === 'closed' || issue.caughtUp?.quiet || (issue.acknowledgement && issue.card))
      continue;
    const { platform, channel, thread } = issue.conversation;
    await core.issues.withLock(conversationLock(platform, channel, thread ?? ''), async () => {
      const fresh = await core.issues.get(issue.id);
      if (!fresh || (fresh.acknowledgement && fresh.card)) return;
      issueLog(core, fresh).warn('sending the acknowledgement or card a restart cut off');
      await ensureIntakeEffects(core, fresh);
      sent += 1;
    });
  }
  return sent;
}
