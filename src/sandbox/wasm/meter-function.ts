import { BodyWalker, Seg } from './body-walker.js';
import { Reader, Writer } from './bytes.js';
import { frameCost } from './frame-cost.js';
import type { ModuleInfo } from './module.js';
import { K, MAIN, MISC, Nan } from './opcodes.js';
import { rejectedInstruction } from './rejected-instruction.js';
import { type MeterRejection, rejection } from './rejection.js';
import { type FuncType, readValType, V128 } from './types.js';

/**
 * Meters one function body. One decoding pass counts the instructions of each basic block,
 * measures the operand stack for the frame cost, and records where metering code must be
 * spliced in; the rewrite then copies the original bytes between those points.
 *
 * A metered body in full:
 *
 *   locals: the original ones, then $fuel (i64), $stack (i32), for bulk operations and grows
 *   $len (i32), for memory.grow and table.grow $grown (i32), and one scratch local per
 *   NaN-canonicalised type (f32, f64, v128)
 *   ;; stack budget: trap when this frame (plus the reserve for an uncharged leaf) does not fit
 *   global.get $S  local.tee $stack  i32.const cost+reserve  i32.lt_s
 *   if  i32.const -1 global.set $S  call $stack_trap  end
 *   local.get $stack  i32.const cost  i32.sub  global.set $S
 *   ;; fuel: charge the entry block and check
 *   global.get $F  i64.const n  i64.sub  local.tee $fuel  i64.const 0  i64.lt_s
 *   if  local.get $fuel global.set $F  call $fuel_trap  end
 *   block (result ...)        ;; takes the place of the function label: `br` to it lands below
 *     ...original body, with charges at block starts and syncs around calls...
 *   end
 *   local.get $fuel global.set $F  local.get $stack global.set $S
 *   end
 *
 * The fuel counter lives in a local (a register) and is written to the global before anything
 * that can leave the function or observe the global (calls, return, tail calls, throws) and read
 * back after calls and at catch landings. The stack global is restored from the saved entry
 * value on every exit; at a catch landing it is set to this frame's value again, because an
 * exception skipped the restores of the frames it unwound. try_table catches land at labels
 * that ordinary branches reach too (after a block's end, at a loop header), where a reload
 * would lose what the local had counted: a function with try_table keeps its count in the
 * global, and only resets the stack counter at those labels (idempotent on the normal path).
 *
 * Bulk operations and grows call into the engine, so each costs a flat charge in its block (more
 * than one instruction: BULK_FLAT_COST, GROW_FLAT_COST), and then, after it ran, a charge for the
 * length kept in $len (bytes, elements or pages): out of bounds they trap before doing anything,
 * and a failed memory.grow or table.grow (-1) did nothing, so neither pays more than the flat
 * charge. The length charge is checked straight away: one operation overshoots the budget by at
 * most its own length, bounded by the memory and table caps.
 * Float operations that can make a NaN are followed by
 * `local.tee $t  const NaN  local.get $t  local.get $t  eq  select` (for SIMD: v128.const,
 * fNxM.eq, v128.bitselect), which replaces any NaN by the canonical one (see opcodes.ts, Nan).
 *
 * Leaf functions (no calls of any kind) are cheaper to meter, which matters because compiled
 * code calls many tiny helpers:
 * - a leaf whose frame costs at most LEAF_STACK_RESERVE bytes is not charged to the stack
 *   budget; instead every charged call requires that much more budget to be left, so such a
 *   leaf always fits above the deepest charged frame;
 * - a leaf without loops runs a bounded number of instructions, so it needs no fuel check: its
 *   blocks are charged straight to the global, with no local to sync.
 */

/** Indices of what metering appends to the module. */
export interface MeterIndices {
  fuelGlobal: number;
  stackGlobal: number;
  /** Set to 1 by the grow observer when a memory.grow fails. */
  growGlobal: number;
  fuelTrap: number;
  stackTrap: number;
  /** `[i32] -> [i32]`: called on every memory.grow result. */
  growObserver: number;
}

