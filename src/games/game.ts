/**
 * What every game offers the engine: plain data plus pure functions over it. A game never does
 * I/O, never reads a clock and never draws randomness; the engine and the sandbox feed it moves.
 * Rock-paper-scissors is the first; a new game adds a module like `rps.ts` and a bot protocol in
 * the sandbox.
 */
export type Seat = 0 | 1;

/** How a finished match came out, from seat 0's point of view for `score`. */
export interface Outcome {
  /** The winning seat, or null for a draw. */
  winner: Seat | null;
  /** Why: decided on points, inside the draw margin, or because a bot faulted. */
  reason: 'points' | 'within-margin' | 'forfeit' | 'double-forfeit';
  /** Seat 0's points minus seat 1's. */
  score: number;
}

export interface Game<Move extends string, Rules, State> {
  readonly id: string;
  readonly name: string;
  readonly moves: readonly Move[];
  rules(options?: Partial<Rules>): Rules;
  start(rules: Rules): State;
  /** Both seats move at once; returns the next state. */
  play(state: State, moves: readonly [Move, Move]): State;
  /** Ends the match because one or both seats faulted this round. */
  forfeit(state: State, faulted: readonly [boolean, boolean]): State;
  isOver(state: State): boolean;
  outcome(state: State): Outcome;
}
