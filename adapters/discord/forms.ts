import type { ActionButton, FormSpec } from '../../src/ports/chat-port.ts';
import type { ActionTarget } from './custom-ids.ts';

const key = (target: ActionTarget): string => `${target.action}:${target.issueId}`;

/**
 * The forms of the buttons Heed has sent, so a press can open the right modal (a custom_id only has
 * room for the action and the issue). Bounded; after a restart the caller falls back to the card.
 */
export class FormRegistry {
  private readonly forms = new Map<string, FormSpec>();

  constructor(private readonly capacity = 10_000) {}

  remember(buttons: readonly ActionButton[]): void {
    for (const button of buttons) {
      if (!button.form) continue;
      const id = key(button);
      this.forms.delete(id);
      this.forms.set(id, button.form);
      if (this.forms.size > this.capacity) {
        const oldest = this.forms.keys().next().value;
        if (oldest !== undefined) this.forms.delete(oldest);
      }
    }
  }

  find(target: ActionTarget): FormSpec | undefined {
    return this.forms.get(key(target));
  }
}
