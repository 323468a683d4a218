import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { applyIntents, disallowedIntents } from './intents.ts';
import type { JsonObject } from './objects.ts';
import type { DiscordStore } from './store.ts';
import type { DispatchPayload, IdentifyRecord } from './types.ts';

const OPEN = 1;
const MAX_BUFFERED_EVENTS = 5000;

interface Session {
  id: string;
  seq: number;
  intents: number;
  events: DispatchPayload[];
  socket: WebSocket | null;
}

interface SocketState {
  session: Session | null;
  query: URLSearchParams;
}

/** Dependencies of the gateway. */
export interface GatewayDeps {
  store: DiscordStore;
  token: string;
  applicationId: string;
  heartbeatIntervalMs: number;
  privilegedIntents: { guildMembers?: boolean; guildPresences?: boolean; messageContent?: boolean };
  url: () => string;
}

/** Discord's gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, dispatches. */
export class Gateway {
  identifyCount = 0;
  resumeCount = 0;
  heartbeatCount = 0;
  readonly identifies: IdentifyRecord[] = [];
  /** Dispatches made while no session existed (lost, as on Discord). */
  readonly undelivered: DispatchPayload[] = [];
  /** Close codes of finished gateway connections (whichever side closed), in order. */
  readonly closeCodes: number[] = [];
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private current: Session | null = null;
  private readyWaiters: Array<() => void> = [];

