import type { ActionButton, OutboundMessage } from '../../src/ports/chat-port.ts';

/**
 * The forms behind buttons Heed has sent, by action and issue: a click carries only `heed:<action>` and
 * the issue id, so the form to open is looked up here (bounded; the oldest entries go first).
 */
export class FormRegistry {
  private readonly forms = new Map<string, ActionButton>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Remembers the forms of every button in a message about to be sent. */
  remember(message: OutboundMessage): void {
    for (const button of [...(message.card?.actions ?? []), ...(message.actions ?? [])]) this.add(button);
  }

  add(button: ActionButton): void {
    if (!button.form) return;
    const key = `${button.action}:${button.issueId}`;
    this.forms.delete(key);
    this.forms.set(key, button);
    if (this.forms.size > this.maxEntries) {
      const oldest = this.forms.keys().next();
      if (!oldest.done) this.forms.delete(oldest.value);
    }
  }

  /** The button (with its form) last sent for this action and issue. */
  find(action: string, issueId: string): ActionButton | undefined {
    return this.forms.get(`${action}:${issueId}`);
  }
}
