import { GuestFault } from '../host/errors.js';
import {
  alignment,
  caseCount,
  discriminantSize,
  elemSize,
  type Flat,
  fieldOffsets,
  flagsSize,
  flatten,
  payloadOffset,
} from './abi-layout.js';
import type { Resource, ValType } from './types.js';

/**
 * Moving values between a guest's core wasm and our host's JavaScript, following the canonical
 * ABI (CanonicalABI.md, "Loading", "Storing", "Flat Lifting", "Flat Lowering"), in the shapes
 * jco's generated bindings use, so the same host objects (src/sandbox/host/) serve both paths:
 * records are objects with camelCase keys, variants `{ tag, val }`, enums their case name,
 * flags objects of booleans, `option<T>` undefined or the value, lists of numbers typed arrays,
 * 64-bit integers BigInts, resources instances of the host's classes. Anything the guest got
 * wrong (a pointer past its memory, invalid UTF-8, an unknown handle) traps as a GuestFault.
 */
export interface AbiContext {
  /** The memory of the canon options; a GuestFault when the lowering has none. */
  view(): DataView;
  bytes(): Uint8Array;
  /** Calls the guest's realloc for a fresh block; checks what it returns. */
  allocate(align: number, size: number): number;
  handles(resource: Resource): HandleTable;
  /** The host class whose instances are this resource, for `own` results from the host. */
  classOf(resource: Resource): new (...args: never[]) => unknown;
  /**
   * Called with a string's length in bytes BEFORE it is decoded from guest memory, so the
   * decoding is paid for (the bot's fuel) before it is done.
   */
  chargeString(bytes: number): void;
}

/**
 * The context of one lowering: `memory` and `realloc` from its canon options (either may be
 * absent when the function's types never need them), views refreshed when the memory grows.
 */
export function createAbiContext(options: {
  memory: WebAssembly.Memory | null;
  realloc: ((...args: number[]) => number) | null;
  handles: AbiContext['handles'];
  classOf: AbiContext['classOf'];
  chargeString?: AbiContext['chargeString'];
}): AbiContext {
  const { memory, realloc } = options;
  let buffer: ArrayBuffer | null = null;
  let view = new DataView(new ArrayBuffer(0));
  let bytes = new Uint8Array(0);
  const refresh = () => {
    if (!memory) throw new GuestFault('a host call needed memory, but its lowering names none');
    if (memory.buffer !== buffer) {
      buffer = memory.buffer as ArrayBuffer;
      view = new DataView(buffer);
      bytes = new Uint8Array(buffer);
    }
  };
  return {
    view() {
      refresh();
      return view;
    },
    bytes() {
      refresh();
      return bytes;
    },
    allocate(align, size) {
      if (!realloc) throw new GuestFault('a host call returned data, but its lowering names no realloc');
      const ptr = realloc(0, 0, align, size) >>> 0;
      refresh();
      if (ptr % align !== 0) trap(`its realloc returned ${ptr}, which is not aligned to ${align}`);
      if (ptr + size > view.byteLength) trap(`its realloc returned ${ptr}, past the end of its memory`);
      return ptr;
    },
    handles: options.handles,
    classOf: options.classOf,
    chargeString: options.chargeString ?? (() => {}),
  };
}

/** One resource type's handles in one component instance: index 0 is never a handle. */
export class HandleTable {
  readonly #entries: Array<unknown> = [undefined];
  readonly #free: number[] = [];

  add(value: unknown): number {
    const index = this.#free.pop() ?? this.#entries.length;
    if (index >= 1 << 28) throw new GuestFault('too many resource handles');
    this.#entries[index] = value;
    return index;
  }

  get(handle: number): unknown {
    const value = handle > 0 ? this.#entries[handle] : undefined;
    if (value === undefined) throw new GuestFault(`used resource handle ${handle}, which it does not hold`);
    return value;
  }

  remove(handle: number): unknown {
    const value = this.get(handle);
    this.#entries[handle] = undefined;
    this.#free.push(handle);
    return value;
  }
}

