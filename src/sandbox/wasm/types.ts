import type { Reader } from './bytes.js';

/**
 * Value types and function types, reduced to what metering needs: how many values, whether any
 * is a v128 (16-byte stack slots), and the exact bytes (to re-encode a type verbatim).
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
/** `(ref null ht)` and `(ref ht)`: followed by a heap type. */
const REF_NULL = 0x63;
const REF = 0x64;

/** Abstract heap types whose one-byte shorthand is also a value type (funcref, externref, GC, exn). */
const SHORTHAND_REFS = new Set([0x70, 0x6f, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x69, 0x71, 0x72, 0x73, 0x74]);
/** Shorthands that belong to the GC proposal (any/eq/i31/struct/array/none), not MVP reference types. */
const GC_SHORTHANDS = new Set([0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71]);
/**
 * stringref and its views (V8's encoding of the unfinished string-reference proposal, off by
 * default): read so the refusal can name them instead of calling the bytes malformed.
 */
const STRINGREF_SHORTHANDS = new Set([0x67, 0x66, 0x62, 0x61]);

export interface ValType {
  /** First byte: one of the constants above, 0x63/0x64 for typed references, or a shorthand. */
  code: number;
  /** Offsets of the encoding in the module, to copy it verbatim. */
  start: number;
  end: number;
}

export interface FuncType {
  params: ValType[];
  results: ValType[];
  /** Any v128 among params or results. */
  hasV128: boolean;
}

/** Feature use noticed while reading types; instrument() rejects what the sandbox does not run. */
export interface TypeFeatures {
  gc: boolean;
  stringref: boolean;
}

export function readHeapType(r: Reader, features: TypeFeatures): void {
  const at = r.pos;
  const ht = r.s33();
  if (ht >= 0) return; // a type index
  const byte = ht & 0x7f;
  if (STRINGREF_SHORTHANDS.has(byte)) {
    features.stringref = true;
    return;
  }
  if (!SHORTHAND_REFS.has(byte)) r.fail('unknown heap type', at);
  if (GC_SHORTHANDS.has(byte)) features.gc = true;
}

export function readValType(r: Reader, features: TypeFeatures): ValType {
  const start = r.pos;
  const code = r.u8();
  switch (code) {
    case I32:
    case I64:
    case F32:
    case F64:
    case V128:
      break;
    case REF_NULL:
    case REF:
      readHeapType(r, features);
      break;
    default:
      if (STRINGREF_SHORTHANDS.has(code)) {
        features.stringref = true;
        break;
      }
      if (!SHORTHAND_REFS.has(code)) r.fail('unknown value type', start);
      if (GC_SHORTHANDS.has(code)) features.gc = true;
  }
  return { code, start, end: r.pos };
}

/** Storage types of GC struct/array fields: a value type or a packed i8/i16. */
function readStorageType(r: Reader, features: TypeFeatures): void {
  const b = r.peek();
  if (b === 0x78 || b === 0x77) {
    r.u8();
    return;
  }
  readValType(r, features);
}

function readMutability(r: Reader): void {
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail('mutability flag must be 0 or 1', at);
}

function readResultList(r: Reader, features: TypeFeatures): ValType[] {
  const n = r.count('value type');
  const out: ValType[] = [];
  for (let i = 0; i < n; i++) out.push(readValType(r, features));
  return out;
}

/**
 * One composite type. Function types are returned; struct and array types (GC) are read so the
 * type index space stays right, and returned as null.
 */
function readCompositeType(r: Reader, features: TypeFeatures): FuncType | null {
  const at = r.pos;
  const form = r.u8();
  if (form === 0x60) {
    const params = readResultList(r, features);
    const results = readResultList(r, features);
    const hasV128 = params.some((t) => t.code === V128) || results.some((t) => t.code === V128);
    return { params, results, hasV128 };
  }
  features.gc = true;
  if (form === 0x5f) {
    const n = r.count('struct field', 2);
    for (let i = 0; i < n; i++) {
      readStorageType(r, features);
      readMutability(r);
    }
    return null;
  }
  if (form === 0x5e) {
    readStorageType(r, features);
    readMutability(r);
    return null;
  }
  return r.fail(`unknown type form 0x${form.toString(16)}`, at);
}

/** One `subtype` (GC `sub`/`sub final` wrappers, or a bare composite type). */
function readSubType(r: Reader, features: TypeFeatures): FuncType | null {
  const b = r.peek();
  if (b === 0x50 || b === 0x4f) {
    r.u8();
    features.gc = true;
    const n = r.count('supertype');
    for (let i = 0; i < n; i++) r.u32();
  }
  return readCompositeType(r, features);
}

/** Reads the type section's entries into a flat type index space (null for non-function types). */
export function readTypeSection(r: Reader, features: TypeFeatures): (FuncType | null)[] {
  const types: (FuncType | null)[] = [];
  const n = r.count('type', 2);
  for (let i = 0; i < n; i++) {
    if (r.peek() === 0x4e) {
      r.u8();
      features.gc = true;
      const m = r.count('recursive type group member', 2);
      for (let j = 0; j < m; j++) types.push(readSubType(r, features));
    } else {
      types.push(readSubType(r, features));
    }
  }
  return types;
}

/** A table's element type: a reference value type. */
export function readRefType(r: Reader, features: TypeFeatures): void {
  const at = r.pos;
  const t = readValType(r, features);
  if (t.code === I32 || t.code === I64 || t.code === F32 || t.code === F64 || t.code === V128) {
    r.fail('a table must hold references', at);
  }
}

/** Human name of a value type code, for descriptions. */
export function valTypeName(code: number): string {
  switch (code) {
    case I32:
      return 'i32';
    case I64:
      return 'i64';
    case F32:
      return 'f32';
    case F64:
      return 'f64';
    case V128:
      return 'v128';
    case 0x70:
      return 'funcref';
    case 0x6f:
      return 'externref';
    default:
      return 'ref';
  }
}
