import { FUEL_EXPORT, GROW_EXPORT, STACK_EXPORT } from './check.js';
import type { WasmGlobal, WasmInstance } from './wasm-api.js';

/**
 * The host's side of metering: set the budgets before calling into an instrumented instance,
 * read what is left after, and say why a call failed.
 *
 * Protocol: `setBudget(fuel, stack)`, call an export, then `fuelLeft()`. Running out of fuel
 * is a trap (or, rarely, a return) with the fuel counter below zero; exhausting the stack
 * budget is a trap with the stack counter below zero. Either way the instance must be
 * discarded after any trap.
 */

export type TrapKind = 'out-of-fuel' | 'stack-exhausted' | 'out-of-memory' | 'trap';

export interface TrapClass {
  kind: TrapKind;
  /** Plain words for the bot's author. */
  message: string;
}

export interface MeterHost {
  /** Sets the fuel (instructions) and stack budget (bytes) for the next call. */
  setBudget(fuel: number, stackBytes: number): void;
  /** Fuel left; negative when the last call ran out. */
  fuelLeft(): number;
  /** Stack budget left, bytes; negative when the last call exhausted it. */
  stackLeft(): number;
  /** A memory.grow failed since the last setBudget (the memory is at its cap). */
  growFailed(): boolean;
  /** Why the last call threw, judged from the error and the counters. */
  classifyTrap(error: unknown): TrapClass;
}

function global(instance: WasmInstance, name: string): WasmGlobal {
  const g = instance.exports[name];
  if (typeof g !== 'object' || g === null || !('value' in g)) {
    throw new Error(`the instance has no "${name}" global: it was not instrumented`);
  }
  return g as WasmGlobal;
}

/** Binds to an instance of a module produced by `instrument()`. */
export function meterHost(instance: WasmInstance): MeterHost {
  const fuel = global(instance, FUEL_EXPORT);
  const stack = global(instance, STACK_EXPORT);
  const grow = global(instance, GROW_EXPORT);
  const host: MeterHost = {
    setBudget(f, s) {
      fuel.value = BigInt(Math.trunc(f));
      stack.value = Math.trunc(s) | 0;
      grow.value = 0;
    },
    fuelLeft: () => Number(fuel.value as bigint),
    stackLeft: () => stack.value as number,
    growFailed: () => grow.value !== 0,
    classifyTrap: (error) =>
      classifyTrap(error, { fuel: host.fuelLeft(), stack: host.stackLeft(), growFailed: host.growFailed() }),
  };
  return host;
}

const OUT_OF_FUEL: TrapClass = {
  kind: 'out-of-fuel',
  message: 'The bot ran out of fuel: it used its whole instruction budget for this call.',
};
const STACK_EXHAUSTED: TrapClass = {
  kind: 'stack-exhausted',
  message: 'The bot exhausted its stack budget: its recursion is too deep or its frames too large.',
};

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Classifies an error thrown by a call into an instrumented instance. `counters` are the
 * instance's fuel and stack values read after the error; they decide, because a trap cannot be
 * caught by the bot and metering traps only after setting its counter below zero.
 * V8's own "Maximum call stack size exceeded" is the last-resort stack limit (metering should
 * stop recursion first). A trap after a memory.grow failed in the same call (the grow observer
 * sets `throwdown_grow_failed`) is an allocation failure: 'out-of-memory'; so is the engine failing
 * to allocate an instance.
 */
export function classifyTrap(
  error: unknown,
  counters?: { fuel: number; stack: number; growFailed?: boolean },
): TrapClass {
  if (counters && counters.fuel < 0) return OUT_OF_FUEL;
  if (counters && counters.stack < 0) return STACK_EXHAUSTED;
  // An allocator traps (unreachable, abort) right after memory.grow refused to go past the cap.
  if (counters?.growFailed) {
    return {
      kind: 'out-of-memory',
      message: `The bot ran out of memory and then trapped: ${errorText(error)}`,
    };
  }
  const text = errorText(error);
  if (error instanceof RangeError && /Maximum call stack size exceeded/.test(text)) return STACK_EXHAUSTED;
  if (
    error instanceof RangeError &&
    /Out of memory|could not allocate memory|Cannot allocate Wasm memory/i.test(text)
  ) {
    return { kind: 'out-of-memory', message: `The engine could not allocate memory for the bot: ${text}` };
  }
  return { kind: 'trap', message: `The bot trapped: ${text}` };
}

/**
 * Classifies an error thrown while instantiating (a start function ran out of its budget):
 * there is no instance to read counters from, so the trap's top stack frame decides. Metering
 * traps by calling one of two helper functions whose indices `instrument()` returned.
 */
export function classifyInstantiationTrap(
  error: unknown,
  trapFunctions: { fuelTrapFunction: number; stackTrapFunction: number },
): TrapClass {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const top = /wasm-function\[(\d+)\]/.exec(stack);
  if (top) {
    const index = Number(top[1]);
    if (index === trapFunctions.fuelTrapFunction) return OUT_OF_FUEL;
    if (index === trapFunctions.stackTrapFunction) return STACK_EXHAUSTED;
  }
  return classifyTrap(error);
}