const MAX_BYTE_LENGTH = (1 << 28) - 1;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export function trap(message: string): never {
  throw new GuestFault(message);
}

function checkRange(cx: AbiContext, ptr: number, length: number, align: number, what: string): void {
  if (length > MAX_BYTE_LENGTH) trap(`${what} of ${length} bytes is too long`);
  if (ptr % align !== 0) trap(`${what} at ${ptr} is not aligned to ${align}`);
  if (ptr + length > cx.view().byteLength) trap(`${what} at ${ptr} runs past the end of its memory`);
}

/** "total-rounds" -> "totalRounds", as jco names record fields and functions. */
export function camelCase(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "output-stream" -> "OutputStream", as jco names resource classes. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

const TYPED_LISTS: Partial<Record<string, { new (buffer: ArrayBuffer): ArrayLike<unknown> }>> = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

/** An option whose payload may itself be "nothing" is passed as `{ tag, val }` (jco's rule). */
function nestedOption(t: ValType & { k: 'option' }): boolean {
  return t.type.k === 'option';
}

// --- loading from memory (guest -> host) -------------------------------------------------------

function loadString(cx: AbiContext, ptr: number, length: number): string {
  checkRange(cx, ptr, length, 1, 'a string');
  cx.chargeString(length);
  try {
    return utf8Decoder.decode(cx.bytes().subarray(ptr, ptr + length));
  } catch {
    return trap('passed a string that is not valid UTF-8');
  }
}

function loadList(cx: AbiContext, ptr: number, length: number, elem: ValType): unknown {
  const size = elemSize(elem);
  checkRange(cx, ptr, length * size, alignment(elem), 'a list');
  const typed = elem.k === 'prim' ? TYPED_LISTS[elem.p] : undefined;
  if (typed) {
    const buffer = cx.bytes().buffer.slice(ptr, ptr + length * size) as ArrayBuffer;
    return new typed(buffer);
  }
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(load(cx, ptr + i * size, elem));
  return out;
}

function charOf(code: number): string {
  if (code >= 0x110000 || (code >= 0xd800 && code <= 0xdfff)) trap(`passed ${code}, which is not a char`);
  return String.fromCodePoint(code);
}

function caseIndex(t: ValType, index: number): number {
  const count = caseCount(t);
  if (index >= count) trap(`passed case ${index} of a type with ${count} cases`);
  return index;
}

function readUint(view: DataView, ptr: number, bytes: number): number {
  if (bytes === 1) return view.getUint8(ptr);
  if (bytes === 2) return view.getUint16(ptr, true);
  return view.getUint32(ptr, true);
}

function writeUint(view: DataView, ptr: number, bytes: number, value: number): void {
  if (bytes === 1) view.setUint8(ptr, value);
  else if (bytes === 2) view.setUint16(ptr, value, true);
  else view.setUint32(ptr, value, true);
}

function variantValue(t: ValType, index: number, payload: unknown): unknown {
  if (t.k === 'variant') return { tag: (t.cases[index] as { name: string }).name, val: payload };
  if (t.k === 'result') return { tag: index === 0 ? 'ok' : 'err', val: payload };
  if (t.k === 'option') {
    if (nestedOption(t)) return index === 0 ? { tag: 'none' } : { tag: 'some', val: payload };
    return index === 0 ? undefined : payload;
  }
  throw new Error(`not a variant: ${t.k}`);
}

function variantPayloadType(t: ValType, index: number): ValType | null {
  if (t.k === 'variant') return t.cases[index]?.type ?? null;
  if (t.k === 'result') return index === 0 ? t.ok : t.err;
  if (t.k === 'option') return index === 0 ? null : t.type;
  return null;
}

function unpackFlags(bits: number, names: string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  names.forEach((name, i) => {
    out[camelCase(name)] = ((bits >>> i) & 1) === 1;
  });
  return out;
}

export function load(cx: AbiContext, ptr: number, t: ValType): unknown {
  const view = cx.view();
  if (ptr + elemSize(t) > view.byteLength) trap(`read past the end of its memory at ${ptr}`);
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'bool':
          return view.getUint8(ptr) !== 0;
        case 'u8':
          return view.getUint8(ptr);
        case 's8':
          return view.getInt8(ptr);
        case 'u16':
          return view.getUint16(ptr, true);
        case 's16':
          return view.getInt16(ptr, true);
        case 'u32':
          return view.getUint32(ptr, true);
        case 's32':
          return view.getInt32(ptr, true);
        case 'u64':
          return view.getBigUint64(ptr, true);
        case 's64':
          return view.getBigInt64(ptr, true);
        case 'f32':
          return view.getFloat32(ptr, true);
        case 'f64':
          return view.getFloat64(ptr, true);
        case 'char':
          return charOf(view.getUint32(ptr, true));
        case 'string':
          return loadString(cx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
      }
      break;
    case 'list':
      return loadList(cx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true), t.elem);
    case 'record': {
      const offsets = fieldOffsets(t);
      const out: Record<string, unknown> = {};
      t.fields.forEach((f, i) => {
        out[camelCase(f.name)] = load(cx, ptr + (offsets[i] as number), f.type);
      });
      return out;
    }
    case 'tuple': {
      const offsets = fieldOffsets(t);
      return t.types.map((type, i) => load(cx, ptr + (offsets[i] as number), type));
    }
    case 'enum': {
      const index = caseIndex(t, readUint(view, ptr, discriminantSize(t.names.length)));
      return t.names[index];
    }
    case 'variant':
    case 'option':
    case 'result': {
      const index = caseIndex(t, readUint(view, ptr, discriminantSize(caseCount(t))));
      const payloadType = variantPayloadType(t, index);
      const payload = payloadType ? load(cx, ptr + payloadOffset(t), payloadType) : undefined;
      return variantValue(t, index, payload);
    }
    case 'flags':
      return unpackFlags(readUint(view, ptr, flagsSize(t.names.length)), t.names);
    case 'own':
      return cx.handles(t.resource).remove(view.getUint32(ptr, true));
    case 'borrow':
      return cx.handles(t.resource).get(view.getUint32(ptr, true));
  }
  throw new Error(`cannot load a ${t.k}`);
}

