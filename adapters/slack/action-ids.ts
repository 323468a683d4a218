/** Every Heed button `action_id` and modal `callback_id` starts with this. */
export const HEED_PREFIX = 'heed:';

/** The `action_id` of the single text input inside each modal field block (the block id names the field). */
export const FIELD_ACTION_ID = 'value';

/** Matches `heed:<action>` with an optional `:<n>` when one message holds the same action twice. */
export const ACTION_ID_PATTERN = /^heed:([a-z][a-z-]{0,31})(?::\d{1,3})?$/;

/** Matches a modal's `heed:<action>` callback id. */
export const CALLBACK_ID_PATTERN = /^heed:([a-z][a-z-]{0,31})$/;

/** Issue ids are short url-safe strings (see `issueIdFor` in the core). */
export const ISSUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function encodeActionId(action: string, occurrence = 1): string {
  return occurrence > 1 ? `${HEED_PREFIX}${action}:${occurrence}` : `${HEED_PREFIX}${action}`;
}

export function encodeCallbackId(action: string): string {
  return `${HEED_PREFIX}${action}`;
}
