import type { EntrantId, MatchResult, Standing, TieBreak, TieBreakName } from './types.js';

/** One played match, as the tallies need it. */
export interface PlayedGame {
  seats: readonly [EntrantId, EntrantId];
  result: MatchResult;
}

/** An entrant's record so far. */
export interface Tally {
  points: number;
  wins: number;
  draws: number;
  losses: number;
  byes: number;
  /** Each game played, with the points this entrant scored in it (1, 1/2 or 0). */
  games: { opponent: EntrantId; scored: number }[];
}

/** Points a seat scores in a match: 1 for a win, 1/2 for a draw, 0 for a loss. */
export function scoredBy(result: MatchResult, seat: 0 | 1): number {
  if (result.winner === null) return 0.5;
  return result.winner === seat ? 1 : 0;
}

/** Records for every entrant from the games played and the byes given (a bye is worth a win). */
export function tally(
  entrants: readonly EntrantId[],
  games: readonly PlayedGame[],
  byes: readonly EntrantId[] = [],
): Map<EntrantId, Tally> {
  const out = new Map<EntrantId, Tally>();
  for (const e of entrants) out.set(e, { points: 0, wins: 0, draws: 0, losses: 0, byes: 0, games: [] });
  const get = (e: EntrantId): Tally => {
    const t = out.get(e);
    if (!t) throw new Error(`unknown entrant ${JSON.stringify(e)}`);
    return t;
  };
  for (const { seats, result } of games) {
    for (const seat of [0, 1] as const) {
      const t = get(seats[seat]);
      const scored = scoredBy(result, seat);
      t.points += scored;
      if (scored === 1) t.wins++;
      else if (scored === 0) t.losses++;
      else t.draws++;
      t.games.push({ opponent: seats[seat === 0 ? 1 : 0], scored });
    }
  }
  for (const e of byes) {
    const t = get(e);
    t.byes++;
    t.points += 1;
  }
  return out;
}

/**
 * Tie-breaks that need the whole field. Byes add nothing to either: there is no opponent.
 * - buchholz: the sum of the opponents' points (how hard the schedule was).
 * - sonneborn-berger: the sum of the points of the opponents beaten, plus half of those drawn
 *   (rewards results against strong opponents).
 */
function fieldTieBreak(name: Exclude<TieBreakName, 'head-to-head'>, t: Tally, all: Map<EntrantId, Tally>) {
  let sum = 0;
  for (const g of t.games) {
    const opp = all.get(g.opponent)?.points ?? 0;
    sum += name === 'buchholz' ? opp : g.scored * opp;
  }
  return sum;
}

/**
 * Standings ordered by points, then each of `criteria` in turn, then head-to-head (points
 * scored in games among the entrants still tied), then seed order. Ranks are 1..n with no ties:
 * seed order always separates. Every value here is a multiple of 1/4, so equality is exact.
 */
export function rankStandings(
  seedOrder: readonly EntrantId[],
  tallies: Map<EntrantId, Tally>,
  criteria: readonly Exclude<TieBreakName, 'head-to-head'>[],
): Standing[] {
  const rows = seedOrder.map((entrant, seed) => {
    const t = tallies.get(entrant);
    if (!t) throw new Error(`no tally for ${JSON.stringify(entrant)}`);
    return {
      entrant,
      seed,
      t,
      keys: [t.points, ...criteria.map((c) => fieldTieBreak(c, t, tallies))],
      h2h: 0,
    };
  });
  const byKeys = (a: (typeof rows)[number], b: (typeof rows)[number]): number => {
    for (let i = 0; i < a.keys.length; i++) {
      const d = (b.keys[i] ?? 0) - (a.keys[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  rows.sort((a, b) => byKeys(a, b) || a.seed - b.seed);
  // Head-to-head only means something inside a group tied on everything before it.
  for (let start = 0; start < rows.length; ) {
    let end = start + 1;
    while (end < rows.length && byKeys(rows[start]!, rows[end]!) === 0) end++;
    if (end - start > 1) {
      const group = new Set(rows.slice(start, end).map((r) => r.entrant));
      for (const row of rows.slice(start, end)) {
        row.h2h = row.t.games.filter((g) => group.has(g.opponent)).reduce((s, g) => s + g.scored, 0);
      }
    }
    start = end;
  }
  rows.sort((a, b) => byKeys(a, b) || b.h2h - a.h2h || a.seed - b.seed);
  return rows.map((row, i) => {
    const tieBreaks: TieBreak[] = criteria.map((name, k) => ({ name, value: row.keys[k + 1] ?? 0 }));
    tieBreaks.push({ name: 'head-to-head', value: row.h2h });
    const { points, wins, draws, losses, byes } = row.t;
    return { rank: i + 1, entrant: row.entrant, points, wins, draws, losses, byes, tieBreaks };
  });
}
