import { FuelExhausted, GuestExit, GuestFault, OutputLimitExceeded } from '../host/index.js';
import { formatSize } from '../prepare/classify.js';
import type { TrapClass } from '../wasm/index.js';
import type { BotFault } from './player.js';

/**
 * Turns what a call into a bot threw into a fault its author can act on. Host-side bugs are
 * not faults: anything we do not recognise as the guest's doing is rethrown, so a broken host
 * never costs a bot its match silently.
 */
export interface FaultContext {
  /** The metering verdict for a wasm error (from the instance's counters). */
  classify(error: unknown): TrapClass;
  budget: { fuel: number; stackBytes: number; memoryBytes: number; fuelIsMatchRemainder?: boolean };
  /** Which call failed, for the message: "move", "start-up". */
  phase: string;
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** The innermost wasm function named in a trap's stack, to point the author at their code. */
export function trapLocation(error: unknown): string | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const m = /at (\S+) \(wasm:\/\/wasm\/[0-9a-f]+:wasm-function\[(\d+)\]/.exec(line);
    if (m)
      return m[1] && !/^\$?func\d+$/.test(m[1]) && m[1] !== '<anonymous>'
        ? m[1].replace(/^\$/, '')
        : `function #${m[2]}`;
  }
  return null;
}

function isWasmTrap(error: unknown): boolean {
  return (
    (error instanceof Error && error.constructor.name === 'RuntimeError') ||
    (error instanceof RangeError && /Maximum call stack size exceeded/.test(error.message))
  );
}

/** The fault context of one move given `budget` fuel under `limits`. */
export function moveFaultContext(
  classify: FaultContext['classify'],
  budget: number,
  limits: { fuelPerMove: number; stackBytes: number; memoryBytes: number },
): FaultContext {
  return {
    classify,
    budget: {
      fuel: budget,
      stackBytes: limits.stackBytes,
      memoryBytes: limits.memoryBytes,
      fuelIsMatchRemainder: budget < limits.fuelPerMove,
    },
    phase: 'move',
  };
}

/** Out of fuel, said the way that matches which budget ran out. */
export function outOfFuel(ctx: Pick<FaultContext, 'budget' | 'phase'>): BotFault {
  return {
    kind: 'out-of-fuel',
    message: ctx.budget.fuelIsMatchRemainder
      ? `ran out of fuel: its whole-match budget ran out (${n(ctx.budget.fuel)} instructions were left for this ${ctx.phase})`
      : `ran out of fuel: used more than ${n(ctx.budget.fuel)} instructions in one ${ctx.phase}`,
  };
}

export function guestFault(error: unknown, ctx: FaultContext): BotFault {
  // Host work charged past the budget: the same verdict as running out in the bot's own code.
  if (error instanceof FuelExhausted) return outOfFuel(ctx);
  if (error instanceof OutputLimitExceeded) {
    return {
      kind: 'output-too-large',
      message: `wrote more than ${formatSize(error.cap)} to ${error.stream === 'output' ? 'its output' : error.stream} in one ${ctx.phase}`,
    };
  }
  if (error instanceof GuestExit) {
    return { kind: 'exit-nonzero', message: `exited with code ${error.code} during its ${ctx.phase}` };
  }
  if (error instanceof GuestFault)
    return { kind: 'trap', message: `broke the WASI contract: ${error.message}` };
  if (!isWasmTrap(error)) throw error;
  const verdict = ctx.classify(error);
  const where = trapLocation(error);
  const at = where ? ` (in ${where})` : '';
  switch (verdict.kind) {
    case 'out-of-fuel':
      return outOfFuel(ctx);
    case 'stack-exhausted':
      return {
        kind: 'stack-exhausted',
        message: `used more than its ${formatSize(ctx.budget.stackBytes)} stack budget in one ${ctx.phase}${at}: recursion too deep?`,
      };
    case 'out-of-memory': {
      const text = error instanceof Error ? error.message : String(error);
      return {
        kind: 'out-of-memory',
        message: `ran out of memory: growing past the ${formatSize(ctx.budget.memoryBytes)} cap failed and then it trapped (${text})${at}`,
      };
    }
    default: {
      const text = error instanceof Error ? error.message : String(error);
      return { kind: 'trap', message: `trapped: ${text}${at}` };
    }
  }
}
