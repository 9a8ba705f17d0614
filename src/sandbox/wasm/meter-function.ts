import { BodyWalker, Seg } from './body-walker.js';
import { Reader, uleb, type Writer } from './bytes.js';
import { frameCost } from './frame-cost.js';
import type { Body, ModuleInfo } from './module.js';
import { K } from './opcodes.js';
import { rejectedInstruction } from './rejected-instruction.js';
import { type MeterRejection, rejection } from './rejection.js';
import { type FuncType, readValType, V128 } from './types.js';

/**
 * Meters one function body: a counting pass (fuel per basic block, operand stack height),
 * then a rewriting pass that copies the original bytes and splices metering code in.
 *
 * The rewritten body:
 *
 *   locals: the original ones, then $fuel (i64), $stack (i32) and, for bulk operations, $len (i32)
 *   ;; stack budget: trap when this frame does not fit
 *   global.get $S  local.tee $stack  i32.const cost  i32.lt_s
 *   if  local.get $stack i32.const cost i32.sub global.set $S  call $stack_trap  end
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
 * exception skipped the restores of the frames it unwound.
 */

/** Indices of what metering appends to the module. */
export interface MeterIndices {
  fuelGlobal: number;
  stackGlobal: number;
  fuelTrap: number;
  stackTrap: number;
}

/** Bulk operations cost 1 fuel per 2^6 = 64 bytes of memory touched... */
export const BULK_MEMORY_SHIFT = 6;
/** ...and 1 fuel per 2^3 = 8 table elements (each is a pointer store with a write barrier). */
export const BULK_TABLE_SHIFT = 3;
/** V8's limit on locals per function (kV8MaxWasmFunctionLocals). */
const MAX_LOCALS = 50_000;
/** V8's limit on a function body's size in bytes (kV8MaxWasmFunctionSize). */
const MAX_BODY_BYTES = 7_654_321;

export interface FunctionMeterResult {
  /** Estimated native frame size charged to the stack budget. */
  frameCost: number;
}

/** The encoded block type of the wrapper block: `[] -> results of the function`. */
export type WrapperBlockType = (ft: FuncType) => ArrayLike<number>;

export class FunctionMeter {
  private readonly body: Writer;

  constructor(
    private readonly m: ModuleInfo,
    private readonly ix: MeterIndices,
    private readonly wrapperType: WrapperBlockType,
    scratch: Writer,
  ) {
    this.body = scratch;
  }

