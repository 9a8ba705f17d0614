import { pairingKey } from './keys.js';
import type { MatchResult } from './types.js';

/**
 * The shape of a single-elimination bracket, derived from the entrant count and the results so
 * far; nothing here is stored. Entrants are referred to by seed index (0 = top seed).
 */
export interface Slot {
  key: string;
  round: number;
  /** 1-based position in the round; the third-place match is match 2 of the last round. */
  match: number;
  /** Seed indices in seat order; null while the feeding match is undecided, or for a bye. */
  seats: [number | null, number | null];
  /** A first-round slot with one entrant: it advances without playing. */
  bye: boolean;
  result: MatchResult | null;
  /** Seed index of whoever goes on, once known. */
  winner: number | null;
  loser: number | null;
}

/** Bracket size: the next power of two, so the top seeds get the byes. */
export function bracketSize(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/**
 * Seed numbers (1-based) in bracket position order, e.g. [1, 8, 4, 5, 2, 7, 3, 6] for 8: seed s
 * meets seed size+1-s in the first round, and the top two seeds can only meet in the final.
 */
export function seedPositions(size: number): number[] {
  let order = [1];
  while (order.length < size) {
    const next = order.length * 2 + 1;
    order = order.flatMap((s) => [s, next - s]);
  }
  return order;
}

/**
 * Who advances from a decided match. A draw (Outcome within the margin, or both bots faulting)
 * goes to the seat that scored more points; on an exactly level score, to the higher seed.
 */
export function decide(seats: readonly [number, number], result: MatchResult): number {
  if (result.winner !== null) return seats[result.winner];
  if (result.score > 0) return seats[0];
  if (result.score < 0) return seats[1];
  return Math.min(seats[0], seats[1]);
}

/** A slot with its result applied: who goes on and who is out, once both are known. */
function slot(
  round: number,
  match: number,
  a: number | null,
  b: number | null,
  bye: boolean,
  result: MatchResult | null,
): Slot {
  const seats = seated(a, b);
  const out: Slot = {
    key: pairingKey(round, match),
    round,
    match,
    seats,
    bye,
    result,
    winner: null,
    loser: null,
  };
  if (bye) return { ...out, result: null, winner: a ?? b };
  if (a === null || b === null || !result) return out;
  const winner = decide([seats[0]!, seats[1]!], result);
  return { ...out, winner, loser: winner === a ? b : a };
}

/** The higher seed sits in seat 0: seats do not matter in a simultaneous-move game. */
function seated(a: number | null, b: number | null): [number | null, number | null] {
  return a !== null && b !== null && b < a ? [b, a] : [a, b];
}

/** Rounds in a bracket for n entrants (0 when there is nothing to play). */
export function roundCount(n: number): number {
  return n < 2 ? 0 : Math.log2(bracketSize(n));
}

/** Whether a third-place match exists: asked for, and two semi-finals with a loser each. */
export function hasThirdPlace(n: number, thirdPlace: boolean): boolean {
  return thirdPlace && n >= 4;
}

/** Every slot, round by round, with results applied. `results[r-1][m-1]` per slot. */
export function buildBracket(
  n: number,
  thirdPlace: boolean,
  results: readonly (readonly (MatchResult | null)[])[],
) {
  const rounds: Slot[][] = [];
  const size = bracketSize(n);
  const total = roundCount(n);
  const resultAt = (round: number, match: number) => results[round - 1]?.[match - 1] ?? null;
  const positions = seedPositions(size).map((s) => (s <= n ? s - 1 : null));
  for (let round = 1; round <= total; round++) {
    const feeders = round === 1 ? null : rounds[round - 2]!;
    const count = size >> round;
    const slots: Slot[] = [];
    for (let m = 1; m <= count; m++) {
      const a = feeders ? feeders[2 * m - 2]!.winner : positions[2 * m - 2]!;
      const b = feeders ? feeders[2 * m - 1]!.winner : positions[2 * m - 1]!;
      const bye = round === 1 && (a === null || b === null);
      slots.push(slot(round, m, a, b, bye, resultAt(round, m)));
    }
    if (round === total && hasThirdPlace(n, thirdPlace)) {
      // Feeders are the semi-finals: round 1 when n is 4, and never byes.
      slots.push(slot(round, 2, feeders![0]!.loser, feeders![1]!.loser, false, resultAt(round, 2)));
    }
    rounds.push(slots);
  }
  return rounds;
}
