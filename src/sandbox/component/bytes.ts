/**
 * A forward-only reader over wasm binary bytes: LEB128 integers, names and byte ranges.
 * Every read is bounds-checked and throws `BinaryError` on truncated or malformed input,
 * which callers turn into a rejection; nothing here allocates more than the input holds.
 */
export class BinaryError extends Error {
  // A class field (defined, not assigned): assigning `name` fails where built-ins are frozen.
  override readonly name = 'BinaryError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new BinaryError('unexpected end of data', this.pos);
    return this.bytes[this.pos++] as number;
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const at = this.pos;
      const b = this.byte();
      if (shift === 28 && b > 0x0f) throw new BinaryError('integer too large', at);
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) throw new BinaryError('integer too long', at);
    }
  }

  /** Signed LEB128 up to 33 bits (component value types: negative = primitive, else a type index). */
  s33(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      const at = this.pos;
      b = this.byte();
      if (shift > 28) {
        if (shift > 35) throw new BinaryError('integer too long', at);
      }
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new BinaryError(`length ${n} runs past the end`, this.pos);
    this.pos += n;
  }

  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      throw new BinaryError('name is not valid UTF-8', start);
    }
  }
}
