/**
 * Which finished matches may change ratings. Battlecode-style anti-farming: a user who keeps
 * challenging the same weak bot (often their own throwaway) should not be able to pump a
 * rating that way. Pure: the caller passes the clock reading and the recent rated matches.
 *
 * The rule (docs/ratings.md):
 * 1. A match between two bots of the same owner never changes ratings.
 * 2. Tournament matches are otherwise always rated: the format chose the pairing, not a user.
 * 3. A challenge is rated only while the same two bots have had fewer than `maxChallenges`
 *    rated challenges in the `windowMs` before it (either bot may have issued them); beyond
 *    that it is still played and shown, just unrated.
 */

export interface RatedSide {
  bot: string;
  owner: string;
}

export interface MatchForRating {
  kind: 'tournament' | 'challenge';
  sides: readonly [RatedSide, RatedSide];
  /** When the match finished, milliseconds since the epoch (the caller's clock). */
  at: number;
}

export interface PairCapRule {
  windowMs: number;
  maxChallenges: number;
}

/** Three rated challenges per pair per rolling day: enough for a rematch or two, too few to farm. */
export const DEFAULT_PAIR_CAP: PairCapRule = { windowMs: 24 * 60 * 60 * 1000, maxChallenges: 3 };

function samePair(x: MatchForRating, y: MatchForRating): boolean {
  const [a, b] = x.sides;
  const [c, d] = y.sides;
  return (a.bot === c.bot && b.bot === d.bot) || (a.bot === d.bot && b.bot === c.bot);
}

/**
 * Whether `match` should update ratings, given the matches that already did (`recentRated`;
 * passing extra, older or unrelated ones is harmless: they are filtered here).
 */
export function countsForRating(
  match: MatchForRating,
  recentRated: readonly MatchForRating[],
  rule: PairCapRule = DEFAULT_PAIR_CAP,
): boolean {
  if (match.sides[0].owner === match.sides[1].owner) return false;
  if (match.kind === 'tournament') return true;
  const since = match.at - rule.windowMs;
  let count = 0;
  for (const earlier of recentRated) {
    if (earlier.kind !== 'challenge' || earlier.at <= since || earlier.at > match.at) continue;
    if (samePair(match, earlier)) count++;
  }
  return count < rule.maxChallenges;
}
