import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.ts';
import type { Fault, FaultQueue } from './faults.ts';
import { bucketHash, type RouteLimiter } from './rate-limits.ts';
import { matchRoute, type RestResponse, type RouteDef, type UploadedFile } from './router.ts';
import { type ApiError, apiError } from './validate.ts';

const API_PREFIX = /^\/api(?:\/v(\d+))?(\/.*)?$/;

/** Everything the HTTP handler needs. */
export interface HttpDeps {
  token: string;
  routes: readonly RouteDef[];
  log: CallLog;
  faults: FaultQueue;
  limiter: RouteLimiter;
}

interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string): Promise<ParsedBody | ApiError> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            body = JSON.parse(value);
          } catch {
            return apiError(400, 50109, 'The request body contains invalid JSON.');
          }
        }
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        size: value.size,
      });
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return apiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

function isApiError(value: ApiError | ParsedBody): value is ApiError {
  return !('files' in value);
}

// An injected fault's answer; a 429 claims the route's bucket is spent until its retryAfterSeconds.
function faultResponse(fault: Fault, route: string): RestResponse {
  if (fault.kind === 'fail') {
    const body = fault.body ?? { message: `${fault.status}: Emulated failure`, code: 0 };
    return { status: fault.status, body };
  }
  const retryAfter = fault.retryAfterSeconds;
  const global = fault.global ?? false;
  const headers: Record<string, string> = {
    'retry-after': String(Math.ceil(retryAfter)),
    'x-ratelimit-scope': fault.scope ?? (global ? 'global' : 'user'),
  };
  if (global) {
    headers['x-ratelimit-global'] = 'true';
  } else {
    Object.assign(headers, {
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': retryAfter.toFixed(3),
      'x-ratelimit-bucket': bucketHash(route),
    });
  }
  return {
    status: 429,
    headers,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
  };
}

/** Creates the node:http request listener serving Discord's REST API under `/api/v10`. */
export function createRestHandler(
  deps: HttpDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  const send = (response: ServerResponse, result: RestResponse): void => {
    const headers: Record<string, string> = { ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      response.writeHead(result.status, headers).end();
      return;
    }
    const text = JSON.stringify(result.body);
    headers['content-type'] = 'application/json';
    response.writeHead(result.status, headers).end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const prefix = API_PREFIX.exec(url.pathname);
    if (!prefix) {
      send(response, { status: 404, body: { message: '404: Not Found', code: 0 } });
      return;
    }
    const path = prefix[2] ?? '/';
    const query = Object.fromEntries(url.searchParams.entries());
    const raw = await readBody(request);
    const parsed = await parseBody(raw, String(request.headers['content-type'] ?? ''));
    const match = matchRoute(deps.routes, method, path);
    const routeTemplate = match.kind === 'match' ? `${method} ${match.route.path}` : 'UNKNOWN';
    const body = isApiError(parsed) ? null : parsed.body;
    const files = isApiError(parsed) ? [] : parsed.files;

    const result = await (async (): Promise<RestResponse> => {
      const fault = deps.faults.take(routeTemplate, `${method} ${path}`);
      if (fault) return faultResponse(fault, routeTemplate);
      if (match.kind === 'not-found') return { status: 404, body: { message: '404: Not Found', code: 0 } };
      if (match.kind === 'method-not-allowed') {
        return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
      }
      if (match.route.auth && request.headers.authorization !== `Bot ${deps.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      const bucket = deps.limiter.take(routeTemplate, match.params);
      if (bucket?.refused) return bucket.refused;
      if (isApiError(parsed)) return { ...parsed, headers: bucket?.headers ?? {} };
      const handled = await match.route.handle({ method, path, params: match.params, query, body, files });
      const extra = 'headers' in handled ? handled.headers : undefined;
      return { ...handled, headers: { ...bucket?.headers, ...extra } };
    })().catch((error: unknown): RestResponse => {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: { message: `500: Internal Server Error (${message})`, code: 0 } };
    });

    deps.log.record({
      method,
      path,
      route: routeTemplate,
      query,
      body,
      files: files.map((f) => ({ ...f })),
      at: Date.now(),
      status: result.status,
    });
    send(response, result);
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, { status: 500, body: { message: String(error), code: 0 } });
    });
  };
}
