import type { Core } from '../core/core.ts';
import { templateValues } from '../core/presenter.ts';
import { type Issue, issueRef } from '../domain/issue.ts';
import * as lifecycle from '../domain/lifecycle.ts';
import { bold, code, rich, toPlainText } from '../messages/rich-text.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { renderReply } from '../replies/saved-replies.ts';
import { type OperationResult, operate } from './operate.ts';
import { resolve } from './resolve.ts';

/**
 * Sends a saved reply to the customer's thread as the person's answer (a response for the SLA, recorded
 * with the reply's id and whether it was edited), then does what the reply says: `resolve` resolves the
 * issue with the reply's title as the summary; otherwise the issue waits on the customer, as after any
 * answer. `edited` is the reply's template as the person changed it (placeholders still work).
 */
export async function answerWith(
  core: Core,
  issue: Issue,
  person: PersonFacts,
  replyId: string,
  edited?: string,
): Promise<OperationResult> {
  const reply = core.config.replies.find(
    (r) => r.id === replyId.trim().toLowerCase() || r.id === replyId.trim(),
  );
  if (!reply) {
    const known = core.config.replies.map((r) => r.id).join(', ');
    return {
      ok: false,
      code: 'unknown-reply',
      reply: known
        ? rich`There is no saved reply "${replyId}". Saved replies: ${known}.`
        : rich`There are no saved replies yet: add them under ${code('replies')} in the config.`,
    };
  }
  const template = edited?.trim() || reply.text;
  const changed = template !== reply.text.trim() && template !== reply.text;
  const sent = await operate(
    core,
    issue,
    person,
    (i, a, now) =>
      lifecycle.respond(
        i,
        a,
        now,
        'saved-reply',
        { id: reply.id, edited: changed },
        toPlainText(renderReply(template, templateValues(core.config, i), changed)),
      ),
    async ({ issue: i }) => {
      const author =
        person.platform === i.conversation.platform
          ? rich`${{ t: 'mention', user: { platform: person.platform, id: person.id } }}`
          : rich`${core.config.teams.find((t) => t.id === i.team)?.name ?? 'Support'}`;
      const text = renderReply(template, templateValues(core.config, i), changed);
      await core.chat.reply(i.conversation, { text: rich`${author}: ${text}` });
      return rich`Sent the saved reply ${bold(reply.title)} to the customer on ${bold(issueRef(i))}${changed ? ' (edited)' : ''}.`;
    },
  );
  if (!sent.ok || reply.afterSending !== 'resolve') return sent;
  const resolved = await resolve(core, sent.issue, person, reply.title);
  return resolved.ok
    ? { ...resolved, reply: rich`${sent.reply} ${resolved.reply}` }
    : { ...sent, reply: rich`${sent.reply} ${resolved.reply}` };
}
