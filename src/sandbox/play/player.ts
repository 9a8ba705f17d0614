import type { FaultKind } from '../../games/match-record.js';
import type { Hand } from '../../games/rps.js';

/** What a bot is told each round (the same for both interfaces; each protocol encodes it its own way). */
export interface RoundInfo {
  /** From 1. */
  round: number;
  totalRounds: number;
  myLast: Hand | null;
  theirLast: Hand | null;
}

export interface BotFault {
  kind: FaultKind;
  message: string;
}

/**
 * `fuel` is what the bot used in the move; `free`, the part of it not charged to the match (a
 * command bot's allowance for reading its protocol input, limits.fuelPerInputByte).
 */
export type MoveOutcome =
  | { ok: true; hand: Hand; fuel: number; free?: number }
  | { ok: false; fault: BotFault; fuel: number; free?: number };

export type StartOutcome = { ok: true; fuel: number } | { ok: false; fault: BotFault; fuel: number };

/**
 * One seat of a match inside a sandbox worker. A player owns its bot's instance(s) and host
 * state; `fuelLeft` is what remains of the per-match budget, so each move gets
 * min(per-move budget, fuelLeft).
 */
export interface Player {
  start(): StartOutcome;
  move(info: RoundInfo, fuelLeft: number): MoveOutcome;
  /**
   * The most fuel `start()` may use, all core modules together (sizes its wall-clock deadline);
   * `limits.fuelPerInstantiation` when absent.
   */
  startFuelCap?(): number;
  /**
   * The most fuel `move(info, fuelLeft)` may use, start-up of a fresh instance and input
   * allowance included (sizes its wall-clock deadline); min(per-move, fuelLeft) when absent.
   */
  moveFuelCap?(info: RoundInfo, fuelLeft: number): number;
  /** The tail of what the bot wrote to stderr (and arena.debug) during the match. */
  stderrTail(): string;
}
