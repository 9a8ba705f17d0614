// Interactions over HTTP, as Discord sends them to an app's Interactions Endpoint URL: a POST
// of the interaction JSON, signed with the application's Ed25519 key (X-Signature-Ed25519 over
// X-Signature-Timestamp followed by the body). With several endpoints the fake plays a load
// balancer: each interaction goes to the next one in turn.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export interface SignedPostOptions {
  /** Override the signature (hex) or timestamp (unix seconds as text) to play an attacker. */
  signature?: string;
  timestamp?: string;
  /** Sign with this key instead of the application's (a forger's key). */
  key?: KeyObject;
  /** Extra or replacing headers (e.g. a lying content-length is not possible with fetch). */
  headers?: Record<string, string>;
  /** Leave the signature headers off entirely. */
  unsigned?: boolean;
}

export interface Delivery {
  url: string;
  /** The endpoint's HTTP status; 0 when it could not be reached. */
  status: number;
  body: string;
}

export class OutgoingWebhook {
  private readonly keys = generateKeyPairSync('ed25519');
  private endpoints: string[] = [];
  private next = 0;

  /** The application's public key as the Developer Portal shows it: 64 hex digits. */
  get publicKeyHex(): string {
    const der = this.keys.publicKey.export({ format: 'der', type: 'spki' });
    return der.subarray(der.length - 32).toString('hex');
  }

  /** From now on interactions go to these URLs in turn (none: back to the gateway). */
  use(urls: string[]): void {
    this.endpoints = [...urls];
    this.next = 0;
  }

  get active(): boolean {
    return this.endpoints.length > 0;
  }

  /** The next endpoint in round-robin order. */
  pick(): string {
    const url = this.endpoints[this.next % this.endpoints.length]!;
    this.next += 1;
    return url;
  }

  /** The application's signature over `timestamp` + `body` (hex), as Discord computes it. */
  signature(body: string | Buffer, timestamp: string): string {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return sign(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), bytes]), this.keys.privateKey).toString(
      'hex',
    );
  }

  /** POSTs `body` to `url` signed as Discord would (or as the options say). */
  async post(url: string, body: string | Buffer, options: SignedPostOptions = {}): Promise<Delivery> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    const signature =
      options.signature ??
      sign(
        null,
        Buffer.concat([Buffer.from(timestamp, 'utf8'), bytes]),
        options.key ?? this.keys.privateKey,
      ).toString('hex');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      ...(options.unsigned ? {} : { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }),
      ...options.headers,
    };
    try {
      const res = await fetch(url, { method: 'POST', headers, body: bytes });
      return { url, status: res.status, body: await res.text() };
    } catch (error) {
      return { url, status: 0, body: String((error as Error).cause ?? error) };
    }
  }
}