// --- storing into memory (host -> guest) ---------------------------------------------------------

function encodeString(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new TypeError(`the host returned ${typeof value} for a string`);
  return utf8Encoder.encode(value);
}

/**
 * Copies a string into a fresh guest allocation: [pointer, length]. As the canonical ABI says,
 * realloc is called even for an empty string (the guest's allocator runs, and is metered, either way).
 */
function storeString(cx: AbiContext, value: unknown): [number, number] {
  const bytes = encodeString(value);
  const ptr = cx.allocate(1, bytes.length);
  cx.bytes().set(bytes, ptr);
  return [ptr, bytes.length];
}

function listItems(value: unknown): ArrayLike<unknown> {
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<unknown>).length !== 'number')
    throw new TypeError('the host returned something that is not a list');
  return value as ArrayLike<unknown>;
}

function storeList(cx: AbiContext, value: unknown, elem: ValType): [number, number] {
  const items = listItems(value);
  const size = elemSize(elem);
  const ptr = cx.allocate(alignment(elem), items.length * size);
  if (elem.k === 'prim' && elem.p === 'u8' && value instanceof Uint8Array) {
    cx.bytes().set(value, ptr);
  } else {
    for (let i = 0; i < items.length; i++) store(cx, items[i], ptr + i * size, elem);
  }
  return [ptr, items.length];
}

