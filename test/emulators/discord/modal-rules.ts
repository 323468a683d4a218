import { LIMITS } from './limits.ts';
import type { JsonObject } from './objects.ts';
import { type ApiError, FormErrors } from './validate.ts';

const ACTION_ROW = 1;
const TEXT_INPUT = 4;
const TEXT_DISPLAY = 10;
const LABEL = 18;
const STRING_SELECT = 3;

type CustomIds = Array<{ path: string[]; customId: string }>;

const asObject = (value: unknown): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};

function checkTextInput(
  errors: FormErrors,
  input: JsonObject,
  at: string[],
  customIds: CustomIds,
  inLabel: boolean,
): void {
  const limits = LIMITS.textInput;
  errors.requiredString([...at, 'custom_id'], input.custom_id, limits.customId);
  if (typeof input.custom_id === 'string')
    customIds.push({ path: [...at, 'custom_id'], customId: input.custom_id });
  if (input.style !== 1 && input.style !== 2) errors.required([...at, 'style']);
  // A text input in a Label takes its label from the Label; in a (deprecated) action row it has its own.
  if (inLabel) errors.optionalString([...at, 'label'], input.label, limits.label);
  else errors.requiredString([...at, 'label'], input.label, limits.label);
  if (typeof input.value === 'string') errors.maxLength([...at, 'value'], input.value.length, limits.value);
  if (typeof input.placeholder === 'string') {
    errors.maxLength([...at, 'placeholder'], input.placeholder.length, limits.placeholder);
  }
  if (typeof input.min_length === 'number')
    errors.intRange([...at, 'min_length'], input.min_length, limits.minLength);
  if (typeof input.max_length === 'number')
    errors.intRange([...at, 'max_length'], input.max_length, limits.maxLength);
}

function checkStringSelect(errors: FormErrors, select: JsonObject, at: string[]): void {
  const limits = LIMITS.stringSelect;
  if (typeof select.placeholder === 'string')
    errors.maxLength([...at, 'placeholder'], select.placeholder.length, limits.placeholder);
  if (!Array.isArray(select.options)) {
    errors.required([...at, 'options']);
    return;
  }
  errors.badLength([...at, 'options'], select.options.length, limits.options);
  const values = new Set<string>();
  select.options.forEach((raw, index) => {
    const option = asObject(raw);
    const where = [...at, 'options', String(index)];
    errors.requiredString([...where, 'label'], option.label, limits.optionLabel);
    errors.requiredString([...where, 'value'], option.value, limits.optionValue);
    if (typeof option.description === 'string')
      errors.maxLength([...where, 'description'], option.description.length, limits.optionDescription);
    if (typeof option.value === 'string') {
      if (values.has(option.value))
        errors.add(
          [...where, 'value'],
          'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
          'The specified option value is already used',
        );
      values.add(option.value);
    }
  });
}

// Text inputs and string selects are checked in full; other Label children only by custom_id.
function checkLabelChild(errors: FormErrors, child: JsonObject, at: string[], customIds: CustomIds): void {
  if (child.type === TEXT_INPUT) {
    checkTextInput(errors, child, at, customIds, true);
    return;
  }
  if (child.type === STRING_SELECT) checkStringSelect(errors, child, at);
  errors.requiredString([...at, 'custom_id'], child.custom_id, LIMITS.component.customId);
  if (typeof child.custom_id === 'string')
    customIds.push({ path: [...at, 'custom_id'], customId: child.custom_id });
}

function checkTopLevel(errors: FormErrors, component: JsonObject, at: string[], customIds: CustomIds): void {
  const limits = LIMITS.modal;
  switch (component.type) {
    case LABEL: {
      errors.requiredString([...at, 'label'], component.label, limits.label);
      errors.optionalString([...at, 'description'], component.description, limits.labelDescription);
      if (!component.component || typeof component.component !== 'object')
        errors.required([...at, 'component']);
      else checkLabelChild(errors, asObject(component.component), [...at, 'component'], customIds);
      return;
    }
    case ACTION_ROW: {
      const inputs = Array.isArray(component.components) ? component.components.map(asObject) : [];
      errors.badLength([...at, 'components'], inputs.length, limits.rowItems);
      inputs.forEach((input, index) => {
        checkTextInput(errors, input, [...at, 'components', String(index)], customIds, false);
      });
      return;
    }
    case TEXT_DISPLAY:
      errors.requiredString([...at, 'content'], component.content, limits.textDisplay);
      return;
    default:
      errors.add(
        [...at, 'type'],
        'BASE_TYPE_CHOICES',
        `Value must be one of {${ACTION_ROW}, ${TEXT_DISPLAY}, ${LABEL}}.`,
      );
  }
}

/**
 * What Discord refuses in a modal (interaction callback type 9), with paths under `data`: custom_id
 * 1–100, title 1–45, 1–5 top-level components (labels, deprecated action rows of text inputs, text
 * displays), a label's text 1–45 and description 1–100, a text input's custom_id 1–100, label 1–45,
 * value ≤ 4000, placeholder ≤ 100, min_length 0–4000, max_length 1–4000, and custom_ids unique within
 * the modal. Limits and their sources: `limits.ts`.
 */
export function validateModal(data: JsonObject): ApiError | null {
  const errors = new FormErrors();
  const limits = LIMITS.modal;
  errors.requiredString(['data', 'custom_id'], data.custom_id, limits.customId);
  errors.requiredString(['data', 'title'], data.title, limits.title);
  if (!Array.isArray(data.components)) {
    errors.required(['data', 'components']);
    return errors.toApiError();
  }
  errors.badLength(['data', 'components'], data.components.length, limits.components);
  const customIds: CustomIds = [];
  data.components.forEach((component, index) => {
    checkTopLevel(errors, asObject(component), ['data', 'components', String(index)], customIds);
  });
  errors.uniqueCustomIds(customIds);
  return errors.toApiError();
}
