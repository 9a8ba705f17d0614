/**
 * The deterministic stack budget charges each call an estimate of the native stack frame V8
 * gives the function. The estimate must not be smaller than the real frame in any tier, so that
 * the budget (not V8's own, tier-dependent stack limit) is what stops deep recursion.
 *
 * Measured on Node 20.20 / V8 11.3, x64, by recursing until V8's RangeError at two
 * `--stack-size` values and dividing the difference in bytes by the difference in depth (so
 * the caller's stack does not enter the figure): `measureFrames` in bench/meter.ts, run with
 * `node dist/bench/meter.js --frames`.
 *
 * - Liftoff (baseline) gives every parameter, local and operand stack slot its own spill slot:
 *   4 bytes for i32/f32, 8 for i64/f64/references, 16 for v128, plus a ~60-byte header.
 *   Parameters that do not fit in registers and results beyond the first arrive in the
 *   caller's frame. A tiny recursive function: 72 bytes (metered), 56 (original).
 * - TurboFan (optimizing) spills at most the values live across a call: 8 bytes per value, 16
 *   per v128, so never more than Liftoff, except that inside loops it gives integer division
 *   and float-to-int truncation extra slots (up to 30 bytes per occurrence where the value
 *   needs 8), every bulk memory/table instruction gets its own argument slot (up to 32 bytes
 *   per occurrence, measured over the functions of two multi-megabyte Rust modules), and very
 *   large functions keep more values live across calls than they have locals.
 *
 * The formula follows Liftoff term by term with every slot at 8 bytes (16 for v128), counts
 * parameters twice (callee spill slot and caller's outgoing area) and results once (returned on
 * the caller's stack), adds 32 bytes per division/truncation inside a loop, 40 per bulk
 * operation and 1 per 32 bytes of code, and rounds the header up. Checked against V8's own
 * frame sizes (`--print-wasm-code`) for every function of three real modules (QuickJS from
 * componentize-qjs, wasm-tools and js-component-bindgen from jco-transpile: 16,000 functions)
 * in Liftoff and TurboFan: the estimate is at least 1.15x the real frame, 2.7x at the median;
 * and by recursion for the synthetic shapes in test/sandbox/wasm/helpers/frame-shapes.ts (tiny,
 * 512 locals, 512-deep operand stacks, 128 parameters, 32 results, v128, f64 loops, 128 nested
 * blocks, 64 memory.copy): at least 1.05x in every tier.
 *
 * Rechecked on Node 22, 24 and 26 (V8 12.4, 13.6, 14.6): with the default 512 KiB budget the
 * budget stops the hostile recursion bots in every tier, and V8's own limit lies at 1,008 KiB
 * of counted budget or more (test/sandbox/stack-budget-below-v8-limit.test.ts, figures in
 * docs/limits.md, `node dist/bench/stack-limit.js`).
 */
export interface FrameShape {
  /** Bytes of the parameters (8 per value, 16 per v128). */
  paramBytes: number;
  /** Bytes of the results (8 per value, 16 per v128). */
  resultBytes: number;
  /** Bytes of the declared locals, including the ones metering adds. */
  localBytes: number;
  /** Maximum operand stack height in values. */
  stackSlots: number;
  /** Whether operand stack values may be v128 (16-byte stack slots). */
  simd: boolean;
  /** Reachable integer divisions and float-to-int truncations inside loops. */
  loopHeavyOps: number;
  /** memory.copy/fill/init and table.copy/fill/init/grow instructions anywhere in the body. */
  bulkOps: number;
  /** Size of the original body in bytes. */
  codeBytes: number;
}

/** Fixed part of every frame, bytes: return address, frame pointer, marker, instance, alignment. */
export const FRAME_FIXED_BYTES = 96;
/** Operand slots the metering code itself adds above the function's own stack height. */
export const FRAME_METER_SLOTS = 3;
/** Extra bytes per division or truncation inside a loop (TurboFan). */
export const FRAME_LOOP_HEAVY_BYTES = 32;
/**
 * Extra bytes per bulk memory/table instruction: TurboFan passes their arguments to a C
 * function through a stack slot of its own at every call site (measured: up to 32 bytes each,
 * e.g. 90 memory.copy in one Rust function made its frame 2.9 KB larger).
 */
export const FRAME_BULK_OP_BYTES = 40;
/**
 * One byte of frame per this many bytes of code: in very large functions TurboFan keeps more
 * values live across calls than the function has locals (it does not reuse every spill slot).
 * Measured worst case: QuickJS's interpreter loop (54 KB of code, 43 locals), whose TurboFan
 * frame is 2.4 KB where locals and operand stack account for 1.1 KB.
 */
export const FRAME_CODE_BYTES_PER_BYTE = 32;

export function frameCost(shape: FrameShape): number {
  const slot = shape.simd ? 16 : 8;
  return (
    FRAME_FIXED_BYTES +
    2 * shape.paramBytes +
    shape.resultBytes +
    shape.localBytes +
    (shape.stackSlots + FRAME_METER_SLOTS) * slot +
    FRAME_LOOP_HEAVY_BYTES * shape.loopHeavyOps +
    FRAME_BULK_OP_BYTES * shape.bulkOps +
    Math.ceil(shape.codeBytes / FRAME_CODE_BYTES_PER_BYTE)
  );
}
