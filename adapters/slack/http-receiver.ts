import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, type Receiver, ReceiverMultipleAckError } from '@slack/bolt';
import type { Logger } from '../../src/logging/logger.ts';
import { underPrefix } from '../../src/ports/http-routes.ts';
import { deliverEvent, isEventCallback } from './deliver-event.ts';
import type { EventGate } from './event-gate.ts';
import { parseSlackBody } from './request-body.ts';
import { MAX_SKEW_SECONDS, verifySlackSignature } from './signature.ts';

/** A handler for an extra route on the adapter's HTTP server (health, metrics). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface SlackHttpReceiverOptions {
  readonly signingSecret: string;
  readonly gate: EventGate;
  readonly logger: Logger;
  /** Where Slack posts events, commands and interactions; `undefined` serves only extra routes. */
  readonly endpoint?: string | undefined;
  readonly maxSkewSeconds?: number;
  readonly bodyLimitBytes?: number;
  /** Commands and interactions must be acknowledged within this (Slack gives up after 3 s). */
  readonly ackTimeoutMs?: number;
  readonly now?: () => number;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering and discard the rest, so the client still reads the 413.
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isSslCheck(raw: Buffer, contentType: string | undefined): boolean {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return false;
  return new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined || body === '') {
    res.writeHead(status);
    res.end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

/**
 * A Bolt receiver that owns a plain node HTTP server. It verifies every Slack request itself (signature
 * over the raw body, timestamps within five minutes either way), answers Events API deliveries only once
 * the message is stored (500 when storing failed, so Slack retries; retries of a handled `event_id` are
 * answered without work), acks commands and interactions within 3 s, and serves extra routes.
 */
export class SlackHttpReceiver implements Receiver {
  readonly server: Server;
  private app: App | undefined;
  private readonly routes = new Map<string, RouteHandler>();
  private readonly prefixes: { method: string; path: string; handler: RouteHandler }[] = [];
  private accepting = true;
  private readonly options: Required<Omit<SlackHttpReceiverOptions, 'endpoint'>> & {
    endpoint: string | undefined;
  };

  constructor(options: SlackHttpReceiverOptions) {
    this.options = {
      maxSkewSeconds: MAX_SKEW_SECONDS,
      bodyLimitBytes: 4 * 1024 * 1024,
      ackTimeoutMs: 3_000,
      now: Date.now,
      ...options,
      endpoint: options.endpoint,
    };
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'HTTP request failed');
        send(res, 500);
      });
    });
  }

  init(app: App): void {
    this.app = app;
  }

  /**
   * Adds a route (`GET /healthz`, …) served beside the Slack endpoint; with `prefix`, every path under
   * it (`/dashboard/` serves `/dashboard`, `/dashboard/` and `/dashboard/…`).
   */
  route(method: string, path: string, handler: RouteHandler, options: { prefix?: boolean } = {}): void {
    if (options.prefix) this.prefixes.push({ method: method.toUpperCase(), path, handler });
    else this.routes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  async start(port = 3000, host?: string): Promise<Server> {
    this.accepting = true;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server;
  }

  get port(): number | undefined {
    const address = this.server.address() as AddressInfo | null;
    return address?.port;
  }

  /** Refuses new Slack requests (503, Slack retries elsewhere), lets in-flight ones finish, closes. */
  async stop(): Promise<void> {
    this.accepting = false;
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route =
      this.routes.get(`${method} ${path}`) ??
      this.prefixes.find((p) => p.method === method && underPrefix(path, p.path))?.handler;
    if (route) return route(req, res);
    if (this.options.endpoint === undefined || path !== this.options.endpoint || !this.app)
      return send(res, 404);
    if (method !== 'POST') return send(res, 405);
    if (!this.accepting) return send(res, 503);
    await this.handleSlack(this.app, req, res);
  }

  private async handleSlack(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    let raw: Buffer;
    try {
      raw = await readBody(req, this.options.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        logger.warn({ limit: this.options.bodyLimitBytes }, 'refused a Slack request: body too large');
        res.writeHead(413, { connection: 'close' });
        res.end();
        return;
      }
      throw error;
    }
    // Slack's certificate check is unsigned; it is answered and nothing else is read from it (as Bolt does).
    if (isSslCheck(raw, header(req, 'content-type'))) return send(res, 200);
    const verdict = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      signature: header(req, 'x-slack-signature'),
      timestamp: header(req, 'x-slack-request-timestamp'),
      rawBody: raw,
      nowMs: this.options.now(),
      maxSkewSeconds: this.options.maxSkewSeconds,
    });
    if (!verdict.ok) {
      logger.warn(
        { problem: verdict.problem, skewSeconds: verdict.skewSeconds, remote: req.socket.remoteAddress },
        'refused a Slack request: signature check failed',
      );
      return send(res, 401);
    }
    const parsed = parseSlackBody(raw.toString('utf8'), header(req, 'content-type'));
    if (!parsed.ok) {
      logger.warn({ problem: parsed.problem }, 'refused a Slack request: unreadable body');
      return send(res, 400);
    }
    const body = parsed.body;
    if (body.type === 'url_verification') return send(res, 200, { challenge: String(body.challenge ?? '') });
    const retryNum = Number.parseInt(header(req, 'x-slack-retry-num') ?? '', 10);
    const retryReason = header(req, 'x-slack-retry-reason');
    const retry = {
      ...(Number.isNaN(retryNum) ? {} : { retryNum }),
      ...(retryReason !== undefined ? { retryReason } : {}),
    };
    if (isEventCallback(body)) {
      const outcome = await deliverEvent(app, this.options.gate, { body, ack: async () => {}, ...retry });
      if (outcome.ok) {
        if (outcome.duplicate)
          logger.debug({ eventId: body.event_id, ...retry }, 'Slack retry of a handled event');
        return send(res, 200);
      }
      logger.error(
        { err: outcome.error, eventId: body.event_id, ...retry },
        'could not store a Slack event; answered 500 so Slack retries',
      );
      return send(res, 500);
    }
    await this.handleInteraction(app, body, res);
  }

  // Slash commands and interactions: the listener acks (with a response body or empty) within 3 s.
  private async handleInteraction(
    app: App,
    body: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<void> {
    const { logger } = this.options;
    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      logger.error({ type: body.type }, 'a Slack command or interaction was not acknowledged within 3 s');
      send(res, 500);
    }, this.options.ackTimeoutMs);
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      clearTimeout(timer);
      send(res, 200, response);
    };
    try {
      await app.processEvent({ body, ack });
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        logger.warn({ type: body.type }, 'no listener handled a Slack command or interaction');
        send(res, 404);
      }
    } catch (error) {
      clearTimeout(timer);
      logger.error({ err: error, type: body.type }, 'a Slack command or interaction failed');
      if (!acked) {
        acked = true;
        send(res, 500);
      }
    }
  }
}
