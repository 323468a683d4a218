import { findAction } from './blocks.ts';
import type { ResponseUrls } from './response-urls.ts';
import type { Workspace } from './workspace.ts';

/** Input of `slashCommand`. */
export interface SlashCommandInput {
  command?: string;
  text: string;
  userId: string;
  channelId: string;
  teamId?: string;
  /** Extra or overriding form fields. */
  extra?: Record<string, string>;
}

/** Input of `blockAction`. */
export interface BlockActionInput {
  userId: string;
  channelId: string;
  /** The message holding the button; its stored copy is sent as `message`. */
  messageTs?: string;
  actionId: string;
  value?: string;
  blockId?: string;
  triggerId?: string;
  /** Action from a modal instead of a message. */
  viewId?: string;
}

/** Input of `viewSubmission`. */
export interface ViewSubmissionInput {
  userId: string;
  /** Id of a view the app opened; defaults to the latest one with the same `callback_id`. */
  viewId?: string;
  view: {
    callback_id: string;
    private_metadata?: string;
    state?: { values: Record<string, Record<string, unknown>> };
  };
  triggerId?: string;
}

/** Input of `messageShortcut`. */
export interface MessageShortcutInput {
  callbackId: string;
  userId: string;
  channelId: string;
  messageTs: string;
}

/** Builds interaction payloads that carry emulator-issued trigger ids and response_urls. */
export class InteractionBuilder {
  constructor(
    private readonly ws: Workspace,
    private readonly responseUrls: ResponseUrls,
  ) {}

  /** Slash command form fields, in the order Slack sends them. */
  slashCommand(input: SlashCommandInput): Record<string, string> {
    const { ws } = this;
    const channel = ws.channels.get(input.channelId);
    const channelName = channel?.isIm ? 'directmessage' : channel?.isMpim ? 'privategroup' : channel?.name;
    return {
      token: ws.info.verificationToken,
      team_id: input.teamId ?? ws.info.teamId,
      team_domain: ws.info.teamDomain,
      channel_id: input.channelId,
      channel_name: channelName ?? input.channelId,
      user_id: input.userId,
      user_name: ws.users.get(input.userId)?.name ?? input.userId,
      command: input.command ?? '/heed',
      text: input.text,
      api_app_id: ws.info.apiAppId,
      is_enterprise_install: 'false',
      response_url: this.responseUrls.issue({ channelId: input.channelId, userId: input.userId }),
      trigger_id: ws.issueTrigger(input.userId),
      ...input.extra,
    };
  }

  /** A `block_actions` payload for a button click. */
  blockAction(input: BlockActionInput): Record<string, unknown> {
    const { ws } = this;
    const message =
      input.messageTs !== undefined ? ws.getMessage(input.channelId, input.messageTs) : undefined;
    const view = input.viewId !== undefined ? ws.views.get(input.viewId) : undefined;
    const found = findAction(view?.blocks ?? message?.blocks, input.actionId);
    const element = found?.element;
    const action: Record<string, unknown> = {
      action_id: input.actionId,
      block_id: input.blockId ?? found?.blockId ?? 'actions',
      text: element?.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
      type: typeof element?.type === 'string' ? element.type : 'button',
      action_ts: String(Date.now() / 1000),
    };
    const value = input.value ?? element?.value;
    if (value !== undefined) action.value = value;
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: this.user(input.userId),
      api_app_id: ws.info.apiAppId,
      token: ws.info.verificationToken,
      container: view
        ? { type: 'view', view_id: view.id }
        : {
            type: 'message',
            message_ts: input.messageTs ?? '',
            channel_id: input.channelId,
            is_ephemeral: false,
          },
      trigger_id: input.triggerId ?? ws.issueTrigger(input.userId),
      team: { id: ws.info.teamId, domain: ws.info.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      state: { values: {} },
      actions: [action],
    };
    if (view) {
      payload.view = view;
      return payload;
    }
    payload.channel = {
      id: input.channelId,
      name: ws.channels.get(input.channelId)?.name ?? input.channelId,
    };
    if (message) payload.message = { ...message };
    payload.response_url = this.responseUrls.issue({
      channelId: input.channelId,
      userId: input.userId,
      ...(input.messageTs !== undefined ? { messageTs: input.messageTs } : {}),
    });
    return payload;
  }

  /** A `view_submission` payload; merges the stored view the app opened. */
  viewSubmission(input: ViewSubmissionInput): Record<string, unknown> {
    const { ws } = this;
    const stored =
      input.viewId !== undefined
        ? ws.views.get(input.viewId)
        : [...ws.viewHistory].reverse().find((v) => v.view.callback_id === input.view.callback_id)?.view;
    const id = String(stored?.id ?? ws.ids.next('V'));
    const view: Record<string, unknown> = {
      id,
      team_id: ws.info.teamId,
      type: 'modal',
      blocks: [],
      title: { type: 'plain_text', text: 'Heed', emoji: true },
      close: null,
      submit: null,
      clear_on_close: false,
      notify_on_close: false,
      hash: `${Math.floor(Date.now() / 1000)}.emulated`,
      previous_view_id: null,
      root_view_id: id,
      app_id: ws.info.apiAppId,
      external_id: '',
      app_installed_team_id: ws.info.teamId,
      bot_id: ws.info.botId,
      ...stored,
      callback_id: input.view.callback_id,
      private_metadata: input.view.private_metadata ?? stored?.private_metadata ?? '',
      state: input.view.state ?? { values: {} },
    };
    return {
      type: 'view_submission',
      team: { id: ws.info.teamId, domain: ws.info.teamDomain },
      user: this.user(input.userId),
      api_app_id: ws.info.apiAppId,
      token: ws.info.verificationToken,
      trigger_id: input.triggerId ?? ws.issueTrigger(input.userId),
      view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /** A `message_action` payload (message shortcut). */
  messageShortcut(input: MessageShortcutInput): Record<string, unknown> {
    const { ws } = this;
    const message = ws.getMessage(input.channelId, input.messageTs);
    return {
      type: 'message_action',
      token: ws.info.verificationToken,
      action_ts: String(Date.now() / 1000),
      team: { id: ws.info.teamId, domain: ws.info.teamDomain },
      user: this.user(input.userId),
      channel: { id: input.channelId, name: ws.channels.get(input.channelId)?.name ?? input.channelId },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId,
      trigger_id: ws.issueTrigger(input.userId),
      response_url: this.responseUrls.issue({ channelId: input.channelId, userId: input.userId }),
      message_ts: input.messageTs,
      message: message ? { ...message } : { type: 'message', ts: input.messageTs, text: '' },
    };
  }

  private user(userId: string): Record<string, unknown> {
    const user = this.ws.users.get(userId);
    const name = user?.name ?? userId;
    return { id: userId, username: name, name, team_id: user?.teamId ?? this.ws.info.teamId };
  }
}
