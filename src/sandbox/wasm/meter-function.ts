import { BodyWalker, Seg } from './body-walker.js';
import { Reader, uleb, type Writer } from './bytes.js';
import { frameCost } from './frame-cost.js';
import type { Body, ModuleInfo } from './module.js';
import { K } from './opcodes.js';
import { rejectedInstruction } from './rejected-instruction.js';
import { type MeterRejection, rejection } from './rejection.js';
import { type FuncType, readValType, V128 } from './types.js';

/**
 * Meters one function body: a counting pass (`planFunction`: fuel per basic block, operand
 * stack height, frame cost), then a rewriting pass (`emitFunction`) that copies the original
 * bytes and splices metering code in.
 *
 * A metered body in full:
 *
 *   locals: the original ones, then $fuel (i64), $stack (i32) and, for bulk operations, $len (i32)
 *   ;; stack budget: trap when this frame (plus the largest exempt leaf frame) does not fit
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
 * exception skipped the restores of the frames it unwound.
 *
 * Leaf functions (no calls of any kind) are cheaper to meter, which matters because compiled
 * code calls many tiny helpers:
 * - a leaf whose frame costs at most LEAF_STACK_EXEMPT_BYTES is not charged to the stack
 *   budget; instead every other function requires that much more budget to be left (the
 *   `reserve`), so a leaf always fits above the deepest charged frame;
 * - a leaf without loops runs a bounded number of instructions, so it needs no fuel check: its
 *   blocks are charged straight to the global, with no local to sync.
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
/** Leaf functions with frames up to this size are exempt from stack accounting (see above). */
export const LEAF_STACK_EXEMPT_BYTES = 1024;
/** V8's limit on locals per function (kV8MaxWasmFunctionLocals). */
const MAX_LOCALS = 50_000;
/** V8's limit on a function body's size in bytes (kV8MaxWasmFunctionSize). */
const MAX_BODY_BYTES = 7_654_321;

/** What the counting pass learned about one function. */
export interface FunctionPlan {
  funcIndex: number;
  body: Body;
  ft: FuncType;
  declCount: number;
  /** Offset just after the local declarations: the first instruction. */
  codeStart: number;
  /** Parameters plus declared locals: the index of the first local metering adds. */
  locals: number;
  /** Instructions in each basic block, in order. */
  counts: number[];
  bulk: boolean;
  /** No call, call_indirect, call_ref or tail call anywhere in the body. */
  leaf: boolean;
  loops: boolean;
  /** Estimated native frame size charged to the stack budget. */
  cost: number;
}

export function planFunction(m: ModuleInfo, defIndex: number): FunctionPlan | MeterRejection {
  const funcIndex = m.importedFunctions + defIndex;
  const body = m.bodies[defIndex]!;
  const ft = m.types[m.funcTypes[funcIndex]!]!;
  const r = new Reader(m.bytes, body.start, body.end);

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

  const counts: number[] = [0];
  let bulk = false;
  let leaf = true;
  let loops = false;
  const w = new BodyWalker(r, m, ft.results.length);
  for (;;) {
    const kind = w.step();
    const rejected = rejectedInstruction(kind, w.d, funcIndex);
    if (rejected) return rejected;
    if (w.wasLive) counts[counts.length - 1]!++;
    switch (kind) {
      case K.bulkMemory:
      case K.bulkTable:
        bulk = true;
        break;
      case K.call:
      case K.callIndirect:
      case K.callRef:
      case K.returnCall:
      case K.returnCallIndirect:
      case K.returnCallRef:
        leaf = false;
        break;
      case K.loop:
        loops = true;
        break;
    }
    if (w.functionEnd) break;
    if (w.segmentAfter !== Seg.none) counts.push(0);
  }
  if (!r.atEnd()) r.fail(`function ${funcIndex} has bytes after its final end`);
  if (w.simd) simd = true;

  const bytesOf = (sum: number, t: { code: number }) => sum + (t.code === V128 ? 16 : 8);
  const cost = frameCost({
    paramBytes: ft.params.reduce(bytesOf, 0),
    resultBytes: ft.results.reduce(bytesOf, 0),
    localBytes: localBytes + 24,
    stackSlots: w.maxHeight,
    simd,
    loopHeavyOps: w.loopHeavy,
  });
  return { funcIndex, body, ft, declCount, codeStart, locals, counts, bulk, leaf, loops, cost };
}

export function isStackExempt(plan: FunctionPlan): boolean {
  return plan.leaf && plan.cost <= LEAF_STACK_EXEMPT_BYTES;
}

/** The encoded block type of the wrapper block: `[] -> results of the function`. */
export type WrapperBlockType = (ft: FuncType) => ArrayLike<number>;

export interface EmitContext {
  m: ModuleInfo;
  ix: MeterIndices;
  /** Stack budget every charged function must leave for an exempt leaf above it. */
  reserve: number;
  wrapperType: WrapperBlockType;
  /** Reused buffer for one body. */
  scratch: Writer;
}

