import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import { type HttpRoute, underPrefix } from '../ports/http-routes.ts';
import type { HealthCheck } from './health.ts';

export type { HttpHandler, HttpRoute } from '../ports/http-routes.ts';

function routeServes(route: HttpRoute, path: string): boolean {
  return route.prefix ? underPrefix(path, route.path) : route.path === path;
}

/** `GET /healthz` and `GET /metrics`. */
export function observabilityRoutes(options: {
  readonly health: Pick<HealthCheck, 'check'>;
  readonly metrics: { render(): Promise<string>; readonly contentType: string };
}): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      handler: async (_req, res) => {
        const report = await options.health.check();
        res.writeHead(report.status === 'ok' ? 200 : 503, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(JSON.stringify(report));
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        let body: string;
        try {
          body = await options.metrics.render();
        } catch {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('metrics are unavailable\n');
          return;
        }
        res.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' });
        res.end(body);
      },
    },
  ];
}

/** A small HTTP server of its own for the routes (Discord only, Socket Mode, or `HEED_METRICS_PORT`). */
export interface RouteServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Listens on `port` (0 for any) and serves `routes`; anything else is 404 (405 for a known path). */
export async function startRouteServer(
  routes: readonly HttpRoute[],
  options: { readonly port: number; readonly host?: string | undefined; readonly logger: Logger },
): Promise<RouteServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const atPath = routes.filter((route) => routeServes(route, path));
    const route = atPath.find((candidate) => candidate.method === method);
    if (!route) {
      res.writeHead(atPath.length > 0 ? 405 : 404);
      res.end();
      return;
    }
    Promise.resolve(route.handler(req, res)).catch((error: unknown) => {
      options.logger.error({ err: error, path }, 'HTTP request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port, paths: routes.map((route) => route.path) }, 'serving HTTP routes');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