function caseOf(t: ValType, value: unknown): { index: number; payload: unknown } {
  switch (t.k) {
    case 'option':
      if (nestedOption(t)) {
        const v = value as { tag?: unknown; val?: unknown } | null;
        if (v?.tag === 'none') return { index: 0, payload: undefined };
        if (v?.tag === 'some') return { index: 1, payload: v.val };
        throw new TypeError('the host returned a nested option without a tag');
      }
      return value === undefined || value === null
        ? { index: 0, payload: undefined }
        : { index: 1, payload: value };
    case 'result': {
      const v = value as { tag?: unknown; val?: unknown } | null;
      if (v?.tag === 'ok') return { index: 0, payload: v.val };
      if (v?.tag === 'err') return { index: 1, payload: v.val };
      throw new TypeError('the host returned a result without an ok or err tag');
    }
    case 'variant': {
      const v = value as { tag?: unknown; val?: unknown } | null;
      const index = t.cases.findIndex((c) => c.name === v?.tag);
      if (index < 0)
        throw new TypeError(`the host returned ${String(v?.tag)}, which is not a case of the variant`);
      return { index, payload: v?.val };
    }
    case 'enum': {
      const index = t.names.indexOf(value as string);
      if (index < 0)
        throw new TypeError(`the host returned ${String(value)}, which is not a case of the enum`);
      return { index, payload: undefined };
    }
    default:
      throw new Error(`not a variant: ${t.k}`);
  }
}

function packFlags(value: unknown, names: string[]): number {
  const v = (value ?? {}) as Record<string, unknown>;
  let bits = 0;
  names.forEach((name, i) => {
    if (v[camelCase(name)]) bits |= 1 << i;
  });
  return bits >>> 0;
}

function lowerOwn(cx: AbiContext, value: unknown, resource: Resource): number {
  const cls = cx.classOf(resource);
  if (!(value instanceof cls))
    throw new TypeError(`the host returned something that is not a ${resource.name}`);
  return cx.handles(resource).add(value);
}

export function store(cx: AbiContext, value: unknown, ptr: number, t: ValType): void {
  if (ptr % alignment(t) !== 0) trap(`gave an unaligned pointer ${ptr}`);
  if (ptr + elemSize(t) > cx.view().byteLength) trap(`gave a pointer ${ptr} past the end of its memory`);
  switch (t.k) {
    case 'prim': {
      const view = cx.view();
      switch (t.p) {
        case 'bool':
          view.setUint8(ptr, value ? 1 : 0);
          return;
        case 'u8':
        case 's8':
          view.setUint8(ptr, Number(value) & 0xff);
          return;
        case 'u16':
        case 's16':
          view.setUint16(ptr, Number(value) & 0xffff, true);
          return;
        case 'u32':
        case 's32':
          view.setUint32(ptr, Number(value) >>> 0, true);
          return;
        case 'u64':
        case 's64':
          view.setBigUint64(ptr, BigInt.asUintN(64, BigInt(value as bigint)), true);
          return;
        case 'f32':
          view.setFloat32(ptr, Number(value), true);
          return;
        case 'f64':
          view.setFloat64(ptr, Number(value), true);
          return;
        case 'char':
          view.setUint32(ptr, String(value).codePointAt(0) ?? 0, true);
          return;
        case 'string': {
          const [p, len] = storeString(cx, value);
          cx.view().setUint32(ptr, p, true);
          cx.view().setUint32(ptr + 4, len, true);
          return;
        }
      }
      return;
    }
    case 'list': {
      const [p, len] = storeList(cx, value, t.elem);
      cx.view().setUint32(ptr, p, true);
      cx.view().setUint32(ptr + 4, len, true);
      return;
    }
    case 'record': {
      const offsets = fieldOffsets(t);
      const v = (value ?? {}) as Record<string, unknown>;
      t.fields.forEach((f, i) => {
        store(cx, v[camelCase(f.name)], ptr + (offsets[i] as number), f.type);
      });
      return;
    }
    case 'tuple': {
      const offsets = fieldOffsets(t);
      const v = listItems(value);
      t.types.forEach((type, i) => {
        store(cx, v[i], ptr + (offsets[i] as number), type);
      });
      return;
    }
    case 'enum':
    case 'variant':
    case 'option':
    case 'result': {
      const { index, payload } = caseOf(t, value);
      writeUint(cx.view(), ptr, discriminantSize(caseCount(t)), index);
      const payloadType = t.k === 'enum' ? null : variantPayloadType(t, index);
      if (payloadType) store(cx, payload, ptr + payloadOffset(t), payloadType);
      return;
    }
    case 'flags':
      writeUint(cx.view(), ptr, flagsSize(t.names.length), packFlags(value, t.names));
      return;
    case 'own':
      cx.view().setUint32(ptr, lowerOwn(cx, value, t.resource), true);
      return;
    case 'borrow':
      throw new TypeError('the host cannot return a borrowed resource');
  }
  throw new Error(`cannot store a ${t.k}`);
}

