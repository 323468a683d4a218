export type ParsedBody =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly problem: string };

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Parses what Slack posts: JSON (Events API) or a form (slash commands; interactions carry their JSON in
 * a `payload` field). Accepts a `charset` parameter on the content type (pure).
 */
export function parseSlackBody(raw: string, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  try {
    if (type === 'application/json') {
      const body = asObject(JSON.parse(raw));
      return body ? { ok: true, body } : { ok: false, problem: 'JSON body is not an object' };
    }
    if (type === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      if (payload === null) return { ok: true, body: Object.fromEntries(form) };
      const body = asObject(JSON.parse(payload));
      return body ? { ok: true, body } : { ok: false, problem: 'payload is not an object' };
    }
  } catch {
    return { ok: false, problem: 'malformed JSON' };
  }
  return { ok: false, problem: `unsupported content type ${type || '(none)'}` };
}
