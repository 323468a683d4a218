import type { App, webApi } from '@slack/bolt';
import { z } from 'zod';
import { findAction } from '../../src/actions/registry.ts';
import { failureReference, friendlyFailure } from '../../src/core/errors.ts';
import { issueRef } from '../../src/domain/issue.ts';
import { code, type Rich, rich } from '../../src/messages/rich-text.ts';
import type { ActionButton } from '../../src/ports/chat-port.ts';
import type { ActionRequest, CommandReply, InboundPort } from '../../src/ports/inbound-port.ts';
import type { FormRegistry, PostedAt } from './form-registry.ts';
import { readButton, readSubmission } from './from-slack.ts';
import { problemReply, type ReplyDeps, type ReplyTarget, sendReply } from './replies.ts';
import { formModal } from './to-slack-blocks.ts';

export interface ActionDeps extends ReplyDeps {
  readonly heed: InboundPort;
  readonly forms: FormRegistry;
  readonly client: webApi.WebClient;
  /** The App Home: a button pressed there is answered on the page itself, published again at once. */
  readonly home?: { refresh(user: string, notice?: Rich): void } | undefined;
}

const HEED_ID = /^heed:/;

// `user.name` is the person's Slack handle; Heed keeps it as their name until a message of theirs says better.
const slackUser = z.object({ id: z.string().min(1), name: z.string().min(1).optional() });

const clickSchema = z.object({
  user: slackUser,
  trigger_id: z.string().min(1).optional(),
  response_url: z.string().url().optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z
    .object({ channel_id: z.string().min(1).optional(), message_ts: z.string().min(1).optional() })
    .passthrough()
    .optional(),
  // Set when the button is on a view: the App Home (`home`) or a modal.
  view: z.object({ type: z.string() }).passthrough().optional(),
});

const submitterSchema = z.object({ user: slackUser });

// A button with its form: remembered when it was sent, else what the issue's card offers now.
async function findFormButton(
  deps: ActionDeps,
  action: string,
  issueId: string,
  clicked: PostedAt | undefined,
): Promise<ActionButton | undefined> {
  const remembered = await deps.forms.find(action, issueId, clicked);
  if (remembered?.form) return remembered;
  const issue = await deps.heed.issueById(issueId);
  const form = issue ? deps.heed.formFor(issue, action) : undefined;
  return issue && form ? { action, issueId, label: form.title, form } : undefined;
}

// Runs an action in the core; an unexpected failure becomes a friendly reply with a logged reference.
async function act(deps: ActionDeps, request: ActionRequest): Promise<CommandReply> {
  try {
    return await deps.heed.runAction(request);
  } catch (error) {
    const reference = failureReference(error);
    deps.logger.error({ err: error, action: request.action, reference }, 'Slack action failed');
    return { visibility: 'ephemeral', text: rich`${friendlyFailure(reference)}` };
  }
}

/**
 * Card and alert buttons (`heed:<action>`, value = issue id): a button whose action has a form in the
 * registry opens a modal first (`views.open`), whose submission (`heed:<action>`, private metadata = issue
 * id) runs the action; other buttons run at once, and so does an action whose form is only offered when
 * the modal cannot be opened. The clicker is answered ephemerally.
 */
export function registerActions(app: App, deps: ActionDeps): void {
  app.action(HEED_ID, async ({ ack, body, action }) => {
    await ack();
    const click = clickSchema.safeParse(body);
    if (!click.success) {
      deps.logger.warn('malformed block_actions payload');
      return;
    }
    const { user, trigger_id: triggerId, response_url: responseUrl } = click.data;
    const target: ReplyTarget = {
      user: user.id,
      responseUrl,
      channel: click.data.channel?.id ?? click.data.container?.channel_id,
    };
    const button = readButton(action);
    if (!button.ok) {
      deps.logger.warn({ user: user.id, problem: button.problem }, 'refused a malformed Slack button');
      await sendReply(deps, target, problemReply(rich`That button did not work.`));
      return;
    }
    const person = { platform: 'slack' as const, id: user.id, ...(user.name ? { name: user.name } : {}) };
    const { container } = click.data;
    const clicked =
      target.channel && container?.message_ts
        ? { channel: target.channel, ts: container.message_ts }
        : undefined;
    const need = findAction(button.action)?.form?.need;
    // A press the core refuses anyway (not the customer, already answered) is told so, not shown a form.
    const refused = need
      ? await deps.heed
          .refusalBeforeForm({ person, action: button.action, issueId: button.issueId })
          .catch(() => undefined)
      : undefined;
    if (refused) {
      await sendReply(deps, target, refused);
      return;
    }
    const withForm = need
      ? await findFormButton(deps, button.action, button.issueId, clicked).catch(() => undefined)
      : undefined;
    if (withForm?.form && triggerId) {
      try {
        const opened = await deps.client.views.open({
          trigger_id: triggerId,
          view: formModal({ ...withForm, issueId: button.issueId }, withForm.form),
        });
        if (opened.view?.id) await deps.forms.openedFrom(opened.view.id, target);
      } catch (error) {
        deps.logger.warn({ err: error, action: button.action }, 'could not open a Slack modal');
        await sendReply(deps, target, problemReply(rich`Slack could not open the form in time.`));
      }
      return;
    }
    if (need === 'required') {
      const issue = await deps.heed.issueById(button.issueId).catch(() => undefined);
      const reference = issue ? issueRef(issue) : '#<issue>';
      await sendReply(deps, target, {
        visibility: 'ephemeral',
        text: rich`This button's form is no longer available. Use ${code(`/heed ${button.action} ${reference} …`)} instead.`,
      });
      return;
    }
    const reply = await act(deps, { person, action: button.action, issueId: button.issueId });
    // The App Home has no thread to answer in: the page shows the answer, and the change itself.
    if (click.data.view?.type === 'home' && deps.home) {
      deps.home.refresh(user.id, reply.text);
      return;
    }
    await sendReply(deps, target, reply);
  });

  app.view(HEED_ID, async ({ ack, body, view }) => {
    await ack();
    const submitter = submitterSchema.safeParse(body);
    if (!submitter.success) {
      deps.logger.warn('malformed view_submission payload');
      return;
    }
    const user = submitter.data.user.id;
    const userName = submitter.data.user.name;
    const target = (await deps.forms.takeOrigin(view.id)) ?? { user };
    const submission = readSubmission(view);
    if (!submission.ok) {
      deps.logger.warn({ user, problem: submission.problem }, 'refused a malformed Slack form');
      await sendReply(deps, target, problemReply(rich`That form did not work.`));
      return;
    }
    const reply = await act(deps, {
      person: { platform: 'slack', id: user, ...(userName ? { name: userName } : {}) },
      action: submission.action,
      issueId: submission.issueId,
      fields: submission.fields,
    });
    await sendReply(deps, target, reply);
  });
}
