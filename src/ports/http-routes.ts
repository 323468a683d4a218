/**
 * Extra HTTP routes (health, metrics, the web dashboard) that whichever server Heed runs serves: the
 * Slack adapter's, beside its endpoint, or Heed's own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Handles one HTTP request (the shape of the Slack adapter's extra routes). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** One route: method, path and handler; a `prefix` route serves every path under its own. */
export interface HttpRoute {
  readonly method: 'GET';
  readonly path: string;
  readonly handler: HttpHandler;
  readonly prefix?: boolean;
}

/** Whether `path` is `prefix` (with or without its trailing slash) or under it. */
export function underPrefix(path: string, prefix: string): boolean {
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === bare || path.startsWith(`${bare}/`);
}
