/**
 * Byte-level reading and writing for the wasm binary format: bounds-checked LEB128 reads and a
 * growable writer.
 *
 * The reader throws `MalformedError` on bad input instead of returning a Result from every
 * read: decoding is thousands of nested reads per function, and a Result at each would make
 * the hot loop slow and unreadable. Every public entry point of this folder (`instrument`,
 * `describeModule`) catches it and returns a rejection, so the exception never escapes.
 */

/** Thrown by the reader for input that is not a well-formed module; caught at the public boundary. */
export class MalformedError extends Error {
  constructor(
    /** Byte offset in the module where decoding failed. */
    readonly offset: number,
    /** Plain-words description of what was wrong. */
    readonly problem: string,
    /** Where in the module, e.g. "in the import section". */
    readonly context = '',
  ) {
    super(`${problem} at byte 0x${offset.toString(16)}${context ? ` (${context})` : ''}`);
    this.name = 'MalformedError';
  }
}

/** A cursor over module bytes. `end` bounds every read, so a lying size cannot read past it. */
export class Reader {
  pos: number;
  end: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(problem: string, offset = this.pos): never {
    throw new MalformedError(offset, problem);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos]!;
  }

  /** Unsigned LEB128 of at most 32 bits (5 bytes), as V8 accepts it. */
  u32(): number {
    const b = this.bytes;
    let pos = this.pos;
    const end = this.end;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) this.fail('unexpected end of data in a number', pos);
      const byte = b[pos++]!;
      if (shift === 28) {
        // Fifth byte: only the low 4 bits may be used and no continuation.
        if (byte & 0xf0) this.fail('integer too large (more than 32 bits)', pos - 1);
        result = (result | (byte << 28)) >>> 0;
        break;
      }
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        result >>>= 0;
        break;
      }
      shift += 7;
    }
    this.pos = pos;
    return result;
  }

  /** Signed LEB128 of at most `bits` bits; only skipped or copied, so the value is not needed. */
  skipSigned(bits: 32 | 33 | 64): void {
    const maxBytes = Math.ceil(bits / 7);
    const b = this.bytes;
    let pos = this.pos;
    for (let i = 0; ; i++) {
      if (pos >= this.end) this.fail('unexpected end of data in a number', pos);
      const byte = b[pos++]!;
      if ((byte & 0x80) === 0) break;
      if (i + 1 >= maxBytes) this.fail(`integer too large (more than ${bits} bits)`, pos - 1);
    }
    this.pos = pos;
  }

  /** Signed LEB128 up to 33 bits (block types, heap types); fits a JS number exactly. */
  s33(): number {
    const b = this.bytes;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    let byte = 0;
    for (let i = 0; ; i++) {
      if (pos >= this.end) this.fail('unexpected end of data in a number', pos);
      byte = b[pos++]!;
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) break;
      if (i >= 4) this.fail('integer too large (more than 33 bits)', pos - 1);
    }
    if (byte & 0x40) result -= mul;
    this.pos = pos;
    return result;
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail('unexpected end of data');
    this.pos += n;
  }

  /** A count that prefixes a vector whose items take at least `minItemBytes` each. */
  count(what: string, minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minItemBytes > this.end - this.pos) {
      this.fail(`${what} count ${n} is larger than the bytes that follow`, at);
    }
    return n;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const at = this.pos;
    const len = this.count('name length');
    const start = this.pos;
    this.pos += len;
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      this.fail('a name is not valid UTF-8', at);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** A growable byte buffer. */
export class Writer {
  buf: Uint8Array;
  len = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.len + need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): void {
    if (this.len + 1 > this.buf.length) this.grow(1);
    this.buf[this.len++] = v;
  }

  /** Appends a fixed short sequence, e.g. an instruction template. */
  raw(bytes: ArrayLike<number>): void {
    const n = bytes.length;
    if (this.len + n > this.buf.length) this.grow(n);
    for (let i = 0; i < n; i++) this.buf[this.len + i] = bytes[i]!;
    this.len += n;
  }

  /** Copies a range of another buffer (the bulk of a rewrite: original code, byte for byte). */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.len + n > this.buf.length) this.grow(n);
    if (n < 64) {
      // Short spans between splice points are the common case; a subarray per copy costs more.
      const buf = this.buf;
      let j = this.len;
      for (let i = start; i < end; i++) buf[j++] = src[i]!;
    } else {
      this.buf.set(src.subarray(start, end), this.len);
    }
    this.len += n;
  }

  u32(v: number): void {
    if (this.len + 5 > this.buf.length) this.grow(5);
    let x = v >>> 0;
    do {
      let byte = x & 0x7f;
      x >>>= 7;
      if (x !== 0) byte |= 0x80;
      this.buf[this.len++] = byte;
    } while (x !== 0);
  }

  /** Signed LEB128 of an int32 (fast path for the constants metering emits). */
  s32(v: number): void {
    if (this.len + 5 > this.buf.length) this.grow(5);
    let x = v | 0;
    for (;;) {
      const byte = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
        this.buf[this.len++] = byte;
        return;
      }
      this.buf[this.len++] = byte | 0x80;
    }
  }

  /** Signed LEB128 of any integer (an i64.const immediate). */
  sleb(v: number | bigint): void {
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return;
    }
  }

  name(s: string): void {
    const b = utf8Encoder.encode(s);
    this.u32(b.length);
    this.raw(b);
  }

  /** Appends another writer's content prefixed by its length (sections, bodies). */
  sized(inner: Writer): void {
    this.u32(inner.len);
    this.copy(inner.buf, 0, inner.len);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