/*
 * What the operations that call into the engine cost. Fuel sizes the move's deadline at
 * `wallNsPerFuel` (300 ns) per unit, so no operation may take more than a few ns per unit of
 * what it is charged, like ordinary instructions (docs/limits.md, "The move deadline"; measured
 * by bench/fuel-rate.ts). Each is charged a flat cost in its block, like any instruction, plus,
 * once it has succeeded, a cost for the bytes, elements or pages it touched.
 */
/**
 * Flat cost of memory.copy/fill/init and table.copy/fill/init (the instruction included): each
 * is a call out of compiled code, ~10-30 ns even at length 0.
 */
export const BULK_FLAT_COST = 16;
/**
 * Memory bulk operations then cost 1 fuel per 2^2 = 4 bytes (memory.copy, the slowest, took up
 * to ~90 ns per 64 bytes at a load average of 9: under 6 ns per unit at this rate)...
 */
export const BULK_MEMORY_SHIFT = 2;
/**
 * ...and table bulk operations and table.grow 2^5 = 32 fuel per element: each element is a
 * pointer store with a write barrier, and a function reference may be made on the way
 * (table.fill/copy ~35 ns an element, table.init ~90).
 */
export const TABLE_ELEMENT_SHIFT = 5;
/**
 * Flat cost of memory.grow and table.grow (the instruction included): a call into the engine's
 * runtime, up to ~1 µs when it grows (a new buffer for the memory). A failed grow costs this
 * and nothing more.
 */
export const GROW_FLAT_COST = 256;
/**
 * A memory.grow that succeeded then costs 2^10 = 1024 fuel per page grown (1 per 64 bytes): a
 * grow that grows anything takes ~1-3 µs, whatever the pages, so the first page pays for it.
 */
export const GROW_PAGE_SHIFT = 10;
/**
 * Leaf functions with frames up to this many bytes are not charged to the stack budget, and
 * every charged call must leave this much budget free for one of them.
 */
export const LEAF_STACK_RESERVE = 512;
/** The memory.grow opcode in the main table. */
const MEMORY_GROW = 0x40;
/** The table.grow opcode in the 0xfc table. */
const TABLE_GROW = 0x0f;
/** V8's limit on locals per function (kV8MaxWasmFunctionLocals). */
const MAX_LOCALS = 50_000;
/** V8's limit on a function body's size in bytes (kV8MaxWasmFunctionSize). */
const MAX_BODY_BYTES = 7_654_321;

/** Splice points recorded by the counting pass, in body order. */
const Ev = {
  /** Before a call: write the fuel local back. */
  callBefore: 0,
  /** After a call: reload the fuel local. */
  callAfter: 1,
  /** Before return / return_call*: write back fuel, give back the stack charge. */
  exit: 2,
  /** Before throw / rethrow / throw_ref: write back fuel. */
  throw: 3,
  /** After memory.copy/fill/init (which trap before doing anything when out of bounds): charge the length. */
  bulkMemory: 4,
  /** After table.copy/fill/init: charge the length. */
  bulkTable: 5,
  /** After catch / catch_all: reload fuel, reset the stack counter to this frame's. */
  landing: 6,
  /** A basic block starts: charge it. */
  block: 7,
  /** A loop header starts: charge it and check. */
  loop: 8,
  /** After the final `end`. */
  end: 9,
  /**
   * After memory.grow: charge the pages, unless it failed (-1: no work done), then pass its
   * result through the grow observer.
   */
  memoryGrow: 10,
  /** Before a bulk operation: keep its length (on top of the stack) in $len. */
  bulkBefore: 11,
  /** After table.grow: charge the length, unless it failed (-1: no work done). */
  tableGrow: 12,
  /** After a float operation that can make a NaN: canonicalise it (Nan.f32 + 12 ... Nan.f64x2 + 12). */
  nanF32: 13,
  nanF64: 14,
  nanF32x4: 15,
  nanF64x2: 16,
  /** A loop header that a try_table catch clause also lands at: reset the stack, charge, check. */
  loopLanding: 17,
} as const;

