/**
 * Opcode tables: for every instruction, how its immediates are encoded, how many operands it
 * pops and pushes, and which kind of instruction it is for metering (control flow, call, bulk
 * operation, or something the sandbox rejects).
 *
 * Numbers follow the WebAssembly core spec and its proposals (SIMD, bulk memory, reference
 * types, tail calls, exception handling, typed function references, GC, threads). Tables are
 * filled once at load from compact ranges; decoding then costs one array lookup per byte.
 */

/** Instruction kinds that metering treats differently. Plain instructions are `K.plain`. */
export const K = {
  invalid: 0,
  plain: 1,
  block: 2,
  loop: 3,
  if: 4,
  else: 5,
  end: 6,
  try: 7,
  catch: 8,
  catchAll: 9,
  delegate: 10,
  tryTable: 11,
  br: 12,
  brIf: 13,
  brTable: 14,
  return: 15,
  unreachable: 16,
  call: 17,
  callIndirect: 18,
  callRef: 19,
  returnCall: 20,
  returnCallIndirect: 21,
  returnCallRef: 22,
  throw: 23,
  rethrow: 24,
  throwRef: 25,
  brOnNull: 26,
  brOnNonNull: 27,
  /** memory.copy/fill/init: charged by length. */
  bulkMemory: 28,
  /** table.copy/fill/init/grow: charged by length. */
  bulkTable: 29,
  /** GC proposal instructions (not run by the sandbox's engine without flags). */
  gc: 30,
  relaxedSimd: 31,
  atomicWait: 32,
} as const;

/** How an instruction's immediates are encoded. */
export const Imm = {
  none: 0,
  blockType: 1,
  u32: 2,
  u32x2: 3,
  brTable: 4,
  memarg: 5,
  i32: 6,
  i64: 7,
  f32: 8,
  f64: 9,
  v128: 10,
  lane: 11,
  memargLane: 12,
  shuffle: 13,
  selectT: 14,
  heapType: 15,
  tryTable: 16,
  byte: 17,
  brOnCast: 18,
  /** memory.size / memory.grow: a memory index (a zero byte before multi-memory). */
  memIndex: 19,
} as const;

/** Per-opcode description within one opcode space. */
export class OpTable {
  readonly kind: Uint8Array;
  readonly imm: Uint8Array;
  readonly pops: Uint8Array;
  readonly pushes: Uint8Array;
  /** SIMD instructions: their operands may be v128 (16-byte stack slots). */
  readonly simd: Uint8Array;
  /**
   * Integer division and float-to-int truncation: inside loops, TurboFan gives each of these
   * extra spill slots (measured: up to 22 bytes more per occurrence than the value needs).
   */
  readonly loopHeavy: Uint8Array;
  /**
   * Float operations whose NaN results are not bit-exact across engines and tiers (the sign and
   * payload of a NaN they make are left to the hardware and the compiler): metering
   * canonicalises their result. One of the Nan constants.
   */
  readonly nan: Uint8Array;
  readonly names: string[];

  constructor(size: number) {
    this.kind = new Uint8Array(size);
    this.imm = new Uint8Array(size);
    this.pops = new Uint8Array(size);
    this.pushes = new Uint8Array(size);
    this.simd = new Uint8Array(size);
    this.loopHeavy = new Uint8Array(size);
    this.nan = new Uint8Array(size);
    this.names = new Array<string>(size).fill('');
  }

  set(op: number, name: string, kind: number, imm: number, pops = 0, pushes = 0): void {
    this.kind[op] = kind;
    this.imm[op] = imm;
    this.pops[op] = pops;
    this.pushes[op] = pushes;
    this.names[op] = name;
  }

  range(
    from: number,
    to: number,
    name: string,
    kind: number,
    imm: number,
    pops: number,
    pushes: number,
  ): void {
    for (let op = from; op <= to; op++) this.set(op, name, kind, imm, pops, pushes);
  }
}

/**
 * What an instruction's result needs for NaN canonicalisation. Operations that only move or
 * select bits (load, store, reinterpret, copysign, neg, abs, pmin/pmax, lanes, splat) are
 * bit-exact and need nothing.
 */
export const Nan = { none: 0, f32: 1, f64: 2, f32x4: 3, f64x2: 4 } as const;

const { plain } = K;

