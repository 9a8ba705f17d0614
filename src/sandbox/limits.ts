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
  /** Instructions for a whole match, across all moves. */
  fuelPerMatch: number;
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
  /** Wall-clock safety net for one move, milliseconds. */
  moveWallMs: number;
  /** Wall-clock safety net for one match, milliseconds. */
  matchWallMs: number;
}

export const WASM_PAGE = 65536;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  moduleBytes: 10 * 1024 * 1024,
  fuelPerMove: 20_000_000,
  fuelPerInstantiation: 500_000_000,
  fuelPerMatch: 2_000_000_000,
  memoryBytes: 64 * 1024 * 1024,
  tableElements: 20_000,
  stackBytes: 512 * 1024,
  stdoutBytes: 100 * 1024,
  stderrBytes: 100 * 1024,
  moveWallMs: 2_000,
  matchWallMs: 120_000,
});

export function memoryPages(limits: Limits): number {
  return Math.floor(limits.memoryBytes / WASM_PAGE);
}
