import type { JsonObject } from './objects.ts';
import type { ApiError } from './validate.ts';

/** A parsed multipart file. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** A REST request after parsing. */
export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

/** A REST response before serialization. */
export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One REST route. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template with `:param` segments, e.g. `/channels/:id/messages`. */
  path: string;
  /** Whether `Authorization: Bot <token>` is required. */
  auth: boolean;
  handle: (request: RestRequest) => RestResponse | ApiError | Promise<RestResponse | ApiError>;
}

/** A successful JSON response. */
export function ok(body: unknown, status = 200): RestResponse {
  return { status, body };
}

/** An empty 204 response. */
export function noContent(): RestResponse {
  return { status: 204 };
}

/** The request body as an object (empty object when it is not one). */
export function bodyObject(request: RestRequest): JsonObject {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {};
}

function matchTemplate(template: string, path: string): Record<string, string> | null {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const g = decodeURIComponent(got[i] ?? '');
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return null;
  }
  return params;
}

/** Outcome of routing: a match, a path known for other methods (405), or nothing (404). */
export type RouteMatch =
  | { kind: 'match'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/** Finds the first route whose template matches (literal routes must come before param routes). */
export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch {
  let pathKnown = false;
  for (const route of routes) {
    const params = matchTemplate(route.path, path);
    if (!params) continue;
    if (route.method === method) return { kind: 'match', route, params };
    pathKnown = true;
  }
  return pathKnown ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}