/** Writes the metered body of `plan` (size-prefixed) to `out`. */
export function emitFunction(cx: EmitContext, plan: FunctionPlan, out: Writer): MeterRejection | undefined {
  const { m, ix } = cx;
  const src = m.bytes;
  const o = cx.scratch;
  o.len = 0;

  const direct = plan.leaf && !plan.loops;
  const exempt = isStackExempt(plan);
  let next = plan.locals;
  const fl = direct ? [] : uleb(next++);
  const sl = exempt ? [] : uleb(next++);
  const ll = plan.bulk ? uleb(next++) : [];
  const F = uleb(ix.fuelGlobal);
  const S = uleb(ix.stackGlobal);
  const fuelTrap = [0x10, ...uleb(ix.fuelTrap)];

  // Instruction templates.
  const writeBack = direct ? [] : [0x20, ...fl, 0x24, ...F];
  const reload = direct ? [] : [0x23, ...F, 0x21, ...fl];
  const cost = [0x41, ...sleb32(plan.cost)];
  const stackRestore = exempt ? [] : [0x20, ...sl, 0x24, ...S];
  const stackLanding = exempt ? [] : [0x20, ...sl, ...cost, 0x6b, 0x24, ...S];
  const exits = [...writeBack, ...stackRestore];
  // After `i64.sub` of a charge: store the counter, and for checks trap when it went negative.
  const store = direct ? [0x24, ...F] : [0x21, ...fl];
  const storeAndCheck = direct
    ? [0x24, ...F, 0x23, ...F, 0x42, 0x00, 0x53, 0x04, 0x40, ...fuelTrap, 0x0b]
    : [0x22, ...fl, 0x42, 0x00, 0x53, 0x04, 0x40, 0x20, ...fl, 0x24, ...F, ...fuelTrap, 0x0b];
  const chargeHead = direct ? [0x23, ...F, 0x42] : [0x20, ...fl, 0x42];
  const bulkHead = [0x22, ...ll, ...(direct ? [0x23, ...F] : [0x20, ...fl]), 0x20, ...ll, 0xad, 0x42];

  // Locals: the original declarations, then ours.
  const addedI32 = (exempt ? 0 : 1) + (plan.bulk ? 1 : 0);
  o.u32(plan.declCount + (direct ? 0 : 1) + (addedI32 > 0 ? 1 : 0));
  o.copy(src, plan.body.start + ulebLength(src, plan.body.start), plan.codeStart);
  if (!direct) o.raw([0x01, 0x7e]);
  if (addedI32 > 0) o.raw([addedI32, 0x7f]);

  // Prologue.
  if (!exempt) {
    o.raw([0x23, ...S, 0x22, ...sl, 0x41]);
    o.s32(plan.cost + cx.reserve);
    o.raw([0x48, 0x04, 0x40, 0x41, 0x7f, 0x24, ...S, 0x10, ...uleb(ix.stackTrap), 0x0b]);
    o.raw([0x20, ...sl, ...cost, 0x6b, 0x24, ...S]);
  }
  o.raw([0x23, ...F, 0x42]);
  o.s32(plan.counts[0]!);
  o.u8(0x7d);
  if (direct) o.raw([0x24, ...F]);
  else o.raw(storeAndCheck);
  const wrapped = exits.length > 0;
  if (wrapped) {
    o.u8(0x02);
    o.raw(cx.wrapperType(plan.ft));
  }

  const r = new Reader(src, plan.codeStart, plan.body.end);
  const w = new BodyWalker(r, m, plan.ft.results.length);
  const d = w.d;
  let copied = plan.codeStart;
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
          o.copy(src, d.start, r.pos);
          o.raw(reload);
          copied = r.pos;
          break;
        case K.return:
        case K.returnCall:
        case K.returnCallIndirect:
        case K.returnCallRef:
          o.copy(src, copied, d.start);
          o.raw(exits);
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
          o.raw(storeAndCheck);
          copied = d.start;
          break;
      }
    }
    if (w.landing) {
      o.copy(src, copied, r.pos);
      o.raw(reload);
      o.raw(stackLanding);
      copied = r.pos;
    }
    if (w.functionEnd) {
      // The original final `end` closes the wrapper block; the epilogue follows it.
      o.copy(src, copied, r.pos);
      if (wrapped) {
        o.raw(exits);
        o.u8(0x0b);
      }
      break;
    }
    if (w.segmentAfter !== Seg.none) {
      o.copy(src, copied, r.pos);
      copied = r.pos;
      o.raw(chargeHead);
      o.s32(plan.counts[seg++]!);
      o.u8(0x7d);
      o.raw(w.segmentAfter === Seg.loop ? storeAndCheck : store);
    }
  }
  if (seg !== plan.counts.length) {
    throw new Error(`bug: function ${plan.funcIndex} used ${seg} of ${plan.counts.length} blocks`);
  }
  if (o.len > MAX_BODY_BYTES) {
    return rejection(
      'too-large',
      `Function ${plan.funcIndex} would be ${o.len} bytes after metering; the engine allows at most ${MAX_BODY_BYTES}. Split it into smaller functions.`,
    );
  }
  out.sized(o);
  return undefined;
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
