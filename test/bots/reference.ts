/**
 * Reference strategies in plain TypeScript (hands as 0 rock, 1 paper, 2 scissors), to check
 * the wasm bots move for move.
 */
export type HandIndex = 0 | 1 | 2;

export const beat = (h: number): HandIndex => ((h + 1) % 3) as HandIndex;

/** The most frequent hand, ties to the lower index; rock when empty. */
export function mostFrequent(hands: readonly number[]): HandIndex {
  const counts = [0, 0, 0];
  for (const h of hands) counts[h] = (counts[h] ?? 0) + 1;
  let top = 0;
  if ((counts[1] ?? 0) > (counts[top] ?? 0)) top = 1;
  if ((counts[2] ?? 0) > (counts[top] ?? 0)) top = 2;
  return top as HandIndex;
}

/** A fixed, irregular opponent sequence long enough to exercise windows and ties. */
export function opponentHands(n: number): HandIndex[] {
  const pattern: HandIndex[] = [2, 2, 1, 1, 1, 0, 0, 2, 2, 0, 1, 2, 2, 2, 0];
  return Array.from(
    { length: n },
    (_, i) => pattern[(i * 7 + Math.floor(i / 15)) % pattern.length] as HandIndex,
  );
}
