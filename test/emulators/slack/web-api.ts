import { chatMethods } from './web-api-chat.ts';
import type { MethodSpec } from './web-api-common.ts';
import { conversationMethods } from './web-api-conversations.ts';
import { historyMethods } from './web-api-history.ts';
import { identityMethods } from './web-api-identity.ts';
import { viewMethods } from './web-api-views.ts';

/** Every Web API method the emulator implements, by name. */
export const webApiMethods: Record<string, MethodSpec> = {
  ...chatMethods,
  ...conversationMethods,
  ...historyMethods,
  ...identityMethods,
  ...viewMethods,
};

/** Fields @slack/web-api sends as JSON strings inside a form body. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
]);

/** Parses JSON-typed fields that arrived as strings; leaves anything unparsable as it was. */
export function decodeJsonFields(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}
