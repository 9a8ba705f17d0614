// The attachment CDN: registered bytes behind real-looking URLs. The host in a URL is
// configurable so a bot's attachment-host allow-list can be tested both ways: `127.0.0.1` and
// `localhost` both reach this server, a `.invalid` host reaches nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIAttachment } from 'discord.js';
import { apiAttachment } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { Blob, Store } from './store.js';

export interface AttachmentInput {
  filename: string;
  bytes: Uint8Array | string;
  contentType?: string;
  description?: string;
  channelId?: string;
  /** Host name (optionally `host:port`) to put in the URL; defaults to the fake's CDN host. */
  host?: string;
  /** The `size` the attachment object claims; defaults to the real byte count. */
  advertisedSize?: number;
  /** Content-Length header to send; `false` for none (chunked). Defaults to the real byte count.
   * Smaller than the bytes: the client reads only that many. Larger: the connection is cut
   * after the real bytes (a truncated download). */
  contentLength?: number | false;
  /** Serve slowly: this many bytes, then `chunkDelayMs` of silence, repeated. */
  chunkBytes?: number;
  chunkDelayMs?: number;
}

export const CDN_PREFIX = '/cdn/attachments/';

/** Register bytes and answer the attachment object Discord would put in `resolved.attachments`. */
export function addBlob(
  store: Store,
  origin: (host?: string) => string,
  input: AttachmentInput,
): APIAttachment {
  const bytes = typeof input.bytes === 'string' ? Buffer.from(input.bytes) : input.bytes;
  const blob: Blob = {
    id: snowflake(),
    channelId: input.channelId ?? '0',
    filename: input.filename,
    bytes,
    contentType: input.contentType ?? 'application/octet-stream',
    ...(input.contentLength !== undefined ? { contentLength: input.contentLength } : {}),
    ...(input.chunkBytes ? { chunkBytes: input.chunkBytes, chunkDelayMs: input.chunkDelayMs ?? 10 } : {}),
  };
  store.blobs.set(blob.id, blob);
  // Signed-URL parameters like the real CDN's, so code that strips or keeps them is exercised.
  const expires = Math.floor(Date.now() / 1000) + 86_400;
  const query = `ex=${expires.toString(16)}&is=${(expires - 86_400).toString(16)}&hm=${'0'.repeat(64)}`;
  const url = `${origin(input.host)}${CDN_PREFIX}${blob.channelId}/${blob.id}/${encodeURIComponent(blob.filename)}?${query}`;
  return apiAttachment({
    id: blob.id,
    filename: blob.filename,
    size: input.advertisedSize ?? bytes.byteLength,
    url,
    contentType: blob.contentType,
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
}

/** Serve `/cdn/attachments/:channel/:id/:filename`; answers the status it sent. */
export async function serveBlob(
  store: Store,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
): Promise<number> {
  const [, id, filename] = path.slice(CDN_PREFIX.length).split('/');
  const blob = id ? store.blobs.get(id) : undefined;
  if (!blob || blob.filename !== filename) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return 404;
  }
  const headers: Record<string, string | number> = { 'content-type': blob.contentType };
  if (blob.contentLength !== false) headers['content-length'] = blob.contentLength ?? blob.bytes.byteLength;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  const step = blob.chunkBytes ?? blob.bytes.byteLength;
  for (let at = 0; at < blob.bytes.byteLength; at += step) {
    // A client that gave up (byte limit, timeout) closes the socket: stop, don't buffer the rest.
    if (res.destroyed || closing.aborted) return 200;
    const chunk = blob.bytes.subarray(at, at + step);
    const ok = res.write(chunk);
    blob.sentBytes = (blob.sentBytes ?? 0) + chunk.byteLength;
    if (blob.chunkBytes) await sleep(blob.chunkDelayMs ?? 10, undefined, { signal: closing }).catch(() => {});
    else if (!ok) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  if (typeof blob.contentLength === 'number' && blob.contentLength > blob.bytes.byteLength) res.destroy();
  else res.end();
  return 200;
}
