import type { EntrantId, Format, MatchResult, Pairing } from '../../../src/engine/formats/types.js';
import { nextInt, seedRng, shuffled } from '../../../src/games/rng.js';

export const names = (n: number): EntrantId[] =>
  Array.from({ length: n }, (_, i) => `bot${String(i + 1).padStart(2, '0')}`);

/** A deterministic pseudo-random result per pairing, with draws, for property tests. */
export function randomResult(seed: string, p: Pairing): MatchResult {
  const rng = seedRng(`${seed}/${p.key}/${p.seats.join('-')}`);
  const roll = nextInt(rng, 10);
  if (roll < 2) return { winner: null, score: nextInt(rng, 21) - 10 };
  const winner = roll % 2 === 0 ? 0 : 1;
  const margin = 21 + nextInt(rng, 50);
  return { winner, score: winner === 0 ? margin : -margin };
}

/** A result where `winner` (an entrant, or null for a draw) won the given pairing. */
export function resultFor(p: Pairing, winner: EntrantId | null, drawScore = 0): MatchResult {
  if (winner === null) return { winner: null, score: drawScore };
  const seat = p.seats.indexOf(winner);
  if (seat < 0) throw new Error(`${winner} is not in ${p.key}`);
  return seat === 0 ? { winner: 0, score: 30 } : { winner: 1, score: -30 };
}

export interface Played {
  pairing: Pairing;
  result: MatchResult;
}

/**
 * Plays a tournament to the end, recording each batch of available pairings in the order given,
 * and returns the final state and the log of what was recorded, in order.
 */
export function playOut<S>(
  format: Format<S>,
  state: S,
  decide: (p: Pairing, state: S) => MatchResult,
): { state: S; log: Played[] } {
  const log: Played[] = [];
  for (let guard = 0; guard < 100_000; guard++) {
    const batch = format.nextPairings(state);
    if (batch.length === 0) break;
    for (const pairing of batch) {
      const result = decide(pairing, state);
      state = format.record(state, pairing.key, result);
      log.push({ pairing, result });
    }
  }
  return { state, log };
}

/** A seeded shuffle, so a failing order can be reproduced. */
export const shuffle = <T>(items: readonly T[], seed: string): T[] => shuffled(seedRng(seed), items);

/**
 * Replays a log the way a resume does: grouped by round (a round's pairings only exist once
 * the round before is complete) but in shuffled order within each round.
 */
export function replayShuffled<S>(format: Format<S>, fresh: S, log: readonly Played[], seed: string): S {
  const rounds = [...new Set(log.map((p) => p.pairing.round))].sort((a, b) => a - b);
  let state = fresh;
  for (const round of rounds) {
    const inRound = shuffle(
      log.filter((p) => p.pairing.round === round),
      `${seed}/${round}`,
    );
    for (const { pairing, result } of inRound) state = format.record(state, pairing.key, result);
  }
  return state;
}

/** How many times each entrant sat in seat 0 minus seat 1. */
export function seatBalance(pairings: readonly Pairing[]): Map<EntrantId, number> {
  const out = new Map<EntrantId, number>();
  for (const p of pairings) {
    out.set(p.seats[0], (out.get(p.seats[0]) ?? 0) + 1);
    out.set(p.seats[1], (out.get(p.seats[1]) ?? 0) - 1);
  }
  return out;
}

export const pairId = (a: EntrantId, b: EntrantId): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
