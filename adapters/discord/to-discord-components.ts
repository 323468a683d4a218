import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  type APITextInputComponent,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { ActionButton, FormChoice, FormField, FormSpec } from '../../src/ports/chat-port.ts';
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
  selectOptions: 25,
  optionLabel: 100,
  optionValue: 100,
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

function textInputOf(field: FormField): APITextInputComponent {
  return {
    type: ComponentType.TextInput,
    custom_id: field.name,
    style: field.long ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: field.optional !== true,
    max_length: COMPONENT_LIMITS.inputLength,
    ...(field.placeholder ? { placeholder: cut(field.placeholder, COMPONENT_LIMITS.placeholder) } : {}),
    ...(field.initial ? { value: field.initial.slice(0, COMPONENT_LIMITS.inputLength) } : {}),
  };
}

/** A field with choices: a string select (Discord shows 25 options; the first ones are the likeliest). */
function selectOf(field: FormField, choices: readonly FormChoice[]): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: field.name,
    required: field.optional !== true,
    options: choices
      .filter((choice) => choice.value.length <= COMPONENT_LIMITS.optionValue)
      .slice(0, COMPONENT_LIMITS.selectOptions)
      .map((choice) => ({
        label: cut(choice.label, COMPONENT_LIMITS.optionLabel),
        value: choice.value,
        ...(choice.value === field.initial ? { default: true } : {}),
      })),
  };
}

/** The modal a button with a form opens (custom_id `heed-form:<action>:<issueId>`, one input per field). */
export function formModal(target: ActionTarget, form: FormSpec): DiscordModal {
  return {
    custom_id: formCustomId(target),
    title: cut(form.title, COMPONENT_LIMITS.modalTitle),
    components: form.fields.slice(0, COMPONENT_LIMITS.modalInputs).map((field) => ({
      type: ComponentType.Label,
      label: cut(field.label, COMPONENT_LIMITS.inputLabel),
      component:
        field.choices && field.choices.length > 0 ? selectOf(field, field.choices) : textInputOf(field),
    })),
  };
}