/** Canonical quiet NaNs (positive sign, only the top fraction bit set), little-endian. */
const NAN_F32 = [0x00, 0x00, 0xc0, 0x7f];
const NAN_F64 = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f];

/** Growable int buffers reused across functions (a 10 MB module has millions of splice points). */
class IntList {
  a = new Int32Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
}

/** The encoded block type of the wrapper block: `[] -> results of the function`. */
export type WrapperBlockType = (ft: FuncType) => ArrayLike<number>;

export interface FunctionMeterResult {
  /** Estimated native frame size, bytes (charged to the stack budget unless an exempt leaf). */
  frameCost: number;
  /** Not charged to the stack budget (a leaf within LEAF_STACK_RESERVE). */
  exempt: boolean;
}

export class FunctionMeter {
  private readonly counts = new IntList();
  /** Pairs: byte offset, Ev kind. */
  private readonly events = new IntList();
  private readonly scratch: Writer;
  private readonly templates = new Writer(256);
  /** One reader and walker for every body (fewer allocations on modules with many functions). */
  private readonly r: Reader;
  private readonly w: BodyWalker;

  constructor(
    private readonly m: ModuleInfo,
    private readonly ix: MeterIndices,
    private readonly wrapperType: WrapperBlockType,
    scratch: Writer,
  ) {
    this.scratch = scratch;
    this.r = new Reader(m.bytes, 0, 0);
    this.w = new BodyWalker(this.r, m, 0);
  }

