import type { MatchResult } from './types.js';

/**
 * Stores `result` at `index` of a copy of `results`. Recording the same result again is a no-op
 * (a resume may replay a match the state already has); a different result for a recorded match
 * is an engine bug and throws, because a match must never count twice.
 */
export function storeResult(
  results: readonly (MatchResult | null)[],
  index: number,
  key: string,
  result: MatchResult,
): (MatchResult | null)[] | null {
  if (result.winner !== 0 && result.winner !== 1 && result.winner !== null) {
    throw new Error(`${key}: bad winner ${String(result.winner)}`);
  }
  if (!Number.isFinite(result.score)) throw new Error(`${key}: bad score ${String(result.score)}`);
  const existing = results[index];
  if (existing) {
    if (existing.winner === result.winner && existing.score === result.score) return null;
    throw new Error(`${key} is already recorded with a different result`);
  }
  const next = results.slice();
  // Copy only the fields the format owns, so the state stays plain data of a known shape.
  next[index] = { winner: result.winner, score: result.score };
  return next;
}
