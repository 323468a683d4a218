import { LRUCache } from 'lru-cache';
import type { ActionButton, FormSpec } from '../../src/ports/chat-port.ts';
import type { ActionTarget } from './custom-ids.ts';

const key = (target: ActionTarget): string => `${target.action}:${target.issueId}`;

/**
 * The forms of the buttons Heed has sent, so a press can open the right modal (a custom_id only has
 * room for the action and the issue). Bounded; after a restart the caller falls back to the card.
 */
export class FormRegistry {
  private readonly forms: LRUCache<string, FormSpec>;

  constructor(capacity = 10_000) {
    this.forms = new LRUCache({ max: capacity });
  }

  remember(buttons: readonly ActionButton[]): void {
    for (const button of buttons) if (button.form) this.forms.set(key(button), button.form);
  }

  find(target: ActionTarget): FormSpec | undefined {
    return this.forms.get(key(target));
  }
}
