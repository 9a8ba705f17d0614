import { type RngState, seedRng } from '../../games/rng.js';
import { createVirtualClock, type VirtualClock, type VirtualClockOptions } from './clock.js';
import { type FuelAccount, UNMETERED } from './fuel.js';
import { createOutputSink, type OutputSink } from './output.js';

export type { VirtualClock, VirtualClockOptions } from './clock.js';
export { createVirtualClock, DEFAULT_EPOCH_NS, DEFAULT_MONOTONIC_BASE_NS, DEFAULT_TICK_NS } from './clock.js';
export { GuestExit, GuestFault, OutputLimitExceeded, type OutputStreamName } from './errors.js';
export {
  byteCost,
  createFuelAccount,
  type FuelAccount,
  type FuelCounter,
  FuelExhausted,
  HOST_COSTS,
  UNMETERED,
} from './fuel.js';
export type { OutputSink } from './output.js';
export { createOutputSink } from './output.js';

/**
 * Everything a guest can observe of the world, for one run. The WASI hosts (preview1, preview2,
 * arena) read only from here: the environment is always empty, there are no preopened
 * directories, and nothing reaches the real filesystem, network, stdio, clocks or Math.random.
 */
export interface GuestContext {
  /** argv, e.g. ['alice/beatlast']. */
  args: string[];
  /** The whole stdin for this run (may be empty); the guest reads it from the start. */
  stdin: Uint8Array;
  /** Captured, capped stdout. */
  stdout: OutputSink;
  /** Captured, capped stderr (arena `debug` lines land here too). */
  stderr: OutputSink;
  /** Seeded per bot per match by the caller; advanced in place by every random read. */
  rng: RngState;
  /** Deterministic time. */
  clock: VirtualClock;
  /** Where host calls charge the work they do (the bot's fuel counter). */
  fuel: FuelAccount;
}

export interface GuestContextOptions {
  args?: string[];
  /** Bytes, or text encoded as UTF-8. */
  stdin?: Uint8Array | string;
  stdoutCap: number;
  stderrCap: number;
  /** A seed string for seedRng, or a state to use (and advance) as is. */
  rng: string | RngState;
  /** A clock, or options for a fresh one. */
  clock?: VirtualClock | VirtualClockOptions;
  /** The bot's fuel account; by default nothing is charged (hosts tested on their own). */
  fuel?: FuelAccount;
}

const encoder = new TextEncoder();

function isClock(value: VirtualClock | VirtualClockOptions): value is VirtualClock {
  return typeof (value as VirtualClock).wallNs === 'function';
}

/**
 * A context with fresh capped sinks.
 * @example
 * const ctx = createGuestContext({ args: ['alice/beatlast'], stdoutCap: 1024, stderrCap: 1024, rng: 's' });
 */
export function createGuestContext(options: GuestContextOptions): GuestContext {
  const stdin = options.stdin ?? new Uint8Array(0);
  const clock = options.clock ?? {};
  return {
    args: options.args ?? [],
    stdin: typeof stdin === 'string' ? encoder.encode(stdin) : stdin,
    stdout: createOutputSink(options.stdoutCap, 'stdout'),
    stderr: createOutputSink(options.stderrCap, 'stderr'),
    rng: typeof options.rng === 'string' ? seedRng(options.rng) : options.rng,
    clock: isClock(clock) ? clock : createVirtualClock(clock),
    fuel: options.fuel ?? UNMETERED,
  };
}