  /** Meters defined function `defIndex`, appending its new body (size-prefixed) to `out`. */
  meter(defIndex: number, out: Writer): FunctionMeterResult | MeterRejection {
    const m = this.m;
    const funcIndex = m.importedFunctions + defIndex;
    const body = m.bodies[defIndex]!;
    const ft = m.types[m.funcTypes[funcIndex]!]!;
    const r = this.r;
    r.pos = body.start;
    r.end = body.end;

    // Local declarations.
    const declCount = r.count('local declaration', 2);
    let locals = ft.params.length;
    let localBytes = 0;
    let simd = ft.hasV128 || m.hasV128Global;
    for (let i = 0; i < declCount; i++) {
      const n = r.u32();
      const t = readValType(r, m.features);
      locals += n;
      localBytes += n * (t.code === V128 ? 16 : 8);
      if (t.code === V128) simd = true;
    }
    if (locals + 3 > MAX_LOCALS) {
      return rejection(
        'too-large',
        `Function ${funcIndex} declares ${locals} locals; metering needs 3 more and the engine allows at most ${MAX_LOCALS}.`,
      );
    }
    const codeStart = r.pos;

    // Counting pass.
    const counts = this.counts;
    const ev = this.events;
    counts.n = 0;
    ev.n = 0;
    counts.push(0);
    let bulk = false;
    let grow = false;
    /** Bit per Nan kind used (1 << Nan.f32 ...): a scratch local of that type is needed. */
    let nanKinds = 0;
    let bulkOps = 0;
    let leaf = true;
    let loops = false;
    const w = this.w;
    w.reset(ft.results.length);
    const d = w.d;
    for (;;) {
      const kind = w.step();
      if (kind >= K.gc || kind === K.invalid) {
        const rejected = rejectedInstruction(kind, d, funcIndex);
        if (rejected) return rejected;
      }
      if (kind === K.bulkMemory || kind === K.bulkTable) bulkOps++;
      if (w.wasLive) {
        counts.a[counts.n - 1]!++;
        switch (kind) {
          case K.call:
          case K.callIndirect:
          case K.callRef:
            leaf = false;
            ev.push(d.start);
            ev.push(Ev.callBefore);
            ev.push(r.pos);
            ev.push(Ev.callAfter);
            break;
          case K.returnCall:
          case K.returnCallIndirect:
          case K.returnCallRef:
            leaf = false;
            ev.push(d.start);
            ev.push(Ev.exit);
            break;
          case K.return:
            ev.push(d.start);
            ev.push(Ev.exit);
            break;
          case K.throw:
          case K.rethrow:
          case K.throwRef:
            ev.push(d.start);
            ev.push(Ev.throw);
            break;
          case K.bulkMemory:
          case K.bulkTable: {
            // A flat cost with the block's instructions, then the length, charged after the
            // operation: out of bounds, it traps as out of bounds before doing anything, and a
            // failed table.grow did nothing, so neither costs more than the flat cost.
            bulk = true;
            const tableGrow = d.table === MISC && d.op === TABLE_GROW;
            if (tableGrow) grow = true;
            counts.a[counts.n - 1]! += (tableGrow ? GROW_FLAT_COST : BULK_FLAT_COST) - 1;
            ev.push(d.start);
            ev.push(Ev.bulkBefore);
            ev.push(r.pos);
            ev.push(tableGrow ? Ev.tableGrow : kind === K.bulkMemory ? Ev.bulkMemory : Ev.bulkTable);
            break;
          }
          case K.loop:
            loops = true;
            break;
        }
        if (d.table === MAIN && d.op === MEMORY_GROW) {
          // Like table.grow: flat, then per page once it has succeeded.
          bulk = true;
          grow = true;
          counts.a[counts.n - 1]! += GROW_FLAT_COST - 1;
          ev.push(d.start);
          ev.push(Ev.bulkBefore);
          ev.push(r.pos);
          ev.push(Ev.memoryGrow);
        }
        if (d.nan !== Nan.none) {
          nanKinds |= 1 << d.nan;
          ev.push(r.pos);
          ev.push(Ev.nanF32 + d.nan - Nan.f32);
        }
      } else if (kind >= K.call && kind <= K.returnCallRef) {
        // Dead calls are not metered, but they still make this a non-leaf for the stack rules'
        // simplicity: a function is a leaf only if it has no call instruction at all.
        leaf = false;
      } else if (kind === K.loop) {
        loops = true;
      }
      if (w.landing) {
        ev.push(r.pos);
        ev.push(Ev.landing);
      }
      if (w.functionEnd) {
        ev.push(r.pos);
        ev.push(Ev.end);
        break;
      }
      if (w.segmentAfter !== Seg.none) {
        counts.push(0);
        ev.push(r.pos);
        ev.push(w.segmentAfter === Seg.loop ? Ev.loop : Ev.block);
        if (w.segmentAfter === Seg.loop) w.tagFrame(ev.n - 1);
      }
      while (w.loopLandings.length > 0) ev.a[w.loopLandings.pop()!] = Ev.loopLanding;
    }
    if (!r.atEnd()) r.fail(`function ${funcIndex} has bytes after its final end`);
    if (w.simd) simd = true;

    const bytesOf = (sum: number, t: { code: number }) => sum + (t.code === V128 ? 16 : 8);
    const cost = frameCost({
      paramBytes: ft.params.reduce(bytesOf, 0),
      resultBytes: ft.results.reduce(bytesOf, 0),
      localBytes: localBytes + addedLocalBytes(grow, nanKinds),
      stackSlots: w.maxHeight,
      simd,
      loopHeavyOps: w.loopHeavy,
      bulkOps,
      codeBytes: body.end - body.start,
    });
    const exempt = leaf && cost <= LEAF_STACK_RESERVE;
    const refused = this.emit(
      {
        funcIndex,
        start: body.start,
        codeStart,
        declCount,
        locals,
        ft,
        bulk,
        grow,
        nanKinds,
        exempt,
        // try_table lands at labels that ordinary branches reach too, where a reload from the
        // global would lose what the local counted: such functions count in the global.
        direct: (leaf && !loops) || w.tryTable,
        checkEntry: !(leaf && !loops),
        cost,
      },
      out,
    );
    return refused ?? { frameCost: cost, exempt };
  }

