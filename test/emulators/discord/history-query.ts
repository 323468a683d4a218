import type { JsonObject } from './objects.ts';
import { type ApiError, apiError } from './validate.ts';

/** Where a page of channel messages is anchored. */
export type MessageAnchor = { kind: 'before' | 'after' | 'around'; id: bigint };

/** The validated query of `GET /channels/{id}/messages`. */
export interface MessageQuery {
  limit: number;
  anchor: MessageAnchor | undefined;
}

const SNOWFLAKE = /^\d{1,20}$/;
const INTEGER = /^-?\d+$/;

/** One field's 50035 error, in Discord's `{ field: { _errors: [...] } }` shape. */
function formError(field: string, code: string, message: string): ApiError {
  return apiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

/**
 * Reads an integer query field within bounds, answering Discord's 50035 errors otherwise: above the
 * maximum Discord answers `NUMBER_TYPE_MAX` "int value should be less than or equal to 100." (reported
 * verbatim by bots that passed 101); it does not clamp.
 */
export function readBoundedInt(
  query: Record<string, string>,
  field: string,
  bounds: { min: number; max: number; default: number },
): number | ApiError {
  const raw = query[field];
  if (raw === undefined) return bounds.default;
  if (!INTEGER.test(raw)) return formError(field, 'NUMBER_TYPE_COERCE', `Value "${raw}" is not int.`);
  const value = Number(raw);
  if (value < bounds.min) {
    return formError(field, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${bounds.min}.`);
  }
  if (value > bounds.max) {
    return formError(field, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${bounds.max}.`);
  }
  return value;
}

/**
 * Validates `limit` (1–100, default 50) and the anchors. Discord documents `before`, `after` and
 * `around` as mutually exclusive ("only one may be passed at a time"); the live API has been seen to
 * answer anyway, silently using one of them (a 2017 report: `after` won over `before`). The emulator
 * refuses the combination instead, so a caller that sends two finds out here rather than by missing
 * messages in production.
 */
export function readMessageQuery(query: Record<string, string>): MessageQuery | ApiError {
  const limit = readBoundedInt(query, 'limit', { min: 1, max: 100, default: 50 });
  if (typeof limit !== 'number') return limit;
  const given = (['around', 'before', 'after'] as const).filter((kind) => query[kind] !== undefined);
  for (const kind of given) {
    const raw = query[kind] ?? '';
    if (!SNOWFLAKE.test(raw))
      return formError(kind, 'NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`);
  }
  if (given.length > 1) {
    const errors: JsonObject = {};
    for (const kind of given) {
      errors[kind] = {
        _errors: [
          {
            code: 'EMULATOR_MUTUALLY_EXCLUSIVE',
            message: 'before, after and around are mutually exclusive; only one may be passed at a time.',
          },
        ],
      };
    }
    return apiError(400, 50035, 'Invalid Form Body', errors);
  }
  const [kind] = given;
  return { limit, anchor: kind ? { kind, id: BigInt(query[kind] ?? '0') } : undefined };
}