// --- flat values (core call arguments and results) ---------------------------------------------

/** Core values of one call, read in order (CanonicalABI.md's CoreValueIter). */
export class CoreValues {
  i = 0;
  constructor(readonly values: ArrayLike<unknown>) {}

  next(): unknown {
    return this.values[this.i++];
  }
}

const f32Scratch = new DataView(new ArrayBuffer(8));

function coerce(value: unknown, have: Flat, want: Flat): unknown {
  if (have === want) return value;
  if (have === 'i32' && want === 'f32') {
    f32Scratch.setInt32(0, value as number, true);
    return f32Scratch.getFloat32(0, true);
  }
  if (have === 'i64') {
    const big = value as bigint;
    if (want === 'i32') return Number(BigInt.asIntN(32, big));
    if (want === 'f32') {
      f32Scratch.setInt32(0, Number(BigInt.asIntN(32, big)), true);
      return f32Scratch.getFloat32(0, true);
    }
    if (want === 'f64') {
      f32Scratch.setBigInt64(0, big, true);
      return f32Scratch.getFloat64(0, true);
    }
  }
  throw new Error(`cannot coerce ${have} to ${want}`);
}

/** Reads the core values of a variant's payload as the case's own flat types want them. */
class CoercingValues extends CoreValues {
  #have: Flat[];
  #want: Flat[];
  #source: CoreValues;
  constructor(source: CoreValues, have: Flat[], want: Flat[]) {
    super([]);
    this.#source = source;
    this.#have = have;
    this.#want = want;
  }
  override next(): unknown {
    const k = this.i++;
    return coerce(this.#source.next(), this.#have[k] as Flat, this.#want[k] as Flat);
  }
}

export function liftFlat(cx: AbiContext, vi: CoreValues, t: ValType): unknown {
  switch (t.k) {
    case 'prim': {
      const v = vi.next();
      switch (t.p) {
        case 'bool':
          return (v as number) !== 0;
        case 'u8':
          return (v as number) & 0xff;
        case 's8':
          return ((v as number) << 24) >> 24;
        case 'u16':
          return (v as number) & 0xffff;
        case 's16':
          return ((v as number) << 16) >> 16;
        case 'u32':
          return (v as number) >>> 0;
        case 's32':
          return (v as number) | 0;
        case 'u64':
          return BigInt.asUintN(64, v as bigint);
        case 's64':
          return BigInt.asIntN(64, v as bigint);
        case 'f32':
        case 'f64':
          return v as number;
        case 'char':
          return charOf((v as number) >>> 0);
        case 'string':
          return loadString(cx, (v as number) >>> 0, (vi.next() as number) >>> 0);
      }
      break;
    }
    case 'list':
      return loadList(cx, (vi.next() as number) >>> 0, (vi.next() as number) >>> 0, t.elem);
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[camelCase(f.name)] = liftFlat(cx, vi, f.type);
      return out;
    }
    case 'tuple':
      return t.types.map((type) => liftFlat(cx, vi, type));
    case 'enum':
      return t.names[caseIndex(t, (vi.next() as number) >>> 0)];
    case 'flags':
      return unpackFlags((vi.next() as number) >>> 0, t.names);
    case 'variant':
    case 'option':
    case 'result': {
      const index = caseIndex(t, (vi.next() as number) >>> 0);
      const joined = flatten(t).slice(1);
      const payloadType = variantPayloadType(t, index);
      let payload: unknown;
      if (payloadType) {
        const want = flatten(payloadType);
        const coercing = new CoercingValues(vi, joined, want);
        payload = liftFlat(cx, coercing, payloadType);
        for (let k = want.length; k < joined.length; k++) vi.next();
      } else {
        for (let k = 0; k < joined.length; k++) vi.next();
      }
      return variantValue(t, index, payload);
    }
    case 'own':
      return cx.handles(t.resource).remove((vi.next() as number) >>> 0);
    case 'borrow':
      return cx.handles(t.resource).get((vi.next() as number) >>> 0);
  }
  throw new Error(`cannot lift a ${t.k}`);
}

