import type { EmulatorCore } from './core.ts';
import {
  dispatchInteraction,
  type InteractionOrigin,
  type SlashOption,
  slashCommandData,
} from './interaction-payloads.ts';
import type { JsonObject } from './objects.ts';
import type { InteractionPromise } from './types.ts';

/** A slash command invocation. */
export interface SlashCommandInput extends InteractionOrigin {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: SlashOption[];
}

/** A click on a component of a stored message. */
export interface ComponentInput extends Omit<InteractionOrigin, 'channelId'> {
  /** Defaults to the message's channel. */
  channelId?: string;
  customId: string;
  messageId: string;
}

/** A modal submission. */
export interface ModalSubmitInput extends InteractionOrigin {
  customId: string;
  /** Text input values by custom_id (string arrays for select menus inside the modal). */
  fields: Record<string, string | string[]>;
  /** The message whose component opened the modal, if any. */
  messageId?: string;
}

function findComponent(components: unknown, customId: string): JsonObject | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const raw of components) {
    const component = (raw ?? {}) as JsonObject;
    if (component.custom_id === customId) return component;
    const nested =
      findComponent(component.components, customId) ??
      findComponent(component.component ? [component.component] : undefined, customId) ??
      findComponent(component.accessory ? [component.accessory] : undefined, customId);
    if (nested) return nested;
  }
  return undefined;
}

function customIdsOf(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  return components.flatMap((raw) => {
    const c = (raw ?? {}) as JsonObject;
    const own = typeof c.custom_id === 'string' ? [c.custom_id] : [];
    const inner = [c.components, c.component ? [c.component] : [], c.accessory ? [c.accessory] : []];
    return [...own, ...inner.flatMap((list) => customIdsOf(list))];
  });
}

function componentSource(core: EmulatorCore, input: ComponentInput, componentTypes: number[]) {
  const message = core.store.message(input.messageId);
  if (!message) throw new Error(`discord emulator: unknown message ${input.messageId}`);
  const component = findComponent(message.components, input.customId);
  if (!component || !componentTypes.includes(Number(component.type))) {
    const known = customIdsOf(message.components).join(', ') || 'none';
    throw new Error(
      `discord emulator: message ${message.id} has no component ${input.customId} of type ${componentTypes.join('/')} (custom_ids: ${known})`,
    );
  }
  const origin: InteractionOrigin = { ...input, channelId: input.channelId ?? message.channel_id };
  if (message.guild_id && origin.guildId === undefined) origin.guildId = message.guild_id;
  return { message, origin };
}

/** Someone typing in an option with autocomplete: `focused` names it (its value is what they typed so far). */
export interface AutocompleteInput extends SlashCommandInput {
  focused: string;
}

/** Dispatches an application command autocomplete interaction (type 4), as Discord does while a person types. */
export function autocomplete(core: EmulatorCore, input: AutocompleteInput): InteractionPromise {
  const options = (input.options ?? []).map((option) =>
    option.name === input.focused ? { ...option, focused: true } : option,
  );
  return dispatchInteraction(
    core,
    input,
    4,
    slashCommandData(core, input.guildId ?? null, { ...input, options }),
  );
}

/** Dispatches a chat-input command interaction (type 2). */
export function slashCommand(core: EmulatorCore, input: SlashCommandInput): InteractionPromise {
  return dispatchInteraction(core, input, 2, slashCommandData(core, input.guildId ?? null, input));
}

/** Dispatches a button click (type 3, component_type 2) on a stored message. */
export function buttonPress(core: EmulatorCore, input: ComponentInput): InteractionPromise {
  const { message, origin } = componentSource(core, input, [2]);
  return dispatchInteraction(
    core,
    origin,
    3,
    { custom_id: input.customId, component_type: 2 },
    { message: { ...message }, sourceMessageId: message.id },
  );
}

/** Dispatches a string select (type 3, component_type 3) on a stored message. */
export function selectMenu(
  core: EmulatorCore,
  input: ComponentInput & { values: string[] },
): InteractionPromise {
  const { message, origin } = componentSource(core, input, [3]);
  return dispatchInteraction(
    core,
    origin,
    3,
    { custom_id: input.customId, component_type: 3, values: input.values },
    { message: { ...message }, sourceMessageId: message.id },
  );
}

function submittedComponent(inner: JsonObject, value: string | string[] | undefined): JsonObject {
  const base: JsonObject = { type: inner.type, id: inner.id, custom_id: inner.custom_id };
  if (inner.type === 4) return { ...base, value: typeof value === 'string' ? value : '' };
  return { ...base, values: Array.isArray(value) ? value : value ? [value] : [] };
}

/**
 * Shapes modal components like Discord: mirrors the layout of the modal the bot opened with this
 * custom_id (label components or legacy action rows); without one, uses action rows of text inputs.
 */
function modalComponents(core: EmulatorCore, input: ModalSubmitInput): JsonObject[] {
  const modal = core.interactions.modals.get(input.customId);
  if (!modal) {
    return Object.entries(input.fields).map(([customId, value], index) => ({
      type: 1,
      id: index * 2 + 1,
      components: [
        { type: 4, id: index * 2 + 2, custom_id: customId, value: typeof value === 'string' ? value : '' },
      ],
    }));
  }
  const known = customIdsOf(modal.components);
  const unknown = Object.keys(input.fields).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `discord emulator: modal ${input.customId} has no input ${unknown.join(', ')} (inputs: ${known.join(', ')})`,
    );
  }
  let nextId = 1;
  const withId = (c: JsonObject): JsonObject => ({ ...c, id: typeof c.id === 'number' ? c.id : nextId++ });
  const rows = (modal.components as unknown[]).map((raw) => withId((raw ?? {}) as JsonObject));
  return rows.flatMap((row): JsonObject[] => {
    if (row.type === 18 && row.component) {
      const inner = withId(row.component as JsonObject);
      return [
        { type: 18, id: row.id, component: submittedComponent(inner, input.fields[String(inner.custom_id)]) },
      ];
    }
    if (row.type === 1 && Array.isArray(row.components)) {
      const inner = (row.components as JsonObject[]).map(withId);
      return [
        {
          type: 1,
          id: row.id,
          components: inner.map((c) => submittedComponent(c, input.fields[String(c.custom_id)])),
        },
      ];
    }
    if (row.type === 10) return [{ type: 10, id: row.id }];
    return [];
  });
}

/** Dispatches a modal submission (type 5). */
export function modalSubmit(core: EmulatorCore, input: ModalSubmitInput): InteractionPromise {
  const message = input.messageId ? core.store.message(input.messageId) : undefined;
  if (input.messageId && !message) throw new Error(`discord emulator: unknown message ${input.messageId}`);
  return dispatchInteraction(
    core,
    input,
    5,
    { custom_id: input.customId, components: modalComponents(core, input) },
    message ? { message: { ...message }, sourceMessageId: message.id } : {},
  );
}
