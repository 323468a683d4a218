import type { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { findAction } from '../../src/actions/registry.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { ActionButton, OutboundMessage } from '../../src/ports/chat-port.ts';
import type { ReplyTarget } from './reply-target.ts';
import { SharedKeys } from './shared-keys.ts';

/** A message Heed posted: its channel and `ts`, as a click's `container` names them. */
export interface PostedAt {
  readonly channel: string;
  readonly ts: string;
}

export interface FormRegistryOptions {
  /**
   * Shared mode: a keyv every instance sees. The forms of each posted message and the origin of each
   * open modal are written there too, so a button or a modal that reaches another instance finds them.
   */
  readonly shared?: Keyv | undefined;
  /** Told when the shared keyv cannot be read or written (the click then goes on without it). */
  readonly logger: Logger;
  readonly maxEntries?: number;
}

/** How long the forms of a posted message are kept for other instances (older ones are rebuilt). */
export const SHARED_FORM_TTL_MS = 7 * 24 * 60 * 60_000;
/** A `response_url` lives 30 minutes; the origin of a modal is kept as long. */
export const MODAL_ORIGIN_TTL_MS = 30 * 60_000;

const formSchema = z.object({
  title: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      placeholder: z.string().exactOptional(),
      long: z.boolean().exactOptional(),
      optional: z.boolean().exactOptional(),
      initial: z.string().exactOptional(),
      choices: z.array(z.object({ value: z.string(), label: z.string() })).exactOptional(),
    }),
  ),
});

const buttonSchema = z.object({
  action: z.string().refine((name) => findAction(name) !== undefined, 'not a Heed action'),
  issueId: z.string().min(1),
  label: z.string(),
  style: z.enum(['primary', 'danger']).exactOptional(),
  form: formSchema,
});

const postedFormsSchema = z.array(buttonSchema);

const originSchema = z.object({
  user: z.string().min(1),
  responseUrl: z.string().url().optional(),
  channel: z.string().min(1).optional(),
});

const messageKey = (at: PostedAt) => `message:${at.channel}:${at.ts}`;
const modalKey = (viewId: string) => `modal:${viewId}`;

function formButtons(message: OutboundMessage): ActionButton[] {
  return [...(message.card?.actions ?? []), ...(message.actions ?? [])].filter((button) => button.form);
}

/**
 * The forms behind buttons Heed has sent, and where each modal opened from a button was opened: a click
 * carries only `heed:<action>` and the issue id, so the form to open is looked up here, and a modal's
 * submission is answered where its button was clicked. This instance's memory comes first (bounded; the
 * least recently used go first). In shared mode the forms of each posted message and each modal's origin are
 * also written to the shared keyv, which is read when memory does not know them: the button or the
 * submission reached another instance than the one that sent the message or opened the modal.
 */
export class FormRegistry {
  private readonly forms: LRUCache<string, ActionButton>;
  private readonly origins: LRUCache<string, ReplyTarget>;
  private readonly shared: SharedKeys | undefined;

  constructor(options: FormRegistryOptions) {
    const max = options.maxEntries ?? 10_000;
    this.forms = new LRUCache({ max });
    this.origins = new LRUCache({ max, ttl: MODAL_ORIGIN_TTL_MS });
    this.shared = options.shared ? new SharedKeys(options.shared, options.logger) : undefined;
  }

  /** Remembers, in memory, the forms of every button in a message about to be sent. */
  remember(message: OutboundMessage): void {
    for (const button of formButtons(message)) this.add(button);
  }

  add(button: ActionButton): void {
    if (!button.form) return;
    this.forms.set(`${button.action}:${button.issueId}`, button);
  }

  /**
   * Shared mode: writes the forms of a message where it was posted, for the other instances (one write
   * per message; none for a message without forms, or without a shared keyv). Never rejects.
   */
  async share(at: PostedAt, message: OutboundMessage): Promise<void> {
    if (!this.shared) return;
    const buttons = formButtons(message);
    if (buttons.length === 0) return;
    await this.shared.write(messageKey(at), buttons, SHARED_FORM_TTL_MS);
  }

  /**
   * The button (with its form) last sent for this action and issue: from memory, else (shared mode) from
   * the forms stored for the message that was clicked.
   */
  async find(action: string, issueId: string, clicked?: PostedAt): Promise<ActionButton | undefined> {
    const known = this.forms.get(`${action}:${issueId}`);
    if (known || !this.shared || !clicked) return known;
    const posted = await this.shared.read(messageKey(clicked), postedFormsSchema);
    const button = posted?.value.find((b) => b.action === action && b.issueId === issueId);
    if (button) this.add(button);
    return button;
  }

  /** Remembers where a modal was opened from (in shared mode for every instance), for its submission. */
  async openedFrom(viewId: string, target: ReplyTarget): Promise<void> {
    this.origins.set(viewId, target);
    await this.shared?.write(modalKey(viewId), target, MODAL_ORIGIN_TTL_MS);
  }

  /** Where a submitted modal was opened from: from memory, else from the shared keyv (it expires there). */
  async takeOrigin(viewId: string | undefined): Promise<ReplyTarget | undefined> {
    if (viewId === undefined) return undefined;
    const known = this.origins.get(viewId);
    this.origins.delete(viewId);
    if (known) return known;
    return (await this.shared?.read(modalKey(viewId), originSchema))?.value;
  }
}