  private emit(
    f: {
      funcIndex: number;
      start: number;
      codeStart: number;
      declCount: number;
      locals: number;
      ft: FuncType;
      bulk: boolean;
      /** Has a memory.grow or table.grow: needs $grown, an i32 local for its result. */
      grow: boolean;
      /** Which NaN scratch locals are needed (bits 1 << Nan.*). */
      nanKinds: number;
      /** Not charged to the stack budget. */
      exempt: boolean;
      /** Fuel charged straight to the global, no local to sync. */
      direct: boolean;
      /** Check the fuel at entry (all but leaves without loops, which run a bounded number of instructions). */
      checkEntry: boolean;
      cost: number;
    },
    out: Writer,
  ): MeterRejection | undefined {
    const src = this.m.bytes;
    const ix = this.ix;
    const o = this.scratch;
    o.len = 0;
    const { direct, exempt } = f;

    let next = f.locals;
    const fl = direct ? -1 : next++;
    const sl = exempt ? -1 : next++;
    const ll = f.bulk ? next++ : -1;
    const gl = f.grow ? next++ : -1;
    // One scratch local per NaN type used, indexed by Nan kind (f32x4 and f64x2 share a v128).
    const nanLocal = [-1, -1, -1, -1, -1];
    if (f.nanKinds & (1 << Nan.f32)) nanLocal[Nan.f32] = next++;
    if (f.nanKinds & (1 << Nan.f64)) nanLocal[Nan.f64] = next++;
    if (f.nanKinds & ((1 << Nan.f32x4) | (1 << Nan.f64x2))) {
      nanLocal[Nan.f32x4] = nanLocal[Nan.f64x2] = next++;
    }
    const F = ix.fuelGlobal;
    const S = ix.stackGlobal;

    // Instruction templates, written once per function into `t` and copied at each splice point.
    const t = this.templates;
    t.len = 0;
    const span = (write: () => void): [number, number] => {
      const from = t.len;
      write();
      return [from, t.len];
    };
    const writeBackOps = () => {
      if (!direct) op2(t, 0x20, fl, 0x24, F);
    };
    const reloadOps = () => {
      if (!direct) op2(t, 0x23, F, 0x21, fl);
    };
    const stackRestoreOps = () => {
      if (!exempt) op2(t, 0x20, sl, 0x24, S);
    };
    /** After the `i64.sub` of a charge: store the counter, trap if it went negative. */
    const storeAndCheckOps = () => {
      if (direct) {
        op2(t, 0x24, F, 0x23, F);
        t.raw([0x42, 0x00, 0x53, 0x04, 0x40]);
      } else {
        op1(t, 0x22, fl);
        t.raw([0x42, 0x00, 0x53, 0x04, 0x40]);
        op2(t, 0x20, fl, 0x24, F);
      }
      op1(t, 0x10, ix.fuelTrap);
      t.u8(0x0b);
    };
    const writeBack = span(writeBackOps);
    const reload = span(reloadOps);
    const exits = span(() => {
      writeBackOps();
      stackRestoreOps();
    });
    const landing = span(() => {
      reloadOps();
      if (!exempt) {
        op1(t, 0x20, sl);
        t.u8(0x41);
        t.s32(f.cost);
        t.u8(0x6b);
        op1(t, 0x24, S);
      }
    });
    const store = span(() => (direct ? op1(t, 0x24, F) : op1(t, 0x21, fl)));
    const storeAndCheck = span(storeAndCheckOps);
    const chargeHead = span(() => {
      op1(t, direct ? 0x23 : 0x20, direct ? F : fl);
      t.u8(0x42);
    });
    const bulkBefore = span(() => op1(t, 0x22, ll));
    // fuel - (i64.extend_i32_u($len) >> or << shift): the shift and the shift's opcode follow.
    const bulkHead = span(() => {
      op1(t, direct ? 0x23 : 0x20, direct ? F : fl);
      op1(t, 0x20, ll);
      t.raw([0xad, 0x42]);
    });
    // [grown] local.tee $grown  i32.const -1  i32.ne  if  (charge)  end  local.get $grown
    const growHead = span(() => {
      op1(t, 0x22, gl);
      t.raw([0x41, 0x7f, 0x47, 0x04, 0x40]);
    });
    // [x] local.tee $t  const NaN  local.get $t  local.get $t  eq  select: x if x == x, else NaN.
    const nanSpans = [Nan.f32, Nan.f64, Nan.f32x4, Nan.f64x2].map((k) =>
      nanLocal[k]! < 0
        ? ([0, 0] as [number, number])
        : span(() => {
            const tl = nanLocal[k]!;
            op1(t, 0x22, tl);
            if (k === Nan.f32) t.raw([0x43, ...NAN_F32]);
            else if (k === Nan.f64) t.raw([0x44, ...NAN_F64]);
            else {
              // v128.const with the canonical NaN in every lane.
              const lanes = k === Nan.f32x4 ? [...NAN_F32, ...NAN_F32] : NAN_F64;
              t.raw([0xfd, 0x0c, ...lanes, ...lanes]);
            }
            op2(t, 0x20, tl, 0x20, tl);
            if (k === Nan.f32) t.raw([0x5b, 0x1b]);
            else if (k === Nan.f64) t.raw([0x61, 0x1b]);
            // f32x4.eq (0xfd 0x41) / f64x2.eq (0xfd 0x47), then v128.bitselect (0xfd 0x52).
            else t.raw([0xfd, k === Nan.f32x4 ? 0x41 : 0x47, 0xfd, 0x52]);
          }),
    );
    const tb = t.buf;
    const put = (span: [number, number]) => o.copy(tb, span[0], span[1]);

    // Locals: the original declarations, then ours (in index order: i64, i32s, f32, f64, v128).
    const addedI32 = (exempt ? 0 : 1) + (f.bulk ? 1 : 0) + (f.grow ? 1 : 0);
    const nanTypes = [Nan.f32, Nan.f64, Nan.f32x4].filter((k) => nanLocal[k]! >= 0);
    o.u32(f.declCount + (direct ? 0 : 1) + (addedI32 > 0 ? 1 : 0) + nanTypes.length);
    o.copy(src, f.start + ulebLength(src, f.start), f.codeStart);
    if (!direct) o.raw([0x01, 0x7e]);
    if (addedI32 > 0) o.raw([addedI32, 0x7f]);
    for (const k of nanTypes) o.raw([0x01, k === Nan.f32 ? 0x7d : k === Nan.f64 ? 0x7c : 0x7b]);

    // Prologue.
    const counts = this.counts.a;
    if (!exempt) {
      op2(o, 0x23, S, 0x22, sl);
      o.u8(0x41);
      o.s32(f.cost + LEAF_STACK_RESERVE);
      o.raw([0x48, 0x04, 0x40, 0x41, 0x7f]);
      op2(o, 0x24, S, 0x10, ix.stackTrap);
      o.u8(0x0b);
      op1(o, 0x20, sl);
      o.u8(0x41);
      o.s32(f.cost);
      o.u8(0x6b);
      op1(o, 0x24, S);
    }
    op1(o, 0x23, F);
    o.u8(0x42);
    o.s32(counts[0]!);
    o.u8(0x7d);
    put(f.checkEntry ? storeAndCheck : store);
    const wrapped = exits[1] > exits[0];
    if (wrapped) {
      o.u8(0x02);
      o.raw(this.wrapperType(f.ft));
    }

    // Copy the original code between splice points.
    const ev = this.events.a;
    const nev = this.events.n;
    let copied = f.codeStart;
    let seg = 1;
    for (let i = 0; i < nev; i += 2) {
      const pos = ev[i]!;
      o.copy(src, copied, pos);
      copied = pos;
      switch (ev[i + 1]) {
        case Ev.callBefore:
        case Ev.throw:
          put(writeBack);
          break;
        case Ev.callAfter:
          put(reload);
          break;
        case Ev.exit:
          put(exits);
          break;
        case Ev.bulkBefore:
          put(bulkBefore);
          break;
        case Ev.bulkMemory:
          // The operation succeeded: charge $len >> shift (i64.shr_u), trap if out of fuel.
          put(bulkHead);
          o.raw([BULK_MEMORY_SHIFT, 0x88, 0x7d]);
          put(storeAndCheck);
          break;
        case Ev.bulkTable:
          // $len << shift (i64.shl).
          put(bulkHead);
          o.raw([TABLE_ELEMENT_SHIFT, 0x86, 0x7d]);
          put(storeAndCheck);
          break;
        case Ev.tableGrow:
        case Ev.memoryGrow: {
          const memory = ev[i + 1] === Ev.memoryGrow;
          put(growHead);
          put(bulkHead);
          o.raw([memory ? GROW_PAGE_SHIFT : TABLE_ELEMENT_SHIFT, 0x86, 0x7d]);
          put(storeAndCheck);
          o.u8(0x0b);
          op1(o, 0x20, gl);
          // The grow observer: a tiny unmetered helper, within the leaf stack reserve every
          // charged frame leaves.
          if (memory) op1(o, 0x10, ix.growObserver);
          break;
        }
        case Ev.nanF32:
        case Ev.nanF64:
        case Ev.nanF32x4:
        case Ev.nanF64x2:
          put(nanSpans[ev[i + 1]! - Ev.nanF32]!);
          break;
        case Ev.landing:
          put(landing);
          break;
        case Ev.block:
        case Ev.loop:
        case Ev.loopLanding:
          if (ev[i + 1] === Ev.loopLanding) put(landing);
          put(chargeHead);
          o.s32(counts[seg++]!);
          o.u8(0x7d);
          put(ev[i + 1] === Ev.block ? store : storeAndCheck);
          break;
        case Ev.end:
          // The original final `end` closes the wrapper block; the epilogue follows it.
          if (wrapped) {
            put(exits);
            o.u8(0x0b);
          }
          break;
      }
    }
    if (seg !== this.counts.n)
      throw new Error(`bug: function ${f.funcIndex} used ${seg} of ${this.counts.n} blocks`);
    if (o.len > MAX_BODY_BYTES) {
      return rejection(
        'too-large',
        `Function ${f.funcIndex} would be ${o.len} bytes after metering; the engine allows at most ${MAX_BODY_BYTES}. Split it into smaller functions.`,
      );
    }
    out.sized(o);
    return undefined;
  }
}

/** Bytes of frame (8 per slot, 16 per v128) for the locals metering adds to a function. */
function addedLocalBytes(grow: boolean, nanKinds: number): number {
  let bytes = 24; // $fuel, $stack, $len
  if (grow) bytes += 8;
  if (nanKinds & (1 << Nan.f32)) bytes += 8;
  if (nanKinds & (1 << Nan.f64)) bytes += 8;
  if (nanKinds & ((1 << Nan.f32x4) | (1 << Nan.f64x2))) bytes += 16;
  return bytes;
}

/** An instruction with one index immediate. */
function op1(w: Writer, op: number, index: number): void {
  w.u8(op);
  w.u32(index);
}

function op2(w: Writer, opA: number, a: number, opB: number, b: number): void {
  op1(w, opA, a);
  op1(w, opB, b);
}

/** Length in bytes of the LEB128 number at `pos`. */
function ulebLength(bytes: Uint8Array, pos: number): number {
  let n = 1;
  while (bytes[pos + n - 1]! & 0x80) n++;
  return n;
}
