import type { Prim, ValType } from './types.js';

/**
 * The static part of the canonical ABI (CanonicalABI.md, "Alignment", "Element Size",
 * "Flattening") for 32-bit memories: where a value sits in linear memory and which core values
 * carry it in a call. Memoised per type object, since types are shared and immutable.
 */
export type Flat = 'i32' | 'i64' | 'f32' | 'f64';

const alignMemo = new WeakMap<ValType, number>();
const sizeMemo = new WeakMap<ValType, number>();
const flatMemo = new WeakMap<ValType, Flat[]>();

export function alignTo(ptr: number, alignment: number): number {
  return Math.ceil(ptr / alignment) * alignment;
}

/** Bytes of a variant's discriminant: the smallest of 1, 2, 4 holding the case count. */
export function discriminantSize(cases: number): number {
  if (cases <= 0x100) return 1;
  if (cases <= 0x10000) return 2;
  return 4;
}

export function flagsSize(count: number): number {
  if (count <= 8) return 1;
  if (count <= 16) return 2;
  return 4;
}

function caseTypes(t: ValType): Array<ValType | null> {
  switch (t.k) {
    case 'variant':
      return t.cases.map((c) => c.type);
    case 'option':
      return [null, t.type];
    case 'result':
      return [t.ok, t.err];
    default:
      return [];
  }
}

/** How many cases a variant, option, result or enum has (what its discriminant counts). */
export function caseCount(t: ValType): number {
  switch (t.k) {
    case 'enum':
      return t.names.length;
    case 'variant':
      return t.cases.length;
    case 'option':
    case 'result':
      return 2;
    default:
      return 0;
  }
}

function maxCaseAlignment(t: ValType): number {
  let a = 1;
  for (const c of caseTypes(t)) if (c) a = Math.max(a, alignment(c));
  return a;
}

function fieldTypes(t: ValType): ValType[] {
  if (t.k === 'record') return t.fields.map((f) => f.type);
  if (t.k === 'tuple') return t.types;
  return [];
}

/** Each primitive's alignment and size: one and the same but for a string (pointer and length). */
const PRIM_LAYOUT: Record<Prim, { align: number; size: number }> = {
  bool: { align: 1, size: 1 },
  s8: { align: 1, size: 1 },
  u8: { align: 1, size: 1 },
  s16: { align: 2, size: 2 },
  u16: { align: 2, size: 2 },
  s32: { align: 4, size: 4 },
  u32: { align: 4, size: 4 },
  s64: { align: 8, size: 8 },
  u64: { align: 8, size: 8 },
  f32: { align: 4, size: 4 },
  f64: { align: 8, size: 8 },
  char: { align: 4, size: 4 },
  string: { align: 4, size: 8 },
};

export function alignment(t: ValType): number {
  let a = alignMemo.get(t);
  if (a !== undefined) return a;
  switch (t.k) {
    case 'prim':
      a = PRIM_LAYOUT[t.p].align;
      break;
    case 'list':
    case 'own':
    case 'borrow':
      a = 4;
      break;
    case 'record':
    case 'tuple':
      a = 1;
      for (const f of fieldTypes(t)) a = Math.max(a, alignment(f));
      break;
    case 'variant':
    case 'option':
    case 'result':
    case 'enum':
      a = Math.max(discriminantSize(caseCount(t)), t.k === 'enum' ? 1 : maxCaseAlignment(t));
      break;
    case 'flags':
      a = flagsSize(t.names.length);
      break;
    default:
      throw new Error(`no canonical ABI layout for ${t.k}`);
  }
  alignMemo.set(t, a);
  return a;
}

export function elemSize(t: ValType): number {
  let s = sizeMemo.get(t);
  if (s !== undefined) return s;
  switch (t.k) {
    case 'prim':
      s = PRIM_LAYOUT[t.p].size;
      break;
    case 'list':
      s = 8;
      break;
    case 'own':
    case 'borrow':
      s = 4;
      break;
    case 'record':
    case 'tuple': {
      s = 0;
      for (const f of fieldTypes(t)) s = alignTo(s, alignment(f)) + elemSize(f);
      s = alignTo(s, alignment(t));
      break;
    }
    case 'enum':
      s = discriminantSize(t.names.length);
      break;
    case 'variant':
    case 'option':
    case 'result': {
      let size = discriminantSize(caseCount(t));
      size = alignTo(size, maxCaseAlignment(t));
      let payload = 0;
      for (const c of caseTypes(t)) if (c) payload = Math.max(payload, elemSize(c));
      s = alignTo(size + payload, alignment(t));
      break;
    }
    case 'flags':
      s = flagsSize(t.names.length);
      break;
    default:
      throw new Error(`no canonical ABI layout for ${t.k}`);
  }
  sizeMemo.set(t, s);
  return s;
}

/** Offsets of a record's or tuple's fields. */
export function fieldOffsets(t: ValType): number[] {
  const offsets: number[] = [];
  let s = 0;
  for (const f of fieldTypes(t)) {
    s = alignTo(s, alignment(f));
    offsets.push(s);
    s += elemSize(f);
  }
  return offsets;
}

/** Offset of a variant's payload from its start. */
export function payloadOffset(t: ValType): number {
  return alignTo(discriminantSize(caseCount(t)), maxCaseAlignment(t));
}

function join(a: Flat, b: Flat): Flat {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

export function flatten(t: ValType): Flat[] {
  let f = flatMemo.get(t);
  if (f) return f;
  switch (t.k) {
    case 'prim':
      f =
        t.p === 's64' || t.p === 'u64'
          ? ['i64']
          : t.p === 'f32'
            ? ['f32']
            : t.p === 'f64'
              ? ['f64']
              : t.p === 'string'
                ? ['i32', 'i32']
                : ['i32'];
      break;
    case 'list':
      f = ['i32', 'i32'];
      break;
    case 'record':
    case 'tuple':
      f = fieldTypes(t).flatMap(flatten);
      break;
    case 'variant':
    case 'option':
    case 'result': {
      const payload: Flat[] = [];
      for (const c of caseTypes(t)) {
        if (!c) continue;
        flatten(c).forEach((ft, i) => {
          payload[i] = i < payload.length ? join(payload[i] as Flat, ft) : ft;
        });
      }
      f = ['i32', ...payload];
      break;
    }
    case 'enum':
    case 'flags':
    case 'own':
    case 'borrow':
      f = ['i32'];
      break;
    default:
      throw new Error(`no canonical ABI layout for ${t.k}`);
  }
  flatMemo.set(t, f);
  return f;
}

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;
