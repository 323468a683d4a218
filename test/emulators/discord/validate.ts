import type { JsonObject } from './objects.ts';

/** A Discord JSON error body. */
export interface ApiErrorBody {
  message: string;
  code: number;
  errors?: JsonObject;
}

/** A REST error: HTTP status plus Discord's JSON error body. */
export interface ApiError {
  status: number;
  body: ApiErrorBody;
}

/** Builds a REST error. */
export function apiError(status: number, code: number, message: string, errors?: JsonObject): ApiError {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

type FieldErrors = Array<{ path: string[]; code: string; message: string }>;

function tooLong(errors: FieldErrors, path: string[], value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function nest(errors: FieldErrors): JsonObject {
  const root: JsonObject = {};
  for (const error of errors) {
    let node = root;
    for (const key of error.path) {
      node[key] ??= {};
      node = node[key] as JsonObject;
    }
    const list = (node._errors as unknown[] | undefined) ?? [];
    list.push({ code: error.code, message: error.message });
    node._errors = list;
  }
  return root;
}

function embedLength(embed: JsonObject): number {
  const text = (value: unknown): number => (typeof value === 'string' ? value.length : 0);
  const fields = Array.isArray(embed.fields) ? (embed.fields as JsonObject[]) : [];
  return (
    text(embed.title) +
    text(embed.description) +
    text((embed.footer as JsonObject | undefined)?.text) +
    text((embed.author as JsonObject | undefined)?.name) +
    fields.reduce((sum, field) => sum + text(field.name) + text(field.value), 0)
  );
}

function checkEmbeds(errors: FieldErrors, embeds: unknown[]): void {
  if (embeds.length > 10) {
    errors.push({
      path: ['embeds'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 10 or fewer in length.',
    });
  }
  let total = 0;
  embeds.forEach((raw, index) => {
    const embed = (raw ?? {}) as JsonObject;
    const at = ['embeds', String(index)];
    tooLong(errors, [...at, 'title'], embed.title, 256);
    tooLong(errors, [...at, 'description'], embed.description, 4096);
    tooLong(errors, [...at, 'footer', 'text'], (embed.footer as JsonObject | undefined)?.text, 2048);
    tooLong(errors, [...at, 'author', 'name'], (embed.author as JsonObject | undefined)?.name, 256);
    const fields = Array.isArray(embed.fields) ? (embed.fields as JsonObject[]) : [];
    if (fields.length > 25) {
      errors.push({
        path: [...at, 'fields'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 25 or fewer in length.',
      });
    }
    fields.forEach((field, fieldIndex) => {
      tooLong(errors, [...at, 'fields', String(fieldIndex), 'name'], field.name, 256);
      tooLong(errors, [...at, 'fields', String(fieldIndex), 'value'], field.value, 1024);
    });
    total += embedLength(embed);
  });
  if (total > 6000) {
    errors.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  }
}

function checkComponents(errors: FieldErrors, components: unknown[], path: string[]): void {
  components.forEach((raw, index) => {
    const component = (raw ?? {}) as JsonObject;
    const at = [...path, String(index)];
    tooLong(errors, [...at, 'custom_id'], component.custom_id, 100);
    if (component.type === 2) tooLong(errors, [...at, 'label'], component.label, 80);
    if (Array.isArray(component.components)) {
      if (component.type === 1 && component.components.length > 5) {
        errors.push({
          path: [...at, 'components'],
          code: 'BASE_TYPE_MAX_LENGTH',
          message: 'Must be 5 or fewer in length.',
        });
      }
      checkComponents(errors, component.components, [...at, 'components']);
    }
  });
}

/**
 * Validates a message create/edit body the way Discord does for the limits bots usually hit:
 * content length, embed limits, component custom_id and label lengths, empty messages.
 */
export function validateMessageBody(
  body: JsonObject,
  options: { hasFiles: boolean; edit: boolean },
): ApiError | null {
  const errors: FieldErrors = [];
  tooLong(errors, ['content'], body.content, 2000);
  if (Array.isArray(body.embeds)) checkEmbeds(errors, body.embeds);
  if (Array.isArray(body.components)) {
    const isV2 = typeof body.flags === 'number' && (body.flags & (1 << 15)) !== 0;
    if (!isV2 && body.components.length > 5) {
      errors.push({
        path: ['components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 5 or fewer in length.',
      });
    }
    checkComponents(errors, body.components, ['components']);
  }
  if (errors.length > 0) return apiError(400, 50035, 'Invalid Form Body', nest(errors));
  if (!options.edit) {
    const hasContent = typeof body.content === 'string' && body.content.length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    const hasPoll = typeof body.poll === 'object' && body.poll !== null;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasStickers && !hasPoll && !options.hasFiles) {
      return apiError(400, 50006, 'Cannot send an empty message');
    }
  }
  return null;
}
