/**
 * The shapes every tournament format shares. A format is a pure state machine over plain,
 * JSON-serialisable data: the engine stores the state (or rebuilds it by replaying stored
 * results through `record`), asks for the pairings it may play now, and records each result.
 */

/** A bot taking part, as the engine names it (e.g. a bot version id). */
export type EntrantId = string;

/** A finished match as the format needs it, from seat 0's point of view. */
export interface MatchResult {
  /** The winning seat, or null for a draw. */
  winner: 0 | 1 | null;
  /** Seat 0's points minus seat 1's (Outcome.score). Breaks drawn elimination matches. */
  score: number;
}

/** A match the format wants played. */
export interface Pairing {
  /** Stable and unique within the tournament, e.g. "r2:m5", so a stored match maps back to it. */
  key: string;
  /** 1-based round. */
  round: number;
  /** Who sits in seat 0 and seat 1. */
  seats: readonly [EntrantId, EntrantId];
}

export type TieBreakName = 'buchholz' | 'sonneborn-berger' | 'head-to-head';

export interface TieBreak {
  name: TieBreakName;
  value: number;
}

export interface Standing {
  /** 1-based; equal ranks only where the format cannot separate entrants (elimination). */
  rank: number;
  entrant: EntrantId;
  /** 1 per win or bye, 1/2 per draw. */
  points: number;
  /** Matches won on the board (a bye is not a win here; see `byes`). */
  wins: number;
  draws: number;
  losses: number;
  /** Rounds passed without a match: Swiss byes (worth a win) and elimination first-round byes. */
  byes: number;
  /** Applied after points, in this order (the last resort, seed order, is implied). */
  tieBreaks: TieBreak[];
  /** Elimination only: the last round the entrant reached (the final is the last round). */
  roundReached?: number;
}

export interface Progress {
  /** Matches recorded. */
  played: number;
  /** Matches the tournament will have when complete (exact for every format here). */
  total: number;
}

/** Options for any format; each format reads the ones it understands. */
export interface FormatOptions {
  /**
   * Seeding strength per entrant (e.g. the conservative rating), higher is stronger. Entrants
   * without one are placed after those with one; ties and the unrated are ordered by a seeded
   * shuffle.
   */
  ratings?: Readonly<Record<EntrantId, number>>;
  /** Round robin: play every pair twice, seats swapped. */
  double?: boolean;
  /** Swiss: the number of rounds (default: swissDefaultRounds). */
  rounds?: number;
  /** Single elimination: play a match for third place between the semi-final losers. */
  thirdPlace?: boolean;
}

/** The functions every format provides over its own state type. */
export interface Format<S> {
  readonly name: S extends { format: infer N } ? N : never;
  /** One line for help text. */
  readonly description: string;
  start(entrants: readonly EntrantId[], options: FormatOptions, seed: string): S;
  /**
   * The matches that can be played now and are not yet recorded (the caller skips ones in
   * flight), lowest round first; at most `limit` of them when given (a runner asks after every
   * match, and a 64-bot round robin has 2016 pairings).
   */
  nextPairings(state: S, limit?: number): Pairing[];
  record(state: S, key: string, result: MatchResult): S;
  isComplete(state: S): boolean;
  standings(state: S): Standing[];
  progress(state: S): Progress;
}