  /**
   * Meters defined function `defIndex` and appends its new body (size-prefixed) to `out`.
   * Returns a rejection for instructions the sandbox does not run.
   */
  meter(defIndex: number, b: Body, out: Writer): MeterRejection | FunctionMeterResult {
    const m = this.m;
    const funcIndex = m.importedFunctions + defIndex;
    const ft = m.types[m.funcTypes[funcIndex]!]!;
    const r = new Reader(m.bytes, b.start, b.end);

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
    const declEnd = r.pos;
    if (locals + 3 > MAX_LOCALS) {
      return rejection(
        'too-large',
        `Function ${funcIndex} declares ${locals} locals; metering needs 3 more and the engine allows at most ${MAX_LOCALS}.`,
      );
    }
    const codeStart = r.pos;

    // Pass 1: count instructions per basic block, measure the operand stack, find bulk operations.
    const counts: number[] = [0];
    let bulk = false;
    const w1 = new BodyWalker(r, m, ft.results.length);
    for (;;) {
      const kind = w1.step();
      const rejected = rejectedInstruction(kind, w1.d, funcIndex);
      if (rejected) return rejected;
      if (w1.wasLive) counts[counts.length - 1]!++;
      if (kind === K.bulkMemory || kind === K.bulkTable) bulk = true;
      if (w1.functionEnd) break;
      if (w1.segmentAfter !== Seg.none) counts.push(0);
    }
    if (!r.atEnd()) r.fail(`function ${funcIndex} has bytes after its final end`);
    if (w1.simd) simd = true;

    const fuelLocal = locals;
    const stackLocal = locals + 1;
    const lenLocal = locals + 2;
    const bytesOf = (sum: number, t: { code: number }) => sum + (t.code === V128 ? 16 : 8);
    const cost = frameCost({
      paramBytes: ft.params.reduce(bytesOf, 0),
      resultBytes: ft.results.reduce(bytesOf, 0),
      localBytes: localBytes + (bulk ? 24 : 16),
      stackSlots: w1.maxHeight,
      simd,
      loopHeavyOps: w1.loopHeavy,
    });

    // Pass 2: copy and splice.
    const o = this.body;
    o.len = 0;
    const src = m.bytes;
    const ix = this.ix;
    const F = uleb(ix.fuelGlobal);
    const S = uleb(ix.stackGlobal);
    const fl = uleb(fuelLocal);
    const sl = uleb(stackLocal);
    const ll = uleb(lenLocal);
    const fuelTrap = uleb(ix.fuelTrap);
    const stackTrap = uleb(ix.stackTrap);
    const writeBack = [0x20, ...fl, 0x24, ...F];
    const reload = [0x23, ...F, 0x21, ...fl];
    const stackRestore = [0x20, ...sl, 0x24, ...S];
    const trapIfNegative = [
      0x22,
      ...fl,
      0x42,
      0x00,
      0x53,
      0x04,
      0x40,
      0x20,
      ...fl,
      0x24,
      ...F,
      0x10,
      ...fuelTrap,
      0x0b,
    ];
    const costBytes = [0x41, ...sleb32(cost)];
    const stackLanding = [0x20, ...sl, ...costBytes, 0x6b, 0x24, ...S];
    const chargeHead = [0x20, ...fl, 0x42];
    const setFuel = [0x21, ...fl];
    const bulkHead = [0x22, ...ll, 0x20, ...fl, 0x20, ...ll, 0xad, 0x42];

    // Locals: the original declarations, then ours.
    o.u32(declCount + 2);
    o.copy(src, b.start + ulebLength(src, b.start), declEnd);
    o.raw([0x01, 0x7e]);
    o.raw([bulk ? 0x02 : 0x01, 0x7f]);

    // Prologue: stack budget, entry charge, wrapper block.
    o.raw([0x23, ...S, 0x22, ...sl, ...costBytes, 0x48, 0x04, 0x40]);
    o.raw([0x20, ...sl, ...costBytes, 0x6b, 0x24, ...S, 0x10, ...stackTrap, 0x0b]);
    o.raw([0x20, ...sl, ...costBytes, 0x6b, 0x24, ...S]);
    o.raw([0x23, ...F, 0x42]);
    o.s32(counts[0]!);
    o.u8(0x7d);
    o.raw(trapIfNegative);
    o.u8(0x02);
    o.raw(this.wrapperType(ft));

    const r2 = new Reader(src, codeStart, b.end);
    const w = new BodyWalker(r2, m, ft.results.length);
    const d = w.d;
    let copied = codeStart;
    let seg = 1;
    for (;;) {
      const kind = w.step();
      if (w.wasLive) {
        switch (kind) {
          case K.call:
          case K.callIndirect:
          case K.callRef:
            o.copy(src, copied, d.start);
            o.raw(writeBack);
            o.copy(src, d.start, r2.pos);
            o.raw(reload);
            copied = r2.pos;
            break;
          case K.return:
          case K.returnCall:
          case K.returnCallIndirect:
          case K.returnCallRef:
            o.copy(src, copied, d.start);
            o.raw(writeBack);
            o.raw(stackRestore);
            copied = d.start;
            break;
          case K.throw:
          case K.rethrow:
          case K.throwRef:
            o.copy(src, copied, d.start);
            o.raw(writeBack);
            copied = d.start;
            break;
          case K.bulkMemory:
          case K.bulkTable:
            o.copy(src, copied, d.start);
            // The length is on top of the stack: keep it, charge len >> shift, trap if out of fuel.
            o.raw(bulkHead);
            o.u8(kind === K.bulkMemory ? BULK_MEMORY_SHIFT : BULK_TABLE_SHIFT);
            o.u8(0x88);
            o.u8(0x7d);
            o.raw(trapIfNegative);
            copied = d.start;
            break;
        }
      }
      if (w.landing) {
        o.copy(src, copied, r2.pos);
        o.raw(reload);
        o.raw(stackLanding);
        copied = r2.pos;
      }
      if (w.functionEnd) {
        // The original final `end` now closes the wrapper block; the epilogue follows it.
        o.copy(src, copied, r2.pos);
        o.raw(writeBack);
        o.raw(stackRestore);
        o.u8(0x0b);
        break;
      }
      if (w.segmentAfter !== Seg.none) {
        o.copy(src, copied, r2.pos);
        copied = r2.pos;
        const n = counts[seg++]!;
        o.raw(chargeHead);
        o.s32(n);
        o.u8(0x7d);
        if (w.segmentAfter === Seg.loop) o.raw(trapIfNegative);
        else o.raw(setFuel);
      }
    }
    if (seg !== counts.length)
      throw new Error(`bug: function ${funcIndex} used ${seg} of ${counts.length} blocks`);
    if (o.len > MAX_BODY_BYTES) {
      return rejection(
        'too-large',
        `Function ${funcIndex} would be ${o.len} bytes after metering; the engine allows at most ${MAX_BODY_BYTES}. Split it into smaller functions.`,
      );
    }
    out.sized(o);
    return { frameCost: cost };
  }
}

function sleb32(v: number): number[] {
  const out: number[] = [];
  let x = v | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Length in bytes of the LEB128 number at `pos`. */
function ulebLength(bytes: Uint8Array, pos: number): number {
  let n = 1;
  while (bytes[pos + n - 1]! & 0x80) n++;
  return n;
}
