import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CallLog } from './call-log.ts';
import type { FaultInjector, FaultOutcome } from './faults.ts';
import type { HistorySettings, MethodRateLimiter } from './history-limits.ts';
import type { ChannelPostLimiter } from './post-limits.ts';
import { parseApiRequest, readBody } from './request-parsing.ts';
import type { ResponseUrls } from './response-urls.ts';
import type { SocketHub } from './socket-hub.ts';
import type { CallRecord } from './types.ts';
import { webApiMethods } from './web-api.ts';
import { type ApiHooks, type ApiReply, fail } from './web-api-common.ts';
import type { Workspace } from './workspace.ts';

/** What the HTTP front end routes to. */
export interface ServerDeps {
  ws: Workspace;
  calls: CallLog;
  faults: FaultInjector;
  responseUrls: ResponseUrls;
  hooks: ApiHooks;
  botToken: string;
  appToken: string | undefined;
  socketHub: SocketHub | undefined;
  /** Slack's per-method rate limits (the history methods' tiers). */
  limiter: MethodRateLimiter;
  /** Slack's per-channel limit on posting (`chat.postMessage`, about one a second). */
  postLimiter: ChannelPostLimiter;
  history: HistorySettings;
}

interface Answer {
  status: number;
  reply: ApiReply;
  headers?: Record<string, string>;
}

/** The emulator's HTTP server: `/api/<method>`, `/response/<id>` and the `/socket` upgrade. */
export function createEmulatorServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, { status: 500, reply: fail('internal_error', { detail: String(error) }) });
    });
  });
  server.on('upgrade', (req, socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/socket' && deps.socketHub) deps.socketHub.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  return server;
}

async function route(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const raw = await readBody(req);
  if (path.startsWith('/api/')) {
    const method = decodeURIComponent(path.slice('/api/'.length));
    const { args, token } = parseApiRequest(req, raw);
    const answer = answerApi(deps, method, args, token);
    record(deps, method, args, answer);
    send(res, answer);
    return;
  }
  if (path.startsWith('/response/') && req.method === 'POST') {
    const id = path.slice('/response/'.length);
    const args = parseJsonObject(raw);
    const answer = faultAnswer(deps.faults.take('response_url', args)) ?? deps.responseUrls.handle(id, args);
    record(deps, 'response_url', args, answer, `http://${req.headers.host}${path}`);
    send(res, answer);
    return;
  }
  send(res, { status: 404, reply: fail('not_found') });
}

function answerApi(
  deps: ServerDeps,
  method: string,
  args: Record<string, unknown>,
  token: string | undefined,
): Answer {
  const forced = faultAnswer(deps.faults.take(method, args));
  if (forced) return forced;
  const spec = webApiMethods[method];
  if (!spec) return { status: 200, reply: fail('unknown_method', { req_method: method }) };
  if (token === undefined || token === '') return { status: 200, reply: fail('not_authed') };
  const kind = token === deps.botToken ? 'bot' : token === deps.appToken ? 'app' : undefined;
  if (kind === undefined) return { status: 200, reply: fail('invalid_auth') };
  if (kind !== spec.token) return { status: 200, reply: fail('not_allowed_token_type') };
  const retryAfterSeconds =
    deps.limiter.take(method) ?? deps.postLimiter.take(method, channelKey(deps.ws, args.channel));
  if (retryAfterSeconds !== undefined) return rateLimited(retryAfterSeconds);
  return { status: 200, reply: spec.handle({ ws: deps.ws, args, hooks: deps.hooks, history: deps.history }) };
}

/** The conversation a `channel` argument names (id, name or `#name`), else the argument itself (a user id). */
function channelKey(ws: Workspace, channel: unknown): string | undefined {
  if (typeof channel !== 'string' || channel === '') return undefined;
  return ws.findChannel(channel)?.id ?? channel;
}

/** Slack's answer to a call over its rate limit: HTTP 429, `Retry-After` in seconds, `ratelimited`. */
function rateLimited(retryAfterSeconds: number): Answer {
  return { status: 429, reply: fail('ratelimited'), headers: { 'retry-after': String(retryAfterSeconds) } };
}

function faultAnswer(outcome: FaultOutcome | undefined): Answer | undefined {
  if (!outcome) return undefined;
  if (outcome.kind === 'rate_limit') return rateLimited(outcome.retryAfterSeconds);
  if (outcome.kind === 'error') return { status: 200, reply: fail(outcome.error) };
  return { status: outcome.status, reply: fail(`http_${outcome.status}`) };
}

function record(
  deps: ServerDeps,
  method: string,
  args: Record<string, unknown>,
  answer: Answer,
  url?: string,
): void {
  const call: CallRecord = { method, args, at: Date.now(), ok: answer.reply.ok, status: answer.status };
  if (answer.reply.error !== undefined) call.error = answer.reply.error;
  if (url !== undefined) call.url = url;
  deps.calls.add(call);
}

function parseJsonObject(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.reply));
}
