import { seedRng, shuffled } from '../../games/rng.js';
import type { EntrantId } from './types.js';

/** Rejects entrant lists a format cannot work with; these are engine bugs, not user errors. */
export function checkEntrants(entrants: readonly EntrantId[]): void {
  const seen = new Set<EntrantId>();
  for (const e of entrants) {
    if (seen.has(e)) throw new Error(`duplicate entrant ${JSON.stringify(e)}`);
    seen.add(e);
  }
}

/**
 * Entrants in seed order (strongest first): by rating where given, otherwise, and between equal
 * ratings, in a shuffle drawn from `seed`, so neither upload order nor the list the database
 * returned decides who gets the easier draw. The same inputs always give the same order.
 */
export function seedOrder(
  entrants: readonly EntrantId[],
  ratings: Readonly<Record<EntrantId, number>> | undefined,
  seed: string,
): EntrantId[] {
  checkEntrants(entrants);
  // Sort first so the shuffle does not depend on the order the caller listed entrants in.
  const base = [...entrants].sort();
  const shuffle = shuffled(seedRng(seed), base);
  const lot = new Map(shuffle.map((e, i) => [e, i]));
  const rating = (e: EntrantId): number => {
    const r = ratings && Object.hasOwn(ratings, e) ? ratings[e] : undefined;
    return r === undefined || Number.isNaN(r) ? Number.NEGATIVE_INFINITY : r;
  };
  return shuffle.sort((a, b) => {
    const ra = rating(a);
    const rb = rating(b);
    if (ra !== rb) return rb > ra ? 1 : -1;
    return (lot.get(a) ?? 0) - (lot.get(b) ?? 0);
  });
}
