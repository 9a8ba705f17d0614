// The gateway WebSocket: HELLO, IDENTIFY -> READY + one GUILD_CREATE per guild, heartbeat
// ACKs, RESUME with replay of missed events, and dispatch filtered by the intents the client
// identified with. Sessions outlive sockets so a reconnect can resume, as on Discord.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createDeflate, constants as zlibConstants } from 'node:zlib';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';

export const GATEWAY_PATH = '/gateway';
export const RESUME_PATH = '/gateway-resume';

export interface GatewayDeps {
  token: () => string;
  heartbeatIntervalMs: number;
  /** READY's `d` for a new session. */
  ready: (sessionId: string, resumeUrl: string) => unknown;
  /** GUILD_CREATE payloads for a session with these intents, sent right after READY. */
  guildCreates: (intents: number) => unknown[];
  /** Called on every frame and connection change (the test API's change signal). */
  changed: () => void;
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Dispatched events kept for RESUME replay (bounded). */
  sent: Array<{ s: number; t: string; d: unknown }>;
  socket?: WebSocket;
}

/** A frame the fake received, for tests that assert on gateway traffic. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  path: string;
  at: number;
}

const REPLAY_LIMIT = 1000;

/** One deflate stream per socket, each message ending in a sync flush (binary frames), which
 * is what Discord's zlib-stream transport is. */
function zlibStream(ws: WebSocket): (json: string) => void {
  const deflate = createDeflate();
  ws.once('close', () => deflate.close());
  // Compressed bytes arrive as 'data' before the flush callback (whether Node leaves them in the
  // readable buffer or emits them differs between Node lines, so collect them explicitly).
  let pending: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => pending.push(chunk));
  let queue = Promise.resolve();
  return (json) => {
    // Serialised so each frame holds exactly one message.
    queue = queue.then(
      () =>
        new Promise<void>((resolve) => {
          deflate.write(json);
          deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            const out = Buffer.concat(pending);
            pending = [];
            if (out.length > 0 && ws.readyState === ws.OPEN) ws.send(out, { binary: true });
            resolve();
          });
        }),
    );
  };
}

export class Gateway {
  readonly received: GatewayFrame[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly compressed = new WeakMap<WebSocket, (json: string) => void>();
  private nextSession = 1;

  constructor(
    private readonly deps: GatewayDeps,
    private readonly resumeUrl: () => string,
  ) {}

  /** Sessions with a live, identified socket. */
  get connected(): number {
    return [...this.sessions.values()].filter((s) => s.socket).length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== GATEWAY_PATH && url.pathname !== RESUME_PATH) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url));
  }

  private accept(ws: WebSocket, url: URL): void {
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json') {
      ws.close(4012, 'fake-discord speaks v=10&encoding=json only');
      return;
    }
    // discord.js asks for zlib-stream whenever the optional zlib-sync package is installed.
    if (url.searchParams.get('compress') === 'zlib-stream') this.compressed.set(ws, zlibStream(ws));
    let session: Session | undefined;
    const send = (payload: unknown) => this.send(ws, payload);
    send({
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.deps.heartbeatIntervalMs },
      s: null,
      t: null,
    });

    ws.on('message', (raw) => {
      let frame: { op: number; d: Record<string, unknown> | null };
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.received.push({ op: frame.op, d: frame.d, path: url.pathname, at: Date.now() });
      this.deps.changed();
      const d = frame.d ?? {};
      switch (frame.op) {
        case GatewayOpcodes.Heartbeat:
          send({ op: GatewayOpcodes.HeartbeatAck });
          return;
        case GatewayOpcodes.Identify:
          if (session) return void ws.close(4005, 'Already authenticated.');
          if (d.token !== this.deps.token()) return void ws.close(4004, 'Authentication failed.');
          session = this.identify(ws, Number(d.intents ?? 0));
          return;
        case GatewayOpcodes.Resume: {
          const found = this.sessions.get(String(d.session_id));
          if (!found || d.token !== this.deps.token()) {
            send({ op: GatewayOpcodes.InvalidSession, d: false });
            return;
          }
          session = found;
          this.attach(found, ws);
          for (const event of found.sent) if (event.s > Number(d.seq ?? 0)) send({ op: 0, ...event });
          this.emit(found, GatewayDispatchEvents.Resumed, {});
          return;
        }
        default:
          // Presence, voice and member requests need no answer here; anything before auth is
          // a protocol error on Discord too.
          if (!session) ws.close(4003, 'Not authenticated.');
      }
    });
    ws.on('close', (code) => {
      if (session?.socket === ws) session.socket = undefined;
      // A normal close ends the session; anything else (discord.js uses 4200) may resume.
      if (session && (code === 1000 || code === 1001)) this.sessions.delete(session.id);
      this.deps.changed();
    });
  }

  private identify(ws: WebSocket, intents: number): Session {
    const session: Session = { id: `fake-session-${this.nextSession++}`, intents, seq: 0, sent: [] };
    this.sessions.set(session.id, session);
    this.attach(session, ws);
    this.emit(session, GatewayDispatchEvents.Ready, this.deps.ready(session.id, this.resumeUrl()));
    for (const guild of this.deps.guildCreates(intents))
      this.emit(session, GatewayDispatchEvents.GuildCreate, guild);
    return session;
  }

  private attach(session: Session, ws: WebSocket): void {
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    this.deps.changed();
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState !== ws.OPEN) return;
    const compressed = this.compressed.get(ws);
    if (compressed) compressed(JSON.stringify(payload));
    else ws.send(JSON.stringify(payload));
  }

  private emit(session: Session, t: string, d: unknown): void {
    const event = { s: ++session.seq, t, d };
    session.sent.push(event);
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    if (session.socket) this.send(session.socket, { op: 0, ...event });
  }

  /** Send an event to every session that asked for its intent (no intent: always sent).
   * `d` may depend on the session's intents (GUILD_CREATE's member list does). */
  dispatch(t: string, d: unknown, intent?: number): void {
    for (const session of this.sessions.values()) {
      if (intent !== undefined && !(session.intents & intent)) continue;
      this.emit(session, t, typeof d === 'function' ? d(session.intents) : d);
    }
  }

  /** Ask every client to reconnect (op 7); discord.js then resumes on `resume_gateway_url`. */
  requestReconnect(): void {
    for (const { socket } of this.sessions.values()) {
      if (socket) this.send(socket, { op: GatewayOpcodes.Reconnect, d: null });
    }
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.sessions.clear();
    this.wss.close();
  }
}