/** Bit patterns of a float, widened into the joined slot (CanonicalABI.md, lower_flat_variant). */
function floatBits(value: number, from: Flat, into: Flat): number | bigint {
  if (from === 'f32') {
    f32Scratch.setFloat32(0, value, true);
    const bits = f32Scratch.getInt32(0, true);
    return into === 'i64' ? BigInt(bits >>> 0) : bits;
  }
  f32Scratch.setFloat64(0, value, true);
  return f32Scratch.getBigInt64(0, true);
}

/** Appends the core values carrying `value` to `out`. */
export function lowerFlat(cx: AbiContext, value: unknown, t: ValType, out: unknown[]): void {
  switch (t.k) {
    case 'prim':
      switch (t.p) {
        case 'bool':
          out.push(value ? 1 : 0);
          return;
        case 'u8':
        case 's8':
        case 'u16':
        case 's16':
        case 'u32':
        case 's32':
          out.push(Number(value) | 0);
          return;
        case 'u64':
        case 's64':
          out.push(BigInt.asIntN(64, BigInt(value as bigint)));
          return;
        case 'f32':
        case 'f64':
          out.push(Number(value));
          return;
        case 'char':
          out.push(String(value).codePointAt(0) ?? 0);
          return;
        case 'string':
          out.push(...storeString(cx, value));
          return;
      }
      return;
    case 'list':
      out.push(...storeList(cx, value, t.elem));
      return;
    case 'record': {
      const v = (value ?? {}) as Record<string, unknown>;
      for (const f of t.fields) lowerFlat(cx, v[camelCase(f.name)], f.type, out);
      return;
    }
    case 'tuple': {
      const v = listItems(value);
      t.types.forEach((type, i) => {
        lowerFlat(cx, v[i], type, out);
      });
      return;
    }
    case 'flags':
      out.push(packFlags(value, t.names) | 0);
      return;
    case 'enum':
    case 'variant':
    case 'option':
    case 'result': {
      const { index, payload } = caseOf(t, value);
      out.push(index);
      const joined = flatten(t).slice(1);
      const payloadType = t.k === 'enum' ? null : variantPayloadType(t, index);
      const values: unknown[] = [];
      if (payloadType) lowerFlat(cx, payload, payloadType, values);
      const have = payloadType ? flatten(payloadType) : [];
      joined.forEach((want, k) => {
        if (k >= values.length) {
          out.push(want === 'i64' ? 0n : 0);
          return;
        }
        const v = values[k];
        const from = have[k] as Flat;
        if (from === want) out.push(v);
        else if (from === 'f32' || from === 'f64') out.push(floatBits(v as number, from, want));
        else out.push(BigInt((v as number) >>> 0)); // an i32 zero-extended into an i64 slot
      });
      return;
    }
    case 'own':
      out.push(lowerOwn(cx, value, t.resource));
      return;
    case 'borrow':
      throw new TypeError('the host cannot return a borrowed resource');
  }
  throw new Error(`cannot lower a ${t.k}`);
}
