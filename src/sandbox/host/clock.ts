/**
 * A deterministic clock for guests. No real clock is ever read: a guest that looks at the time
 * must see the same values on every machine and every replay, or moves stop being reproducible.
 *
 * Virtual time is one counter, `elapsed`, shared by both clocks:
 *
 *   elapsed = workNs() + slept + reads * tickNs        (and never less than the last value read)
 *   wall      = epochNs + elapsed                       (default epoch 2021-01-01T00:00:00Z)
 *   monotonic = monotonicBaseNs + elapsed               (default base: one day)
 *
 * - `workNs` is supplied by the caller: typically fuel used so far times a nominal cost per
 *   instruction, so time passes as the guest computes, identically on a fast or a slow machine.
 * - Every read advances time by `tickNs` (1 us by default), so a bot spinning on the clock until
 *   some time has passed terminates even if `workNs` is absent, and two reads never return the
 *   same instant.
 * - `advance` is a sleep: poll deadlines and `subscribe-duration` complete at once by moving time
 *   forward to the deadline, so sleeping costs no real time and no guest can block the host.
 *
 * The monotonic base is not 0 because JS engines snapshotted at build time (componentize-qjs runs
 * QuickJS under Wizer) record a `performance.now()` origin from the build machine's monotonic
 * clock, typically under a second; starting a day later keeps `performance.now()` positive.
 *
 * Both clocks move together, so wall minus monotonic is constant. Keep one clock per bot per
 * match (not per move) if sleeps should carry over between moves.
 */
export interface VirtualClock {
  /** Virtual nanoseconds since 1970-01-01T00:00:00Z; each read advances time by one tick. */
  wallNs(): bigint;
  /** Virtual monotonic nanoseconds (starts at the base); each read advances time by one tick. */
  monotonicNs(): bigint;
  /** Reported resolution of both clocks: the tick. */
  readonly resolutionNs: bigint;
  /** Monotonic time now without counting as a read (for checking poll deadlines). */
  peekMonotonicNs(): bigint;
  /** wall - monotonic, constant for the clock's life. */
  readonly wallMinusMonotonicNs: bigint;
  /** Moves time forward by `ns` (a guest sleeping); saturates instead of overflowing u64. */
  advance(ns: bigint): void;
}

export interface VirtualClockOptions {
  /** Wall time when elapsed is 0, in ns since 1970. Default: 2021-01-01T00:00:00Z. */
  epochNs?: bigint;
  /** Monotonic time when elapsed is 0, in ns. Default: one day. */
  monotonicBaseNs?: bigint;
  /** Time added by each read, in ns; must be > 0. Default: 1000 (1 us). */
  tickNs?: bigint;
  /** The caller's "work done so far" in ns; must never decrease. Default: always 0. */
  workNs?: () => number | bigint;
}

/** 2021-01-01T00:00:00Z in nanoseconds since the Unix epoch. */
export const DEFAULT_EPOCH_NS = 1_609_459_200n * 1_000_000_000n;
export const DEFAULT_MONOTONIC_BASE_NS = 86_400n * 1_000_000_000n;
export const DEFAULT_TICK_NS = 1_000n;
const U64_MAX = (1n << 64n) - 1n;

function toNs(value: number | bigint): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`virtual clock: negative work ${value}`);
    return value;
  }
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`virtual clock: bad work ${value}`);
  return BigInt(Math.floor(value));
}

class DeterministicClock implements VirtualClock {
  readonly resolutionNs: bigint;
  readonly wallMinusMonotonicNs: bigint;
  readonly #epoch: bigint;
  readonly #base: bigint;
  readonly #tick: bigint;
  readonly #work: (() => number | bigint) | undefined;
  /** Largest elapsed value for which wall time still fits in a u64. */
  readonly #maxElapsed: bigint;
  #reads = 0n;
  #slept = 0n;
  #floor = 0n;

  constructor(options: VirtualClockOptions) {
    const epoch = options.epochNs ?? DEFAULT_EPOCH_NS;
    const base = options.monotonicBaseNs ?? DEFAULT_MONOTONIC_BASE_NS;
    const tick = options.tickNs ?? DEFAULT_TICK_NS;
    if (epoch < 0n || epoch > U64_MAX) throw new RangeError(`virtual clock: bad epoch ${epoch}`);
    if (base < 0n || base > epoch) throw new RangeError(`virtual clock: bad monotonic base ${base}`);
    if (tick <= 0n) throw new RangeError(`virtual clock: tick must be > 0, got ${tick}`);
    this.#epoch = epoch;
    this.#base = base;
    this.#tick = tick;
    this.#work = options.workNs;
    this.#maxElapsed = U64_MAX - epoch; // the base is <= epoch, so monotonic fits too
    this.resolutionNs = tick;
    this.wallMinusMonotonicNs = epoch - base;
  }

  #elapsed(): bigint {
    const work = this.#work === undefined ? 0n : toNs(this.#work());
    let elapsed = work + this.#slept + this.#reads * this.#tick;
    if (elapsed < this.#floor) elapsed = this.#floor;
    if (elapsed > this.#maxElapsed) elapsed = this.#maxElapsed;
    return elapsed;
  }

  #read(): bigint {
    this.#reads++;
    const elapsed = this.#elapsed();
    this.#floor = elapsed;
    return elapsed;
  }

  wallNs(): bigint {
    return this.#epoch + this.#read();
  }

  monotonicNs(): bigint {
    return this.#base + this.#read();
  }

  peekMonotonicNs(): bigint {
    return this.#base + this.#elapsed();
  }

  advance(ns: bigint): void {
    if (ns <= 0n) return;
    // (BigInt: Math.min does not apply.)
    this.#slept += ns;
    if (this.#slept > this.#maxElapsed) this.#slept = this.#maxElapsed;
  }
}

/**
 * A deterministic clock (see the module comment for the formula).
 * @example const clock = createVirtualClock({ workNs: () => fuelUsed() * 2 });
 */
export function createVirtualClock(options: VirtualClockOptions = {}): VirtualClock {
  return new DeterministicClock(options);
}
