import type { JsonObject } from './objects.ts';
import { snowflake } from './snowflake.ts';
import { type ApiError, apiError } from './validate.ts';

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type FieldErrors = JsonObject;

function checkName(errors: FieldErrors, key: string, name: unknown, chatInput: boolean): void {
  const valid =
    typeof name === 'string' &&
    (chatInput ? NAME.test(name) && name === name.toLowerCase() : name.length <= 32);
  if (!valid) {
    errors[key] = {
      name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }] },
    };
  }
}

function checkOptions(errors: FieldErrors, options: unknown, path: string): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25) {
    errors[path] = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] };
  }
  options.forEach((raw, index) => {
    const option = (raw ?? {}) as JsonObject;
    const at = `${path}.${index}`;
    checkName(errors, at, option.name, true);
    if (
      typeof option.description !== 'string' ||
      option.description.length < 1 ||
      option.description.length > 100
    ) {
      errors[`${at}.description`] = {
        _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
      };
    }
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors[`${at}.choices`] = {
        _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }],
      };
    }
    checkOptions(errors, option.options, `${at}.options`);
  });
}

/** Validates one command body like Discord does for the common mistakes. */
function validateCommand(body: JsonObject, errors: FieldErrors, key: string): void {
  const type = typeof body.type === 'number' ? body.type : 1;
  checkName(errors, key, body.name, type === 1);
  if (type === 1) {
    const description = body.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      errors[`${key}.description`] = {
        _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
      };
    }
    checkOptions(errors, body.options, `${key}.options`);
  }
}

/** Application commands per scope (global or one guild), with stable ids per (type, name). */
export class CommandRegistry {
  private readonly scopes = new Map<string, JsonObject[]>();

  constructor(private readonly applicationId: string) {}

  /** Commands of a scope (`null` = global). */
  list(guildId: string | null): JsonObject[] {
    return [...(this.scopes.get(guildId ?? 'global') ?? [])];
  }

  /** Bulk overwrite (PUT): replaces the scope, keeping ids of commands that keep their name and type. */
  overwrite(guildId: string | null, bodies: unknown): JsonObject[] | ApiError {
    if (!Array.isArray(bodies)) return apiError(400, 50035, 'Invalid Form Body');
    const errors: FieldErrors = {};
    const seen = new Set<string>();
    bodies.forEach((raw, index) => {
      const body = (raw ?? {}) as JsonObject;
      validateCommand(body, errors, String(index));
      const key = `${body.type ?? 1}:${String(body.name)}`;
      if (seen.has(key)) {
        errors[String(index)] = {
          name: {
            _errors: [
              {
                code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
                message: 'Application command names must be unique',
              },
            ],
          },
        };
      }
      seen.add(key);
    });
    if (Object.keys(errors).length > 0) return apiError(400, 50035, 'Invalid Form Body', errors);
    const previous = this.list(guildId);
    const next = bodies.map((raw) => this.toCommand(guildId, raw as JsonObject, previous));
    this.scopes.set(guildId ?? 'global', next);
    return next;
  }

  /** Create-or-replace one command (POST). */
  upsert(guildId: string | null, body: JsonObject): { command: JsonObject; created: boolean } | ApiError {
    const errors: FieldErrors = {};
    validateCommand(body, errors, 'body');
    if (Object.keys(errors).length > 0) return apiError(400, 50035, 'Invalid Form Body', errors);
    const previous = this.list(guildId);
    const command = this.toCommand(guildId, body, previous);
    const created = !previous.some((c) => c.id === command.id);
    this.scopes.set(guildId ?? 'global', [...previous.filter((c) => c.id !== command.id), command]);
    return { command, created };
  }

  /** The command a user would invoke by name in a guild (guild commands win over global ones). */
  find(name: string, guildId: string | null): JsonObject | undefined {
    const inGuild = guildId
      ? this.list(guildId).find((c) => c.name === name && (c.type ?? 1) === 1)
      : undefined;
    return inGuild ?? this.list(null).find((c) => c.name === name && (c.type ?? 1) === 1);
  }

  private toCommand(guildId: string | null, body: JsonObject, previous: JsonObject[]): JsonObject {
    const type = typeof body.type === 'number' ? body.type : 1;
    const existing = previous.find((c) => c.name === body.name && c.type === type);
    return {
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      default_member_permissions: body.default_member_permissions ?? null,
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: body.description ?? '',
      description_localizations: body.description_localizations ?? null,
      ...(guildId ? { guild_id: guildId } : { dm_permission: body.dm_permission ?? true }),
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      nsfw: body.nsfw ?? false,
      options: body.options ?? [],
    };
  }
}