function mainTable(): OpTable {
  const t = new OpTable(256);
  t.set(0x00, 'unreachable', K.unreachable, Imm.none);
  t.set(0x01, 'nop', plain, Imm.none);
  t.set(0x02, 'block', K.block, Imm.blockType);
  t.set(0x03, 'loop', K.loop, Imm.blockType);
  t.set(0x04, 'if', K.if, Imm.blockType);
  t.set(0x05, 'else', K.else, Imm.none);
  t.set(0x06, 'try', K.try, Imm.blockType);
  t.set(0x07, 'catch', K.catch, Imm.u32);
  t.set(0x08, 'throw', K.throw, Imm.u32);
  t.set(0x09, 'rethrow', K.rethrow, Imm.u32);
  t.set(0x0a, 'throw_ref', K.throwRef, Imm.none);
  t.set(0x0b, 'end', K.end, Imm.none);
  t.set(0x0c, 'br', K.br, Imm.u32);
  t.set(0x0d, 'br_if', K.brIf, Imm.u32);
  t.set(0x0e, 'br_table', K.brTable, Imm.brTable);
  t.set(0x0f, 'return', K.return, Imm.none);
  t.set(0x10, 'call', K.call, Imm.u32);
  t.set(0x11, 'call_indirect', K.callIndirect, Imm.u32x2);
  t.set(0x12, 'return_call', K.returnCall, Imm.u32);
  t.set(0x13, 'return_call_indirect', K.returnCallIndirect, Imm.u32x2);
  t.set(0x14, 'call_ref', K.callRef, Imm.u32);
  t.set(0x15, 'return_call_ref', K.returnCallRef, Imm.u32);
  t.set(0x18, 'delegate', K.delegate, Imm.u32);
  t.set(0x19, 'catch_all', K.catchAll, Imm.none);
  t.set(0x1a, 'drop', plain, Imm.none, 1, 0);
  t.set(0x1b, 'select', plain, Imm.none, 3, 1);
  t.set(0x1c, 'select', plain, Imm.selectT, 3, 1);
  t.set(0x1f, 'try_table', K.tryTable, Imm.tryTable);
  t.set(0x20, 'local.get', plain, Imm.u32, 0, 1);
  t.set(0x21, 'local.set', plain, Imm.u32, 1, 0);
  t.set(0x22, 'local.tee', plain, Imm.u32, 1, 1);
  t.set(0x23, 'global.get', plain, Imm.u32, 0, 1);
  t.set(0x24, 'global.set', plain, Imm.u32, 1, 0);
  t.set(0x25, 'table.get', plain, Imm.u32, 1, 1);
  t.set(0x26, 'table.set', plain, Imm.u32, 2, 0);
  t.range(0x28, 0x35, 'load', plain, Imm.memarg, 1, 1);
  t.range(0x36, 0x3e, 'store', plain, Imm.memarg, 2, 0);
  t.set(0x3f, 'memory.size', plain, Imm.memIndex, 0, 1);
  t.set(0x40, 'memory.grow', plain, Imm.memIndex, 1, 1);
  t.set(0x41, 'i32.const', plain, Imm.i32, 0, 1);
  t.set(0x42, 'i64.const', plain, Imm.i64, 0, 1);
  t.set(0x43, 'f32.const', plain, Imm.f32, 0, 1);
  t.set(0x44, 'f64.const', plain, Imm.f64, 0, 1);
  t.set(0x45, 'i32.eqz', plain, Imm.none, 1, 1);
  t.range(0x46, 0x4f, 'i32 compare', plain, Imm.none, 2, 1);
  t.set(0x50, 'i64.eqz', plain, Imm.none, 1, 1);
  t.range(0x51, 0x66, 'compare', plain, Imm.none, 2, 1);
  t.range(0x67, 0x69, 'i32 unary', plain, Imm.none, 1, 1);
  t.range(0x6a, 0x78, 'i32 binary', plain, Imm.none, 2, 1);
  t.range(0x79, 0x7b, 'i64 unary', plain, Imm.none, 1, 1);
  t.range(0x7c, 0x8a, 'i64 binary', plain, Imm.none, 2, 1);
  t.range(0x8b, 0x91, 'f32 unary', plain, Imm.none, 1, 1);
  t.range(0x92, 0x98, 'f32 binary', plain, Imm.none, 2, 1);
  t.range(0x99, 0x9f, 'f64 unary', plain, Imm.none, 1, 1);
  t.range(0xa0, 0xa6, 'f64 binary', plain, Imm.none, 2, 1);
  t.range(0xa7, 0xc4, 'conversion', plain, Imm.none, 1, 1);
  t.set(0xd0, 'ref.null', plain, Imm.heapType, 0, 1);
  t.set(0xd1, 'ref.is_null', plain, Imm.none, 1, 1);
  t.set(0xd2, 'ref.func', plain, Imm.u32, 0, 1);
  t.set(0xd3, 'ref.eq', K.gc, Imm.none, 2, 1);
  t.set(0xd4, 'ref.as_non_null', plain, Imm.none, 1, 1);
  t.set(0xd5, 'br_on_null', K.brOnNull, Imm.u32);
  t.set(0xd6, 'br_on_non_null', K.brOnNonNull, Imm.u32);
  // f32 ceil floor trunc nearest sqrt, add sub mul div min max (not abs, neg, copysign); f64 alike.
  t.nan.fill(Nan.f32, 0x8d, 0x98);
  t.nan.fill(Nan.f64, 0x9b, 0xa6);
  t.nan[0xb6] = Nan.f32; // f32.demote_f64
  t.nan[0xbb] = Nan.f64; // f64.promote_f32
  // i32/i64 div and rem, i32/i64 trunc from f32/f64
  for (const op of [
    0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82, 0xa8, 0xa9, 0xaa, 0xab, 0xae, 0xaf, 0xb0, 0xb1,
  ]) {
    t.loopHeavy[op] = 1;
  }
  return t;
}

