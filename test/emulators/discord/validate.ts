import { LIMITS } from './limits.ts';
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

/** One field's problem: where it is (`['embeds', '0', 'title']`), Discord's code and sentence. */
export interface FieldError {
  path: string[];
  code: string;
  message: string;
}

/**
 * Collects field errors and answers them the way Discord does: 400, code 50035 "Invalid Form Body",
 * `errors` as a tree keyed by field names and array indexes with `_errors` lists at the leaves.
 */
export class FormErrors {
  readonly list: FieldError[] = [];

  add(path: string[], code: string, message: string): void {
    this.list.push({ path, code, message });
  }

  /** This field is required (missing, null, or a string that is empty once trimmed where Discord trims). */
  required(path: string[]): void {
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }

  /** A string or array longer than `max`: BASE_TYPE_MAX_LENGTH "Must be 2000 or fewer in length." */
  maxLength(path: string[], length: number, max: number): void {
    if (length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  /** A string or array outside `min`–`max`: BASE_TYPE_BAD_LENGTH "Must be between 1 and 100 in length." */
  badLength(path: string[], length: number, range: { min: number; max: number }): void {
    if (length < range.min || length > range.max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${range.min} and ${range.max} in length.`);
    }
  }

  /** An integer outside `min`–`max`: NUMBER_TYPE_MIN / NUMBER_TYPE_MAX, as for `limit` on history reads. */
  intRange(path: string[], value: number, range: { min: number; max: number }): void {
    if (value < range.min) {
      this.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${range.min}.`);
    } else if (value > range.max) {
      this.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${range.max}.`);
    }
  }

  /** A required string within `range`: missing → required, else its length. */
  requiredString(path: string[], value: unknown, range: { min: number; max: number }): void {
    if (value === undefined || value === null) this.required(path);
    else if (typeof value === 'string') this.badLength(path, value.length, range);
  }

  /** An optional string within `range` when given. */
  optionalString(path: string[], value: unknown, range: { min: number; max: number }): void {
    if (typeof value === 'string') this.badLength(path, value.length, range);
  }

  /** Marks repeated custom_ids: Discord flags the second one (discord/discord-api-docs#3673). */
  uniqueCustomIds(found: ReadonlyArray<{ path: string[]; customId: string }>): void {
    const seen = new Set<string>();
    for (const { path, customId } of found) {
      if (seen.has(customId)) {
        this.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id was already specified');
      }
      seen.add(customId);
    }
  }

  /** Discord's 400 50035 with the error tree, or null when nothing was wrong. */
  toApiError(): ApiError | null {
    if (this.list.length === 0) return null;
    const root: JsonObject = {};
    for (const error of this.list) {
      let node = root;
      for (const key of error.path) {
        node[key] ??= {};
        node = node[key] as JsonObject;
      }
      const errors = (node._errors as unknown[] | undefined) ?? [];
      errors.push({ code: error.code, message: error.message });
      node._errors = errors;
    }
    return apiError(400, 50035, 'Invalid Form Body', root);
  }
}

const asObject = (value: unknown): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};

// Embed texts are measured without leading and trailing whitespace, which Discord trims (Embed Limits).
const embedText = (value: unknown): number => (typeof value === 'string' ? value.trim().length : 0);

function checkEmbed(errors: FormErrors, embed: JsonObject, at: string[]): number {
  const limits = LIMITS.embed;
  const footer = asObject(embed.footer);
  const author = asObject(embed.author);
  errors.maxLength([...at, 'title'], embedText(embed.title), limits.title);
  errors.maxLength([...at, 'description'], embedText(embed.description), limits.description);
  errors.maxLength([...at, 'footer', 'text'], embedText(footer.text), limits.footerText);
  errors.maxLength([...at, 'author', 'name'], embedText(author.name), limits.authorName);
  const fields = Array.isArray(embed.fields) ? embed.fields.map(asObject) : [];
  errors.maxLength([...at, 'fields'], fields.length, limits.fields);
  let size = embedText(embed.title) + embedText(embed.description);
  size += embedText(footer.text) + embedText(author.name);
  fields.forEach((field, index) => {
    const fieldAt = [...at, 'fields', String(index)];
    for (const [key, max] of [
      ['name', limits.fieldName],
      ['value', limits.fieldValue],
    ] as const) {
      // Both are required (spec RichEmbedField); a blank one is empty once trimmed.
      if (typeof field[key] !== 'string' || embedText(field[key]) === 0) errors.required([...fieldAt, key]);
      else errors.maxLength([...fieldAt, key], embedText(field[key]), max);
      size += embedText(field[key]);
    }
  });
  return size;
}

function checkEmbeds(errors: FormErrors, embeds: unknown[], at: string[]): void {
  errors.maxLength([...at, 'embeds'], embeds.length, LIMITS.message.embeds);
  const total = embeds.reduce<number>(
    (sum, embed, index) => sum + checkEmbed(errors, asObject(embed), [...at, 'embeds', String(index)]),
    0,
  );
  if (total > LIMITS.embed.total) {
    errors.add(
      [...at, 'embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      `Embed size exceeds maximum size of ${LIMITS.embed.total}`,
    );
  }
}

const LINK = 5;
const PREMIUM = 6;

type CustomIds = Array<{ path: string[]; customId: string }>;

/** Checks one message component (button, select, V2 layout) and what it holds; collects custom_ids. */
function checkComponent(errors: FormErrors, raw: unknown, here: string[], customIds: CustomIds): void {
  const limits = LIMITS.component;
  const component = asObject(raw);
  const customId = component.custom_id;
  if (typeof customId === 'string') {
    errors.badLength([...here, 'custom_id'], customId.length, limits.customId);
    customIds.push({ path: [...here, 'custom_id'], customId });
  }
  if (component.type === 1) {
    const children = Array.isArray(component.components) ? component.components : [];
    errors.badLength([...here, 'components'], children.length, limits.rowItems);
  }
  if (component.type === 2) {
    if (typeof component.label === 'string') {
      errors.maxLength([...here, 'label'], component.label.length, limits.buttonLabel);
    }
    if (typeof component.url === 'string') {
      errors.maxLength([...here, 'url'], component.url.length, limits.buttonUrl);
    }
    // docs Button: "Non-link and non-premium buttons must have a custom_id".
    if (component.style !== LINK && component.style !== PREMIUM && typeof customId !== 'string') {
      errors.required([...here, 'custom_id']);
    }
  }
  if (Array.isArray(component.components)) {
    component.components.forEach((child, index) => {
      checkComponent(errors, child, [...here, 'components', String(index)], customIds);
    });
  }
  for (const key of ['component', 'accessory'] as const) {
    if (component[key] && typeof component[key] === 'object') {
      checkComponent(errors, component[key], [...here, key], customIds);
    }
  }
}

function checkAllowedMentions(errors: FormErrors, raw: unknown, at: string[]): void {
  if (!raw || typeof raw !== 'object') return;
  const allowed = raw as JsonObject;
  const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
  for (const kind of ['users', 'roles'] as const) {
    const ids = Array.isArray(allowed[kind]) ? (allowed[kind] as unknown[]) : [];
    errors.maxLength([...at, 'allowed_mentions', kind], ids.length, LIMITS.message.allowedMentionIds);
    // docs Allowed Mentions: "the parse field is mutually exclusive with the other fields".
    if (parse.includes(kind) && ids.length > 0) {
      errors.add(
        [...at, 'allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

const IS_COMPONENTS_V2 = 1 << 15;

/**
 * Collects what Discord refuses in a message create/edit body (content, embeds, components, allowed
 * mentions), with paths under `at` (`['data']` for interaction callbacks, `['message']` for forum posts).
 */
export function messageBodyErrors(errors: FormErrors, body: JsonObject, at: string[] = []): void {
  if (typeof body.content === 'string') {
    errors.maxLength([...at, 'content'], body.content.length, LIMITS.message.content);
  }
  if (Array.isArray(body.embeds)) checkEmbeds(errors, body.embeds, at);
  if (Array.isArray(body.components)) {
    const isV2 = typeof body.flags === 'number' && (body.flags & IS_COMPONENTS_V2) !== 0;
    if (!isV2) errors.maxLength([...at, 'components'], body.components.length, LIMITS.message.actionRows);
    const customIds: CustomIds = [];
    body.components.forEach((component, index) => {
      checkComponent(errors, component, [...at, 'components', String(index)], customIds);
    });
    errors.uniqueCustomIds(customIds);
  }
  checkAllowedMentions(errors, body.allowed_mentions, at);
}

/**
 * Validates a message create/edit body the way Discord does: the limits of `limits.ts` (50035 with the
 * error tree), then, for a new message, that it is not empty (50006).
 */
export function validateMessageBody(
  body: JsonObject,
  options: { hasFiles: boolean; edit: boolean; at?: string[] },
): ApiError | null {
  const errors = new FormErrors();
  messageBodyErrors(errors, body, options.at ?? []);
  const invalid = errors.toApiError();
  if (invalid) return invalid;
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
