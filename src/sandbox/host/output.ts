import { OutputLimitExceeded, type OutputStreamName } from './errors.js';

/**
 * Where a guest's stdout or stderr goes: an in-memory byte buffer with a hard cap. Nothing is
 * ever forwarded to the host's own stdio.
 */
export interface OutputSink {
  /**
   * Appends `bytes` (copied; the caller may reuse its buffer). Past the cap it keeps what still
   * fits, so the author sees their output up to the limit, and throws OutputLimitExceeded.
   */
  write(bytes: Uint8Array): void;
  /** A copy of everything captured so far. */
  readonly bytes: Uint8Array;
  /** Bytes captured so far. */
  readonly length: number;
  /** The cap in bytes. */
  readonly cap: number;
  /**
   * Whether a write has gone past the cap since the last reset. Sticky, so the caller can give
   * the verdict even if a guest caught the exception (wasm exception handling can catch JS
   * exceptions) and carried on.
   */
  readonly exceeded: boolean;
  /** The captured bytes decoded as UTF-8 (invalid sequences become U+FFFD). */
  text(): string;
  /** Forgets everything captured (and the exceeded flag), e.g. between moves; keeps the buffer. */
  reset(): void;
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const FIRST_ALLOCATION = 256;

class CappedSink implements OutputSink {
  #buffer = new Uint8Array(0);
  #length = 0;
  #exceeded = false;

  constructor(
    readonly cap: number,
    readonly stream: OutputStreamName,
  ) {}

  write(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n === 0) return;
    const room = this.cap - this.#length;
    if (n > room) {
      if (room > 0) this.#append(bytes.subarray(0, room));
      this.#exceeded = true;
      throw new OutputLimitExceeded(this.stream, this.cap);
    }
    this.#append(bytes);
  }

  #append(bytes: Uint8Array): void {
    const end = this.#length + bytes.length;
    if (end > this.#buffer.length) {
      // Grow geometrically but never past the cap: a capped sink never holds more than cap bytes.
      const size = Math.min(this.cap, Math.max(end, this.#buffer.length * 2, FIRST_ALLOCATION));
      const next = new Uint8Array(size);
      next.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = next;
    }
    this.#buffer.set(bytes, this.#length);
    this.#length = end;
  }

  get bytes(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  get length(): number {
    return this.#length;
  }

  get exceeded(): boolean {
    return this.#exceeded;
  }

  text(): string {
    return decoder.decode(this.#buffer.subarray(0, this.#length));
  }

  reset(): void {
    this.#length = 0;
    this.#exceeded = false;
  }
}

/**
 * A capped in-memory sink. `stream` only names the stream in OutputLimitExceeded.
 * @example const out = createOutputSink(100 * 1024, 'stdout');
 */
export function createOutputSink(capBytes: number, stream: OutputStreamName = 'output'): OutputSink {
  if (!Number.isSafeInteger(capBytes) || capBytes < 0) {
    throw new RangeError(`createOutputSink: bad cap ${capBytes}`);
  }
  return new CappedSink(capBytes, stream);
}