/** 0xFC prefix: saturating truncation, bulk memory, table operations. */
function miscTable(): OpTable {
  const t = new OpTable(0x12);
  t.range(0x00, 0x07, 'trunc_sat', plain, Imm.none, 1, 1);
  t.set(0x08, 'memory.init', K.bulkMemory, Imm.u32x2, 3, 0);
  t.set(0x09, 'data.drop', plain, Imm.u32, 0, 0);
  t.set(0x0a, 'memory.copy', K.bulkMemory, Imm.u32x2, 3, 0);
  t.set(0x0b, 'memory.fill', K.bulkMemory, Imm.u32, 3, 0);
  t.set(0x0c, 'table.init', K.bulkTable, Imm.u32x2, 3, 0);
  t.set(0x0d, 'elem.drop', plain, Imm.u32, 0, 0);
  t.set(0x0e, 'table.copy', K.bulkTable, Imm.u32x2, 3, 0);
  t.set(0x0f, 'table.grow', K.bulkTable, Imm.u32, 2, 1);
  t.set(0x10, 'table.size', plain, Imm.u32, 0, 1);
  t.set(0x11, 'table.fill', K.bulkTable, Imm.u32, 3, 0);
  t.loopHeavy.fill(1, 0x00, 0x08);
  return t;
}

/** SIMD unary operations in 0x60..0xff (everything else defined in that range is binary). */
const SIMD_UNARY = [
  0x60, 0x61, 0x62, 0x63, 0x64, 0x67, 0x68, 0x69, 0x6a, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81,
  0x83, 0x84, 0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa3, 0xa4, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc3,
  0xc4, 0xc7, 0xc8, 0xc9, 0xca, 0xe0, 0xe1, 0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe,
  0xff,
];
/** Opcodes in 0x60..0xff that were never assigned (or were removed before SIMD shipped). */
const SIMD_UNASSIGNED = [
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4,
  0xe2, 0xee,
];

