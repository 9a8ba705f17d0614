import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/logger.js';
import { checkSignature } from './signature.js';

/**
 * The Interactions Endpoint URL: Discord POSTs each interaction here instead of sending it over
 * the gateway, so any instance behind a load balancer can take any interaction
 * (docs/discord-at-scale.md). This file is only the HTTP door: it bounds the body, checks
 * Discord's Ed25519 signature and the timestamp before reading anything else, answers PING,
 * and hands a verified interaction to `deliver`, which replies through the REST callback
 * endpoint exactly as for a gateway interaction. The request is then answered 202 with no
 * body, which is what Discord asks of an HTTP interaction answered through the callback.
 *
 * Everything here sees untrusted bytes: anything but a well-signed, fresh, well-formed JSON
 * interaction gets a 4xx and nothing else happens. Nothing secret is logged (the interaction
 * token is in the body; bodies are never logged).
 */
export interface InteractionEndpointOptions {
  publicKey: KeyObject;
  host: string;
  port: number;
  path: string;
  logger: Logger;
  /**
   * Runs a verified interaction; resolves once Discord has its initial response (or the
   * handler is done), 'unhandled' when nothing here takes this kind of interaction.
   */
  deliver: (interaction: RawInteraction) => Promise<'acknowledged' | 'unhandled'>;
  /** True while the service stops: the health check fails so a load balancer drains this instance. */
  stopping: () => boolean;
  now?: () => number;
  /** Largest body accepted (default 1 MiB; Discord's interactions are a few KiB to tens of KiB). */
  maxBodyBytes?: number;
  /** Largest accepted distance between the signed timestamp and now (default 5 min). */
  maxSkewS?: number;
}

/** An interaction as Discord sends it: verified, but only its frame (id, type, token) checked. */
export interface RawInteraction {
  id: string;
  type: number;
  token: string;
  application_id: string;
  guild_id?: string;
  [key: string]: unknown;
}

export interface InteractionEndpoint {
  /** `http://host:port/path` as bound (the port is the real one when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const PING = 1;

export async function startInteractionEndpoint(
  options: InteractionEndpointOptions,
): Promise<InteractionEndpoint> {
  const { logger: log } = options;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log.error('interaction endpoint failed', { error });
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // A slow client may not hold a connection for long: Discord sends the whole request at once.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '').split('?', 1)[0];
    if (pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      return options.stopping() ? send(res, 503, 'stopping') : send(res, 200, 'ok');
    }
    if (pathname !== options.path) return send(res, 404, 'not found');
    if (req.method !== 'POST') return send(res, 405, 'method not allowed', { allow: 'POST' });

    const body = await readBody(req, maxBody);
    if (body === 'too-large') return refuse(req, res, 413, 'body too large');
    if (body === 'aborted') return;

    const refusal = checkSignature(
      options.publicKey,
      {
        signature: header(req, 'x-signature-ed25519'),
        timestamp: header(req, 'x-signature-timestamp'),
        body,
      },
      now(),
      options.maxSkewS,
    );
    if (refusal) {
      // Discord itself sends bad signatures now and then to check that they are refused.
      log.debug('interaction request refused', { reason: `signature ${refusal}` });
      return send(res, 401, 'invalid request signature');
    }

    const interaction = parseInteraction(body);
    if (!interaction) return send(res, 400, 'not an interaction');
    if (interaction.type === PING) return sendJson(res, 200, { type: 1 });

    const outcome = await options.deliver(interaction);
    if (outcome === 'unhandled') return send(res, 400, 'unsupported interaction');
    res.writeHead(202).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${options.path}`;
  log.info('interactions endpoint listening', { url });

  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Whatever is still open after the service drained has nothing left to say.
      setTimeout(() => server.closeAllConnections(), 1_000).unref();
      await closed;
    },
  };
}

/** The whole body, or 'too-large' as soon as it passes `max` (from the header or while reading). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!Number.isFinite(declared) || declared > max) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Leaving the loop must not destroy the request: the 413 still has to be written.
    for await (const chunk of req.iterator({ destroyOnReturn: false })) {
      size += (chunk as Buffer).length;
      if (size > max) return 'too-large';
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'aborted';
  }
  return Buffer.concat(chunks, size);
}

/** A body's frame: an object with a numeric type, and for anything but PING an id and a token. */
function parseInteraction(body: Buffer): RawInteraction | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'number' || !Number.isInteger(v.type)) return null;
  if (v.type === PING) return v as RawInteraction;
  const snowflake = (s: unknown) => typeof s === 'string' && /^\d{1,25}$/.test(s);
  if (!snowflake(v.id) || !snowflake(v.application_id)) return null;
  if (typeof v.token !== 'string' || v.token.length === 0 || v.token.length > 500) return null;
  if (v.guild_id !== undefined && !snowflake(v.guild_id)) return null;
  return v as RawInteraction;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Answers and drops the connection: the rest of an oversized body is not worth reading. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.once('finish', () => req.destroy());
  send(res, status, text, { connection: 'close' });
}
