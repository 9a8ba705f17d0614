import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * Discord signs every request to the Interactions Endpoint URL with the application's Ed25519
 * key: `X-Signature-Ed25519` (hex) over `X-Signature-Timestamp` (unix seconds) followed by the
 * raw body. node:crypto verifies Ed25519 itself; it takes the raw 32-byte public key wrapped
 * in the fixed SPKI DER header for Ed25519 (RFC 8410), so no extra library is needed.
 */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key from its 64 hex digits (as the Developer Portal shows it). */
export function interactionPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex digits');
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'invalid';

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

/**
 * Null when the request is Discord's and fresh, else why not. A timestamp further than
 * `maxSkewS` from `nowMs` is refused even with a good signature: a captured request cannot be
 * replayed later. The signature is checked last and over the exact bytes received.
 */
export function checkSignature(
  key: KeyObject,
  request: SignedRequest,
  nowMs: number,
  maxSkewS = 300,
): SignatureRefusal | null {
  const { signature, timestamp, body } = request;
  if (signature === undefined || timestamp === undefined) return 'missing';
  // 64 signature bytes; the timestamp is decimal seconds (bounded so it cannot be a huge string).
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > maxSkewS) return 'stale';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? null : 'invalid';
}
