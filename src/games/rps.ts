import type { Game, Outcome, Seat } from './game.js';

/**
 * Rock-paper-scissors: data and pure functions only.
 *
 * A match is `rounds` simultaneous rounds. A round's winner scores a point; the match score is
 * seat 0's points minus seat 1's, and a seat wins the match only by a margin greater than
 * `drawMargin` (Kaggle's RPS competition used 20 in 1000 rounds, which is our default of 2%).
 * A seat that faults forfeits at that round; both faulting in the same round is a draw.
 */
export const HANDS = ['rock', 'paper', 'scissors'] as const;
export type Hand = (typeof HANDS)[number];

export const DEFAULT_ROUNDS = 1000;
export const MAX_ROUNDS = 100_000;
/** The draw margin as a share of the rounds, when none is given. */
export const DEFAULT_DRAW_MARGIN_SHARE = 0.02;

export interface RpsRules {
  readonly rounds: number;
  /** A match is won only by more than this many points. */
  readonly drawMargin: number;
}

export interface RpsState {
  readonly rules: RpsRules;
  /** Rounds completed so far. */
  readonly round: number;
  /** Rounds won by each seat. */
  readonly wins: readonly [number, number];
  readonly ties: number;
  /** Set once a seat faulted: which seats did. */
  readonly faulted: readonly [boolean, boolean] | null;
}

const INDEX: Record<Hand, number> = { rock: 0, paper: 1, scissors: 2 };

/** True when `a` beats `b`. */
export function beats(a: Hand, b: Hand): boolean {
  return (INDEX[a] - INDEX[b] + 3) % 3 === 1;
}

/** +1 when seat 0 wins the round, -1 when seat 1 does, 0 for a tie. */
export function roundPoints(a: Hand, b: Hand): -1 | 0 | 1 {
  if (a === b) return 0;
  return beats(a, b) ? 1 : -1;
}

/** The hand that beats `h`. */
export function counter(h: Hand): Hand {
  return HANDS[(INDEX[h] + 1) % 3] as Hand;
}

/** The one-letter code used in compact logs: R, P or S. */
export function handCode(h: Hand): 'R' | 'P' | 'S' {
  return h === 'rock' ? 'R' : h === 'paper' ? 'P' : 'S';
}

export function handFromCode(code: string): Hand | null {
  return code === 'R' ? 'rock' : code === 'P' ? 'paper' : code === 'S' ? 'scissors' : null;
}

/** Reads a hand name case-insensitively ("Rock", "PAPER"); anything else is null. */
export function parseHand(text: string): Hand | null {
  const lower = text.toLowerCase();
  return lower === 'rock' || lower === 'paper' || lower === 'scissors' ? lower : null;
}

/** Title-case name as Snippy writes it in histories: "Rock", "Paper", "Scissors". */
export function handTitle(h: Hand): 'Rock' | 'Paper' | 'Scissors' {
  return h === 'rock' ? 'Rock' : h === 'paper' ? 'Paper' : 'Scissors';
}

export type RulesProblem = { field: 'rounds' | 'drawMargin'; message: string };

/** Checks user-supplied rules; returns a plain-words problem or null. */
export function checkRules(rules: RpsRules): RulesProblem | null {
  if (!Number.isInteger(rules.rounds) || rules.rounds < 1 || rules.rounds > MAX_ROUNDS) {
    return { field: 'rounds', message: `rounds must be a whole number from 1 to ${MAX_ROUNDS}` };
  }
  if (!Number.isInteger(rules.drawMargin) || rules.drawMargin < 0 || rules.drawMargin >= rules.rounds) {
    return { field: 'drawMargin', message: 'the draw margin must be a whole number from 0 to rounds - 1' };
  }
  return null;
}

export function makeRules(options: Partial<RpsRules> = {}): RpsRules {
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const drawMargin = options.drawMargin ?? Math.floor(rounds * DEFAULT_DRAW_MARGIN_SHARE);
  return { rounds, drawMargin };
}

export function start(rules: RpsRules): RpsState {
  return { rules, round: 0, wins: [0, 0], ties: 0, faulted: null };
}

export function isOver(state: RpsState): boolean {
  return state.faulted !== null || state.round >= state.rules.rounds;
}

export function play(state: RpsState, moves: readonly [Hand, Hand]): RpsState {
  if (isOver(state)) throw new Error('rps.play: the match is already over');
  const points = roundPoints(moves[0], moves[1]);
  // An explicit literal rather than a spread: this runs twice per round on the hot path.
  return {
    rules: state.rules,
    round: state.round + 1,
    wins:
      points > 0
        ? [state.wins[0] + 1, state.wins[1]]
        : points < 0
          ? [state.wins[0], state.wins[1] + 1]
          : state.wins,
    ties: points === 0 ? state.ties + 1 : state.ties,
    faulted: state.faulted,
  };
}

export function forfeit(state: RpsState, faulted: readonly [boolean, boolean]): RpsState {
  if (!faulted[0] && !faulted[1]) throw new Error('rps.forfeit: no seat faulted');
  if (isOver(state)) throw new Error('rps.forfeit: the match is already over');
  return { ...state, faulted: [faulted[0], faulted[1]] };
}

export function outcome(state: RpsState): Outcome {
  const score = state.wins[0] - state.wins[1];
  if (state.faulted) {
    const [a, b] = state.faulted;
    if (a && b) return { winner: null, reason: 'double-forfeit', score };
    return { winner: (a ? 1 : 0) as Seat, reason: 'forfeit', score };
  }
  if (Math.abs(score) > state.rules.drawMargin) return { winner: score > 0 ? 0 : 1, reason: 'points', score };
  return { winner: null, reason: 'within-margin', score };
}

export const rps: Game<Hand, RpsRules, RpsState> = {
  id: 'rps',
  name: 'Rock-paper-scissors',
  moves: HANDS,
  rules: makeRules,
  start,
  play,
  forfeit,
  isOver,
  outcome,
};
