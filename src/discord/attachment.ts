import type { AttachmentValue } from '../commands/types.js';
import { type UserError, userError } from '../engine/errors.js';
import { formatDuration } from '../render/time.js';
import { formatSize } from '../sandbox/prepare/classify.js';
import type { Logger } from '../util/logger.js';
import { err, ok, type Result } from '../util/result.js';
import { type AllowedOrigin, isAllowedUrl } from './attachment-hosts.js';

/**
 * A Discord attachment as the commands see it: metadata now, bytes on request. The download
 * is refused before any request when the attachment says it is too big or lives outside the
 * allowed hosts, and is cut off when the body turns out bigger than `maxBytes` (a CDN's
 * Content-Length or the attachment's `size` can be wrong) or takes longer than the timeout.
 * Every refusal is a UserError in plain words; nothing is thrown for a bad download.
 */
export interface AttachmentMeta {
  filename: string;
  size: number;
  url: string;
  contentType: string | null;
}

export interface AttachmentPolicy {
  allowed: readonly AllowedOrigin[];
  timeoutMs: number;
  logger: Logger;
}

const tooBig = (filename: string, size: string, maxBytes: number) =>
  userError('invalid-input', `${filename} is ${size}; bots may be at most ${formatSize(maxBytes)}.`);

/**
 * The file name as messages quote it: the uploader chose it, so only letters, digits, "_", "-"
 * and "." (no markdown, mention or line break), at most 60 characters.
 */
export function shownFilename(filename: string): string {
  const safe = filename.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return safe.length > 60 ? `${safe.slice(0, 59)}…` : safe || 'the file';
}

export function attachmentValue(meta: AttachmentMeta, policy: AttachmentPolicy): AttachmentValue {
  return {
    filename: meta.filename,
    size: meta.size,
    contentType: meta.contentType,
    download: (maxBytes) => download(meta, policy, maxBytes),
  };
}

async function download(
  meta: AttachmentMeta,
  policy: AttachmentPolicy,
  maxBytes: number,
): Promise<Result<Uint8Array, UserError>> {
  const filename = shownFilename(meta.filename);
  if (meta.size > maxBytes) return err(tooBig(filename, formatSize(meta.size), maxBytes));
  const url = URL.canParse(meta.url) ? new URL(meta.url) : null;
  if (!url || !isAllowedUrl(url, policy.allowed)) {
    policy.logger.warn('attachment refused: host not allowed', { host: url?.host ?? 'unparsable' });
    return err(
      userError(
        'invalid-input',
        `${filename} is not stored on Discord (${url?.host ?? 'an unreadable address'}), so it was not downloaded. Attach the file itself to /submit.`,
      ),
    );
  }
  const failed = (why: string) =>
    err(userError('unavailable', `Downloading ${filename} ${why}. Please try /submit again.`));
  const signal = AbortSignal.timeout(policy.timeoutMs);
  const timedOut = () => failed(`took longer than ${formatDuration(policy.timeoutMs, { units: 1 })}`);
  let response: Response;
  try {
    // Redirects could lead anywhere: the allow-list covers only the first address.
    response = await fetch(url, { signal, redirect: 'error' });
  } catch (error) {
    if (signal.aborted) return timedOut();
    policy.logger.warn('attachment download failed', { host: url.host, error });
    return failed('failed');
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    policy.logger.warn('attachment download refused by the CDN', { host: url.host, status: response.status });
    return failed(`failed (the file host answered ${response.status})`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    return err(tooBig(filename, formatSize(declared), maxBytes));
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => {});
        policy.logger.warn('attachment larger than announced', {
          host: url.host,
          announced: meta.size,
          received,
        });
        return err(tooBig(filename, `larger than ${formatSize(maxBytes)}`, maxBytes));
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (signal.aborted) return timedOut();
    policy.logger.warn('attachment download broke off', { host: url.host, received, error });
    return failed('broke off');
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  policy.logger.debug('attachment downloaded', { host: url.host, bytes: received });
  return ok(bytes);
}
