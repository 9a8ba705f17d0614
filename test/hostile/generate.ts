/**
 * Hostile binaries that no compiler writes: crafted bytes. Each function returns the whole
 * file. Kept free of I/O so the corpus can call them from the build.
 */

const MAGIC_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128, the integer encoding of every count and size in a wasm binary. */
export function leb128(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb128(body.length), ...body];
}

/** Plain text where a binary was expected. */
export function notWasm(): Uint8Array {
  return new TextEncoder().encode('This is a README, not a WebAssembly module.\n');
}

/** The right magic and version, then a type section of garbage (0x60 entries of nonsense). */
export function malformed(): Uint8Array {
  return Uint8Array.from([...MAGIC_VERSION, ...section(1, [0x60, 0x60, 0x60, 0xff, 0xfe])]);
}

/** A valid module cut short: the first `share` of its bytes. */
export function truncated(valid: Uint8Array, share = 0.6): Uint8Array {
  return valid.slice(0, Math.floor(valid.length * share));
}

/**
 * A module whose function section claims 4,294,967,280 functions in 5 bytes: a decoder that
 * allocates by the declared count before reading the entries (a "zip bomb") asks for ~16 GiB.
 */
export function functionCountBomb(): Uint8Array {
  return Uint8Array.from([
    ...MAGIC_VERSION,
    ...section(1, [0x01, 0x60, 0x00, 0x00]), // one type: func () -> ()
    ...section(3, leb128(0xfffffff0)), // function section: the count and nothing else
  ]);
}

/** Same idea for the element section: one table, then 4,294,967,295 claimed element segments. */
export function elementCountBomb(): Uint8Array {
  return Uint8Array.from([
    ...MAGIC_VERSION,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]), // one function of type 0
    ...section(4, [0x01, 0x70, 0x00, 0x01]), // one funcref table, min 1
    ...section(9, leb128(0xffffffff)), // element section: the count and nothing else
    ...section(10, [0x01, 0x02, 0x00, 0x0b]), // the function's body: no locals, end
  ]);
}

/**
 * A valid command of `totalBytes` or a little more: `module` (which must declare enough memory
 * and have no data section) plus one active data segment at address 0 filled with a pattern.
 */
export function withBigDataSegment(module: Uint8Array, totalBytes: number): Uint8Array {
  const payload = Math.max(0, totalBytes - module.length - 16);
  const head = [0x01, 0x00, 0x41, 0x00, 0x0b, ...leb128(payload)]; // 1 segment, memory 0, i32.const 0, end, size
  const sectionHead = [0x0b, ...leb128(head.length + payload)];
  const out = new Uint8Array(module.length + sectionHead.length + head.length + payload);
  out.set(module, 0);
  out.set(sectionHead, module.length);
  out.set(head, module.length + sectionHead.length);
  const start = module.length + sectionHead.length + head.length;
  for (let i = 0; i < payload; i++) out[start + i] = (i * 31 + 7) & 0xff;
  return out;
}
