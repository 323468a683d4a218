import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { ActionButton, FormSpec } from '../../src/ports/chat-port.ts';
import { type ActionTarget, buttonCustomId, formCustomId } from './custom-ids.ts';
import { cut } from './to-discord-text.ts';

/** Component limits Heed respects. */
export const COMPONENT_LIMITS = {
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  placeholder: 100,
  inputLength: 3000,
} as const;

/** One action row of buttons. */
export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A modal as `showModal` takes it. */
export type DiscordModal = APIModalInteractionResponseCallbackData;

const STYLE: Record<NonNullable<ActionButton['style']> | 'default', APIButtonComponentWithCustomId['style']> =
  {
    primary: ButtonStyle.Primary,
    danger: ButtonStyle.Danger,
    default: ButtonStyle.Secondary,
  };

/** Buttons in rows of five (custom_id `heed:<action>:<issueId>`), duplicates dropped, at most 25. */
export function actionRows(actions: readonly ActionButton[]): ButtonRow[] {
  const buttons = new Map<string, APIButtonComponentWithCustomId>();
  for (const action of actions) {
    const customId = buttonCustomId(action);
    if (buttons.has(customId)) continue;
    buttons.set(customId, {
      type: ComponentType.Button,
      custom_id: customId,
      label: cut(action.label, COMPONENT_LIMITS.buttonLabel),
      style: STYLE[action.style ?? 'default'],
    });
  }
  const list = [...buttons.values()].slice(0, COMPONENT_LIMITS.buttonsPerRow * COMPONENT_LIMITS.rows);
  const rows: ButtonRow[] = [];
  for (let start = 0; start < list.length; start += COMPONENT_LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: list.slice(start, start + COMPONENT_LIMITS.buttonsPerRow),
    });
  }
  return rows;
}

/** The modal a button with a form opens (custom_id `heed-form:<action>:<issueId>`, one input per field). */
export function formModal(target: ActionTarget, form: FormSpec): DiscordModal {
  return {
    custom_id: formCustomId(target),
    title: cut(form.title, COMPONENT_LIMITS.modalTitle),
    components: form.fields.slice(0, COMPONENT_LIMITS.modalInputs).map((field) => ({
      type: ComponentType.Label,
      label: cut(field.label, COMPONENT_LIMITS.inputLabel),
      component: {
        type: ComponentType.TextInput,
        custom_id: field.name,
        style: field.long ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: field.optional !== true,
        max_length: COMPONENT_LIMITS.inputLength,
        ...(field.placeholder ? { placeholder: cut(field.placeholder, COMPONENT_LIMITS.placeholder) } : {}),
      },
    })),
  };
}