/** 0xFD prefix: fixed-width SIMD, and relaxed SIMD (rejected: its results differ between CPUs). */
function simdTable(): OpTable {
  const t = new OpTable(0x114);
  t.range(0x00, 0x0a, 'v128.load', plain, Imm.memarg, 1, 1);
  t.set(0x0b, 'v128.store', plain, Imm.memarg, 2, 0);
  t.set(0x0c, 'v128.const', plain, Imm.v128, 0, 1);
  t.set(0x0d, 'i8x16.shuffle', plain, Imm.shuffle, 2, 1);
  t.set(0x0e, 'i8x16.swizzle', plain, Imm.none, 2, 1);
  t.range(0x0f, 0x14, 'splat', plain, Imm.none, 1, 1);
  for (const op of [0x15, 0x16, 0x18, 0x19, 0x1b, 0x1d, 0x1f, 0x21])
    t.set(op, 'extract_lane', plain, Imm.lane, 1, 1);
  for (const op of [0x17, 0x1a, 0x1c, 0x1e, 0x20, 0x22]) t.set(op, 'replace_lane', plain, Imm.lane, 2, 1);
  t.range(0x23, 0x4c, 'simd compare', plain, Imm.none, 2, 1);
  t.set(0x4d, 'v128.not', plain, Imm.none, 1, 1);
  t.range(0x4e, 0x51, 'v128 bitwise', plain, Imm.none, 2, 1);
  t.set(0x52, 'v128.bitselect', plain, Imm.none, 3, 1);
  t.set(0x53, 'v128.any_true', plain, Imm.none, 1, 1);
  t.range(0x54, 0x57, 'v128.load_lane', plain, Imm.memargLane, 2, 1);
  t.range(0x58, 0x5b, 'v128.store_lane', plain, Imm.memargLane, 2, 0);
  t.range(0x5c, 0x5d, 'v128.load_zero', plain, Imm.memarg, 1, 1);
  t.range(0x5e, 0x5f, 'simd conversion', plain, Imm.none, 1, 1);
  t.range(0x60, 0xff, 'simd binary', plain, Imm.none, 2, 1);
  for (const op of SIMD_UNARY) t.set(op, 'simd unary', plain, Imm.none, 1, 1);
  for (const op of SIMD_UNASSIGNED) t.set(op, '', K.invalid, Imm.none);
  t.range(0x100, 0x113, 'relaxed simd', K.relaxedSimd, Imm.none, 0, 0);
  t.simd.fill(1);
  // ceil floor trunc nearest, sqrt, add sub mul div min max, demote/promote.
  for (const op of [0x67, 0x68, 0x69, 0x6a, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0x5e])
    t.nan[op] = Nan.f32x4;
  for (const op of [0x74, 0x75, 0x7a, 0x94, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0x5f])
    t.nan[op] = Nan.f64x2;
  return t;
}

/** 0xFE prefix: threads. Waits are rejected (they block the host thread). */
function atomicTable(): OpTable {
  const t = new OpTable(0x4f);
  t.set(0x00, 'memory.atomic.notify', plain, Imm.memarg, 2, 1);
  t.set(0x01, 'memory.atomic.wait32', K.atomicWait, Imm.memarg, 3, 1);
  t.set(0x02, 'memory.atomic.wait64', K.atomicWait, Imm.memarg, 3, 1);
  t.set(0x03, 'atomic.fence', plain, Imm.byte, 0, 0);
  t.range(0x10, 0x16, 'atomic load', plain, Imm.memarg, 1, 1);
  t.range(0x17, 0x1d, 'atomic store', plain, Imm.memarg, 2, 0);
  t.range(0x1e, 0x47, 'atomic rmw', plain, Imm.memarg, 2, 1);
  t.range(0x48, 0x4e, 'atomic cmpxchg', plain, Imm.memarg, 3, 1);
  return t;
}

/** 0xFB prefix: GC. Decoded so a module can be read; metering rejects it (no engine support). */
function gcTable(): OpTable {
  const t = new OpTable(0x1f);
  const gc = K.gc;
  t.set(0x00, 'struct.new', gc, Imm.u32);
  t.set(0x01, 'struct.new_default', gc, Imm.u32);
  t.range(0x02, 0x05, 'struct.get/set', gc, Imm.u32x2, 0, 0);
  t.set(0x06, 'array.new', gc, Imm.u32);
  t.set(0x07, 'array.new_default', gc, Imm.u32);
  t.range(0x08, 0x0a, 'array.new_fixed/data/elem', gc, Imm.u32x2, 0, 0);
  t.range(0x0b, 0x0e, 'array.get/set', gc, Imm.u32, 0, 0);
  t.set(0x0f, 'array.len', gc, Imm.none);
  t.set(0x10, 'array.fill', gc, Imm.u32);
  t.range(0x11, 0x13, 'array.copy/init', gc, Imm.u32x2, 0, 0);
  t.range(0x14, 0x17, 'ref.test/cast', gc, Imm.heapType, 0, 0);
  t.range(0x18, 0x19, 'br_on_cast', gc, Imm.brOnCast, 0, 0);
  t.range(0x1a, 0x1e, 'gc conversion', gc, Imm.none, 0, 0);
  return t;
}

export const MAIN = mainTable();
export const MISC = miscTable();
export const SIMD = simdTable();
export const ATOMIC = atomicTable();
export const GC = gcTable();

export const OP_END = 0x0b;
export const PREFIX_GC = 0xfb;
export const PREFIX_MISC = 0xfc;
export const PREFIX_SIMD = 0xfd;
export const PREFIX_ATOMIC = 0xfe;
