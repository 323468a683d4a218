import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SocketAck } from './types.ts';

/** Socket Mode envelope types. */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** How `dropSocket` ends the connection. */
export type DropMode = 'close' | 'disconnect-message' | 'terminate';

interface Pending {
  socket: WebSocket;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const HOST = 'applink-emulator-1';

/** The Socket Mode side of the emulator: tickets, connections, envelopes and acks. */
export class SocketHub {
  /** Every ack received, in order. */
  readonly acks: SocketAck[] = [];
  /** Connections accepted since start (reconnects included). */
  connectionsAccepted = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets: WebSocket[] = [];
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private connectWaiters: Array<() => void> = [];
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly appId: string,
    pingIntervalMs: number | undefined,
  ) {
    if (pingIntervalMs !== undefined) {
      this.pingTimer = setInterval(() => {
        for (const socket of this.sockets) socket.ping();
      }, pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.sockets.length;
  }

  /** A single-use `ws://` URL, as `apps.connections.open` returns. */
  issueUrl(baseWsUrl: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${baseWsUrl}/socket?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Handles an HTTP upgrade on `/socket`; unknown tickets get 401. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? '/', 'http://localhost').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Sends an envelope over the newest connection and resolves with the app's ack. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    extra: Record<string, unknown>,
    timeoutMs: number,
  ) {
    const socket = this.sockets.at(-1);
    if (!socket) return Promise.reject(new Error('No Socket Mode connection is open'));
    const envelopeId = randomUUID();
    const envelope = { envelope_id: envelopeId, payload, type, ...extra };
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`No ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { socket, resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Resolves once at least one connection has completed the hello. */
  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectWaiters = this.connectWaiters.filter((w) => w !== done);
        reject(new Error(`No Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectWaiters.push(done);
    });
  }

  /** Ends the newest connection from the server side and resolves once it is closed. */
  async drop(mode: DropMode): Promise<void> {
    const socket = this.sockets.at(-1);
    if (!socket) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (mode === 'terminate') socket.terminate();
    else if (mode === 'close') socket.close(1001, 'going away');
    else
      socket.send(
        JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: HOST } }),
      );
    await closed;
  }

  /** Closes every connection (politely, then forcibly after a second) and the server. */
  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => socket.terminate(), 1000);
            socket.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            socket.close(1001, 'server shutting down');
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.connectionsAccepted += 1;
    this.sockets.push(socket);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.onClose(socket));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private onMessage(text: string): void {
    let message: SocketAck;
    try {
      message = JSON.parse(text) as SocketAck;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    this.acks.push(message);
    const pending = this.pending.get(message.envelope_id);
    if (!pending) return;
    this.pending.delete(message.envelope_id);
    clearTimeout(pending.timer);
    pending.resolve(message);
  }

  private onClose(socket: WebSocket): void {
    const at = this.sockets.indexOf(socket);
    if (at >= 0) this.sockets.splice(at, 1);
    for (const [id, pending] of this.pending) {
      if (pending.socket !== socket) continue;
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new Error(`Socket closed before envelope ${id} was acked`));
    }
  }
}
