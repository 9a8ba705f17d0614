import { BinaryError, ByteReader } from './bytes.js';

/**
 * The names a core module declares (import module and field names, export names), read
 * without compiling it. Only the import, export and section framing are decoded; everything
 * else is skipped by its size. Custom sections are listed by position: their contents never
 * reach generated code (the component's core modules are handed to V8 as bytes).
 */
export interface CoreModuleNames {
  imports: Array<{ module: string; field: string; kind: number }>;
  exports: Array<{ name: string; kind: number }>;
}

export const CORE_MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

export function readCoreModuleNames(
  bytes: Uint8Array,
  start: number,
  end: number,
  /** Reads (and checks) one name; `where` says where it sits, for messages. */
  readName: (r: ByteReader, where: () => string) => string,
  /** Reads a custom section's name, which only has to be text. */
  readCustomName: (r: ByteReader) => void,
): CoreModuleNames {
  const r = new ByteReader(bytes, start, end);
  for (const b of CORE_MAGIC) {
    if (r.byte() !== b) throw new BinaryError('a core module does not start with the wasm header', r.pos - 1);
  }
  const names: CoreModuleNames = { imports: [], exports: [] };
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const sectionStart = r.pos;
    r.skip(size);
    const s = new ByteReader(bytes, sectionStart, sectionStart + size);
    if (id === 0) {
      readCustomName(s);
    } else if (id === 2) {
      const count = s.u32();
      for (let i = 0; i < count; i++) {
        const module = readName(s, () => `the module name of import ${i}`);
        const field = readName(s, () => `the field name of import ${i}`);
        const kind = s.byte();
        skipImportDesc(s, kind);
        names.imports.push({ module, field, kind });
      }
      if (!s.done) throw new BinaryError('import section has trailing bytes', s.pos);
    } else if (id === 7) {
      const count = s.u32();
      for (let i = 0; i < count; i++) {
        const name = readName(s, () => `export ${i}`);
        const kind = s.byte();
        s.u32();
        names.exports.push({ name, kind });
      }
      if (!s.done) throw new BinaryError('export section has trailing bytes', s.pos);
    }
  }
  return names;
}

function skipImportDesc(r: ByteReader, kind: number): void {
  switch (kind) {
    case 0x00: // func
      r.u32();
      return;
    case 0x01: // table
      skipRefType(r);
      skipLimits(r);
      return;
    case 0x02: // memory
      skipLimits(r);
      return;
    case 0x03: // global
      skipValType(r);
      r.byte();
      return;
    case 0x04: // tag
      r.byte();
      r.u32();
      return;
    default:
      throw new BinaryError(`unknown import kind 0x${kind.toString(16)}`, r.pos - 1);
  }
}

/** Unsigned LEB128 of up to 64 bits, value ignored. */
export function skipLeb(r: ByteReader): void {
  for (let i = 0; i < 10; i++) if ((r.byte() & 0x80) === 0) return;
  throw new BinaryError('integer too long', r.pos);
}

export function skipLimits(r: ByteReader): void {
  const flags = r.byte();
  if (flags > 0x0f) throw new BinaryError(`unknown limits flags 0x${flags.toString(16)}`, r.pos - 1);
  skipLeb(r);
  if (flags & 0x01) skipLeb(r);
  if (flags & 0x08) r.u32();
}

export function skipHeapType(r: ByteReader): void {
  const b = r.bytes[r.pos];
  if (b === 0x65) {
    r.byte();
    r.byte();
    return;
  }
  r.s33();
}

export function skipRefType(r: ByteReader): void {
  const b = r.byte();
  if (b === 0x63 || b === 0x64) {
    skipHeapType(r);
    return;
  }
  if (b >= 0x69 && b <= 0x74) return;
  throw new BinaryError(`unknown reference type 0x${b.toString(16)}`, r.pos - 1);
}

export function skipValType(r: ByteReader): void {
  const b = r.bytes[r.pos];
  if (b !== undefined && b >= 0x7b && b <= 0x7f) {
    r.byte();
    return;
  }
  skipRefType(r);
}
