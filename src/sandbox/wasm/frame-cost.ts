/**
 * The deterministic stack budget charges each call an estimate of the native stack frame V8
 * gives the function. The estimate must never be smaller than the real frame in any tier, so
 * that the budget (not V8's own, tier-dependent stack limit) is what stops deep recursion.
 *
 * V8's baseline compiler (Liftoff) gives every local and every operand stack slot its own
 * 8-byte spill slot (16 for v128), plus a fixed header (return address, frame pointer, frame
 * marker, instance); parameters beyond the registers arrive in the caller's frame. The
 * optimizing compiler (TurboFan) spills at most the values live at once, which are bounded by
 * the same count. See docs in the report of bench/stack-frames for the measurements behind
 * the constants.
 */
export interface FrameShape {
  /** Bytes of the parameters (8 per value, 16 per v128). */
  paramBytes: number;
  /** Bytes of the declared locals, including the ones metering adds. */
  localBytes: number;
  /** Maximum operand stack height in values. */
  stackSlots: number;
  /** Whether operand stack values may be v128 (16-byte slots). */
  simd: boolean;
}

/** Fixed part of every frame, bytes: header, spilled instance, alignment, call-site slack. */
export const FRAME_FIXED_BYTES = 96;
/** Operand slots the metering code itself adds above the function's own stack height. */
export const FRAME_METER_SLOTS = 3;

export function frameCost(shape: FrameShape): number {
  const slot = shape.simd ? 16 : 8;
  // Parameters count twice: once as a spill slot in the callee, once in the caller's outgoing area.
  return (
    FRAME_FIXED_BYTES +
    2 * shape.paramBytes +
    shape.localBytes +
    (shape.stackSlots + FRAME_METER_SLOTS) * slot
  );
}
