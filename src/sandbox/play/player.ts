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

export type MoveOutcome =
  | { ok: true; hand: Hand; fuel: number }
  | { ok: false; fault: BotFault; fuel: number };

export type StartOutcome = { ok: true; fuel: number } | { ok: false; fault: BotFault; fuel: number };

/**
 * One seat of a match inside a sandbox worker. A player owns its bot's instance(s) and host
 * state; `fuelLeft` is what remains of the per-match budget, so each move gets
 * min(per-move budget, fuelLeft).
 */
export interface Player {
  start(): StartOutcome;
  move(info: RoundInfo, fuelLeft: number): MoveOutcome;
  /** The tail of what the bot wrote to stderr (and arena.debug) during the match. */
  stderrTail(): string;
}