  constructor(
    server: Server,
    private readonly deps: GatewayDeps,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket, request) => this.onConnection(socket, request));
  }

  /** True while an identified or resumed session has an open socket. */
  get connected(): boolean {
    return this.current?.socket?.readyState === OPEN;
  }

  /** The current session id, if any. */
  get sessionId(): string | null {
    return this.current?.id ?? null;
  }

  /** The last sequence number of the current session. */
  get sequence(): number {
    return this.current?.seq ?? 0;
  }

  /** Sends a dispatch to the current session (buffered for resume while the socket is down). */
  dispatch(t: string, d: unknown): DispatchPayload {
    const session = this.current;
    if (!session) {
      const lost: DispatchPayload = { op: 0, t, s: null, d };
      this.undelivered.push(lost);
      return lost;
    }
    return this.dispatchTo(session, t, d);
  }

  /** Re-sends an exact frame (same sequence number) on the open socket. */
  resend(payload: DispatchPayload): void {
    const socket = this.current?.socket;
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(payload));
  }

  /** Closes the current socket with a code; the session stays resumable. */
  dropConnection(code: number): void {
    const socket = this.current?.socket;
    if (!socket) return;
    socket.close(code, 'Emulator dropped the connection');
  }

  /** Sends INVALID_SESSION (op 9); when not resumable the session is forgotten. */
  invalidateSession(resumable: boolean): void {
    const session = this.current;
    if (!session?.socket) return;
    session.socket.send(JSON.stringify({ op: 9, d: resumable }));
    if (!resumable) {
      this.sessions.delete(session.id);
      this.current = null;
    }
  }

  /** Sends RECONNECT (op 7): the client should reconnect and resume. */
  requestReconnect(): void {
    this.current?.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Resolves once a session is live on an open socket (after READY or RESUMED). */
  waitForReady(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        reject(new Error(`discord emulator: no READY/RESUMED within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.push(done);
    });
  }

  /** Closes every socket and the websocket server. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private dispatchTo(session: Session, t: string, d: unknown): DispatchPayload {
    const data = applyIntents(t, d, session.intents, this.deps.store.botUser.id);
    if (data === null) return { op: 0, t, s: null, d };
    session.seq += 1;
    const payload: DispatchPayload = { op: 0, t, s: session.seq, d: data };
    session.events.push(payload);
    if (session.events.length > MAX_BUFFERED_EVENTS) session.events.shift();
    if (session.socket?.readyState === OPEN) session.socket.send(JSON.stringify(payload));
    return payload;
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    const state: SocketState = {
      session: null,
      query: new URL(request.url ?? '/', 'ws://localhost').searchParams,
    };
    socket.on('message', (raw) => this.onMessage(socket, state, raw.toString()));
    socket.on('close', (code) => {
      this.closeCodes.push(code);
      const session = state.session;
      if (!session || session.socket !== socket) return;
      session.socket = null;
      // Closing with 1000/1001 ends the session on Discord: it can no longer be resumed.
      if (code === 1000 || code === 1001) {
        this.sessions.delete(session.id);
        if (this.current === session) this.current = null;
      }
    });
    socket.on('error', () => {});
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.deps.heartbeatIntervalMs } }));
  }

  private onMessage(socket: WebSocket, state: SocketState, raw: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(raw) as { op?: unknown; d?: unknown };
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = (payload.d ?? {}) as JsonObject;
    switch (payload.op) {
      case 1:
        this.heartbeatCount += 1;
        socket.send(JSON.stringify({ op: 11 }));
        return;
      case 2:
        this.identify(socket, state, d);
        return;
      case 6:
        this.resume(socket, state, d);
        return;
      case 3:
      case 4:
        if (!state.session) socket.close(4003, 'Not authenticated.');
        return;
      case 8:
        if (!state.session) socket.close(4003, 'Not authenticated.');
        else this.requestMembers(d);
        return;
      default:
        socket.close(4001, 'Unknown opcode.');
    }
  }

  private identify(socket: WebSocket, state: SocketState, d: JsonObject): void {
    if (state.session) {
      socket.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.deps.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : Number.NaN;
    if (!Number.isInteger(intents) || intents < 0 || intents >= 1 << 26) {
      socket.close(4013, 'Invalid intent(s).');
      return;
    }
    if (disallowedIntents(intents, this.deps.privilegedIntents).length > 0) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.identifyCount += 1;
    this.identifies.push({
      intents,
      properties: (d.properties ?? {}) as Record<string, unknown>,
      shard: d.shard,
      compress: d.compress,
      at: Date.now(),
    });
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, intents, events: [], socket };
    this.sessions.set(session.id, session);
    this.current = session;
    state.session = session;
    const { store } = this.deps;
    this.dispatchTo(session, 'READY', {
      v: 10,
      user_settings: {},
      user: store.botUserJson(),
      guilds: [...store.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.deps.url(),
      shard: [0, 1],
      application: { id: this.deps.applicationId, flags: 565248 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['emulator'],
      auth: {},
      _trace: ['["discord-emulator",{"micros":0}]'],
    });
    for (const guildId of store.guilds.keys())
      this.dispatchTo(session, 'GUILD_CREATE', store.guildCreate(guildId));
    this.flushReadyWaiters();
  }

  private resume(socket: WebSocket, state: SocketState, d: JsonObject): void {
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session || d.token !== this.deps.token) {
      socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    const previous = session.socket;
    if (previous && previous !== socket && previous.readyState === OPEN)
      previous.close(4000, 'Session resumed elsewhere');
    session.socket = socket;
    state.session = session;
    this.current = session;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    for (const event of session.events) {
      if (event.s !== null && event.s > seq) socket.send(JSON.stringify(event));
    }
    this.resumeCount += 1;
    this.dispatchTo(session, 'RESUMED', { _trace: ['["discord-emulator",{"micros":0}]'] });
    this.flushReadyWaiters();
  }

  private requestMembers(d: JsonObject): void {
    const { store } = this.deps;
    const guildId = typeof d.guild_id === 'string' ? d.guild_id : '';
    const guild = store.guilds.get(guildId);
    if (!guild) return;
    const wanted = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const members = [...guild.members.values()]
      .filter((member) => (wanted ? wanted.includes(member.userId) : true))
      .filter((member) => store.user(member.userId).username.toLowerCase().startsWith(query))
      .slice(0, limit)
      .map((member) => store.memberJson(guildId, member.userId));
    const notFound = wanted ? wanted.filter((id) => !guild.members.has(id)) : [];
    this.dispatch('GUILD_MEMBERS_CHUNK', {
      guild_id: guildId,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(notFound.length > 0 ? { not_found: notFound } : {}),
      ...(d.presences ? { presences: [] } : {}),
      ...(typeof d.nonce === 'string' ? { nonce: d.nonce } : {}),
    });
  }

  private flushReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
