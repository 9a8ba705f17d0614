/**
 * Every limit the sandbox enforces on a bot. Fuel, memory, stack and output limits decide
 * verdicts and are deterministic: the same bot and inputs hit them at the same point on every
 * machine. The wall-clock limits are only a safety net for a stuck worker. docs/limits.md gives
 * the reasons for each default.
 */
export interface Limits {
  /** Largest accepted upload, bytes. */
  moduleBytes: number;
  /** Instructions a bot may execute for one move. */
  fuelPerMove: number;
  /** Instructions for instantiation: start functions and component initialisation. */
  fuelPerInstantiation: number;
  /**
   * Instructions for a whole match of up to `STANDARD_ROUNDS` rounds, across all moves; a longer
   * match gets this much per `STANDARD_ROUNDS` rounds (`matchFuel`).
   */
  fuelPerMatch: number;
  /**
   * Fuel a command bot gets per byte of the protocol input the host hands it (its stdin line),
   * on top of its move budget and not charged to the match: Snippy's protocol resends the whole
   * history every move, so reading it is the host's cost, not the bot's.
   */
  fuelPerInputByte: number;
  /** Cap on each linear memory, bytes (rounded down to 64 KiB pages). */
  memoryBytes: number;
  /** Cap on each table's elements. */
  tableElements: number;
  /** Deterministic stack budget: the sum of the frame sizes of active wasm calls, bytes. */
  stackBytes: number;
  /** stdout a bot may write in one move, bytes. */
  stdoutBytes: number;
  /** stderr a bot may write in one move, bytes. */
  stderrBytes: number;
  /**
   * The fixed part of a move's wall-clock deadline, milliseconds: what no fuel pays for (the
   * process being descheduled, a garbage collection, instantiating a command's fresh instance).
   */
  moveWallMs: number;
  /**
   * The part of a move's deadline that grows with its fuel: nanoseconds per unit of fuel the
   * move may use. At least 10x the slowest measured rate of any instruction class or host call
   * (docs/limits.md), so the deadline fires only when metering is defeated.
   */
  wallNsPerFuel: number;
  /**
   * Wall-clock safety net for the worker process running a match of up to `STANDARD_ROUNDS`
   * rounds (scaled like the fuel), milliseconds. Only a stuck host reaches it: moves have their
   * own deadlines.
   */
  matchWallMs: number;
}

export const WASM_PAGE = 65536;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  moduleBytes: 10 * 1024 * 1024,
  fuelPerMove: 20_000_000,
  fuelPerInstantiation: 500_000_000,
  fuelPerMatch: 2_000_000_000,
  fuelPerInputByte: 200,
  memoryBytes: 64 * 1024 * 1024,
  tableElements: 20_000,
  stackBytes: 512 * 1024,
  stdoutBytes: 100 * 1024,
  stderrBytes: 100 * 1024,
  moveWallMs: 2_000,
  wallNsPerFuel: 300,
  matchWallMs: 120_000,
});

export function memoryPages(limits: Limits): number {
  return Math.floor(limits.memoryBytes / WASM_PAGE);
}

/** The guild's standard match length, which the per-match limits are sized for. */
export const STANDARD_ROUNDS = 1000;

/** How many standard-length matches a match of `rounds` rounds counts as (never less than one). */
export function matchScale(rounds: number): number {
  return Math.max(1, rounds / STANDARD_ROUNDS);
}

/** A bot's fuel for a whole match of `rounds` rounds: the per-match budget per 1000 rounds. */
export function matchFuel(limits: Limits, rounds: number): number {
  return Math.floor(limits.fuelPerMatch * matchScale(rounds));
}

/**
 * The wall-clock deadline of one call into a bot (a move, or starting it) that may use at most
 * `fuel` units of fuel: the fixed part plus `wallNsPerFuel` per unit. Enforced while the call
 * runs (play/deadline.ts); docs/limits.md gives the measured rates behind the default.
 */
export function deadlineMs(limits: Limits, fuel: number): number {
  return Math.ceil(limits.moveWallMs + (Math.max(0, fuel) * limits.wallNsPerFuel) / 1e6);
}
