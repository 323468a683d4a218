import { randomAlnum } from './ids.ts';
import type { SlackMessage } from './types.ts';
import { readContent } from './web-api-chat.ts';
import { type ApiReply, botProfile, fail, ok } from './web-api-common.ts';
import type { Workspace } from './workspace.ts';

/** Where a `response_url` points: the conversation, the user, and the message it came from. */
export interface ResponseUrlContext {
  channelId?: string;
  userId?: string;
  messageTs?: string;
}

interface Issued extends ResponseUrlContext {
  issuedAt: number;
  uses: number;
}

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

/** Issues `response_url`s pointing at the emulator and applies what the app posts to them. */
export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly ws: Workspace,
    private readonly baseUrl: () => string,
  ) {}

  issue(context: ResponseUrlContext): string {
    const id = `${this.ws.info.teamId}/${Date.now()}/${randomAlnum(24)}`;
    this.issued.set(id, { ...context, issuedAt: Date.now(), uses: 0 });
    return `${this.baseUrl()}/response/${id}`;
  }

  /** Applies a POST to `/response/<id>`; at most 5 uses within 30 minutes, like Slack. */
  handle(id: string, body: Record<string, unknown>): { status: number; reply: ApiReply } {
    const entry = this.issued.get(id);
    if (!entry) return { status: 404, reply: fail('no_service') };
    if (Date.now() - entry.issuedAt > LIFETIME_MS) return { status: 404, reply: fail('expired_url') };
    if (entry.uses >= MAX_USES) return { status: 404, reply: fail('used_url') };
    entry.uses += 1;
    const { channelId, messageTs } = entry;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (channelId !== undefined && messageTs !== undefined) this.ws.removeMessage(channelId, messageTs);
      return { status: 200, reply: ok() };
    }
    const content = readContent(body);
    if ('error' in content) return { status: 400, reply: fail(content.error, content.detail) };
    if (channelId === undefined) return { status: 200, reply: ok() };
    const replace = body.replace_original === true || body.replace_original === 'true';
    const original = messageTs !== undefined ? this.ws.getMessage(channelId, messageTs) : undefined;
    if (replace && original) {
      original.text = content.text ?? '';
      if (content.blocks !== undefined) original.blocks = content.blocks;
      else delete original.blocks;
      return { status: 200, reply: ok() };
    }
    if (body.response_type === 'in_channel') {
      this.postInChannel(channelId, body, content.text, content.blocks);
    } else {
      this.ws.ephemerals.push({
        channel: channelId,
        ts: this.ws.nextTs(),
        via: 'response_url',
        ...(entry.userId !== undefined ? { user: entry.userId } : {}),
        ...(content.text !== undefined ? { text: content.text } : {}),
        ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      });
    }
    return { status: 200, reply: ok() };
  }

  private postInChannel(
    channelId: string,
    body: Record<string, unknown>,
    text: string | undefined,
    blocks: unknown[] | undefined,
  ) {
    const { botUserId, botId, apiAppId, teamId } = this.ws.info;
    const message: SlackMessage = {
      type: 'message',
      user: botUserId,
      bot_id: botId,
      app_id: apiAppId,
      text: text ?? '',
      ts: this.ws.nextTs(),
      team: teamId,
      bot_profile: botProfile(this.ws),
    };
    if (blocks !== undefined) message.blocks = blocks;
    if (typeof body.thread_ts === 'string') message.thread_ts = body.thread_ts;
    this.ws.addMessage(channelId, message);
  }
}
