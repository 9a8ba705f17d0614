import type { InstrDecoder } from './instructions.js';
import { K } from './opcodes.js';
import { type MeterRejection, rejection } from './rejection.js';

/** The rejection for an instruction kind the sandbox does not run, or undefined for the rest. */
export function rejectedInstruction(
  kind: number,
  d: InstrDecoder,
  funcIndex: number,
): MeterRejection | undefined {
  if (kind !== K.invalid && kind < K.gc) return undefined;
  const where = `Function ${funcIndex} (at byte 0x${d.start.toString(16)})`;
  switch (kind) {
    case K.invalid:
      return rejection(
        'unsupported-feature',
        `${where} uses instruction ${d.name()}, which the sandbox does not support.`,
      );
    case K.gc:
      return rejection(
        'unsupported-feature',
        `${where} uses the GC proposal (${d.name()}), whose objects the sandbox cannot bound (they live outside the capped memory); compile without wasm GC.`,
      );
    case K.relaxedSimd:
      return rejection(
        'relaxed-simd',
        `${where} uses a relaxed SIMD instruction (0xfd 0x${d.op.toString(16)}), whose results differ between CPUs; bots must be deterministic, so compile without relaxed SIMD.`,
      );
    case K.atomicWait:
      return rejection(
        'atomic-wait',
        `${where} uses ${d.op === 1 ? 'memory.atomic.wait32' : 'memory.atomic.wait64'}, which would block the host thread; bots run single-threaded, so remove waits (compile without threads).`,
      );
    default:
      return undefined;
  }
}
