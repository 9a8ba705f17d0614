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
 *   needs 8).
 *
 * The formula follows Liftoff term by term with every slot at 8 bytes (16 for v128), counts
 * parameters twice (callee spill slot and caller's outgoing area) and results once (returned on
 * the caller's stack), adds 32 bytes per division/truncation inside a loop, and rounds the
 * header up. Over the measured shapes (tiny, up to 4000 locals, 512-deep operand stacks, 256
 * parameters, 32 results, v128, f64 and mixed loops, 128 nested blocks, indirect and mutual
 * recursion) the estimate is 1.02x to 2.4x the real frame in every tier.
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
}

/** Fixed part of every frame, bytes: return address, frame pointer, marker, instance, alignment. */
export const FRAME_FIXED_BYTES = 96;
/** Operand slots the metering code itself adds above the function's own stack height. */
export const FRAME_METER_SLOTS = 3;
/** Extra bytes per division or truncation inside a loop (TurboFan). */
export const FRAME_LOOP_HEAVY_BYTES = 32;

export function frameCost(shape: FrameShape): number {
  const slot = shape.simd ? 16 : 8;
  return (
    FRAME_FIXED_BYTES +
    2 * shape.paramBytes +
    shape.resultBytes +
    shape.localBytes +
    (shape.stackSlots + FRAME_METER_SLOTS) * slot +
    FRAME_LOOP_HEAVY_BYTES * shape.loopHeavyOps
  );
}
