import { buildBracket, hasThirdPlace, roundCount, type Slot } from './bracket.js';
import { parsePairingKey } from './keys.js';
import { storeResult } from './results.js';
import { seedOrder } from './seeding.js';
import { scoredBy } from './standings.js';
import type { EntrantId, Format, FormatOptions, MatchResult, Pairing, Progress, Standing } from './types.js';

/**
 * Single elimination, as Snippy ran it, made resumable: a seeded bracket padded to a power of
 * two with byes for the top seeds; the winner of each match goes on. A drawn match goes to the
 * seat with more points, then to the higher seed (see bracket.ts `decide`). Optionally the
 * semi-final losers play for third place.
 */
export interface EliminationState {
  format: 'single-elimination';
  /** Seed order: index 0 is the top seed. */
  entrants: EntrantId[];
  thirdPlace: boolean;
  /** `results[r-1][m-1]` for match m of round r; first-round byes stay null. */
  results: (MatchResult | null)[][];
}

function start(entrants: readonly EntrantId[], options: FormatOptions, seed: string): EliminationState {
  const order = seedOrder(entrants, options.ratings, seed);
  const thirdPlace = options.thirdPlace ?? false;
  const rounds = buildBracket(order.length, thirdPlace, []);
  return {
    format: 'single-elimination',
    entrants: order,
    thirdPlace,
    results: rounds.map((slots) => slots.map(() => null)),
  };
}

const bracketOf = (state: EliminationState) =>
  buildBracket(state.entrants.length, state.thirdPlace, state.results);

const isPlayable = (slot: Slot): boolean =>
  !slot.bye && slot.seats[0] !== null && slot.seats[1] !== null && slot.result === null;

function toPairing(state: EliminationState, slot: Slot): Pairing {
  const [a, b] = slot.seats;
  return { key: slot.key, round: slot.round, seats: [state.entrants[a!]!, state.entrants[b!]!] };
}

function nextPairings(state: EliminationState, limit?: number): Pairing[] {
  return bracketOf(state)
    .flat()
    .filter(isPlayable)
    .slice(0, limit)
    .map((slot) => toPairing(state, slot));
}

function record(state: EliminationState, key: string, result: MatchResult): EliminationState {
  const parsed = parsePairingKey(key);
  const slot = parsed ? bracketOf(state)[parsed.round - 1]?.[parsed.match - 1] : undefined;
  if (!parsed || !slot || slot.bye) throw new Error(`single elimination has no match ${key}`);
  if (slot.seats[0] === null || slot.seats[1] === null) {
    throw new Error(`${key} cannot be played yet: the matches feeding it are undecided`);
  }
  const row = storeResult(state.results[parsed.round - 1]!, parsed.match - 1, key, result);
  if (!row) return state;
  const results = state.results.slice();
  results[parsed.round - 1] = row;
  return { ...state, results };
}

function isComplete(state: EliminationState): boolean {
  return bracketOf(state)
    .flat()
    .every((slot) => slot.bye || slot.winner !== null);
}

function standings(state: EliminationState): Standing[] {
  const n = state.entrants.length;
  const last = roundCount(n);
  const rows = state.entrants.map((entrant, seed) => ({
    entrant,
    seed,
    wins: 0,
    draws: 0,
    losses: 0,
    byes: 0,
    roundReached: last > 0 ? 1 : 0,
    out: false,
    /** 1 for winning the third-place match, -1 for losing it. */
    third: 0,
  }));
  for (const slot of bracketOf(state).flat()) {
    const isThird = slot.round === last && slot.match === 2;
    for (const seat of [0, 1] as const) {
      const s = slot.seats[seat];
      if (s === null) continue;
      const row = rows[s]!;
      if (!isThird) row.roundReached = Math.max(row.roundReached, slot.round);
      if (slot.bye) row.byes++;
      if (!slot.result) continue;
      const scored = scoredBy(slot.result, seat);
      if (scored === 1) row.wins++;
      else if (scored === 0) row.losses++;
      else row.draws++;
      if (isThird) row.third = slot.winner === s ? 1 : -1;
      else if (slot.loser === s) row.out = true;
    }
  }
  // Further is better; within a round, still in beats knocked out; then the third-place result.
  const compare = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    b.roundReached - a.roundReached || Number(a.out) - Number(b.out) || b.third - a.third;
  const ordered = rows.slice().sort((a, b) => compare(a, b) || a.seed - b.seed);
  return ordered.map((row, i) => {
    // Entrants the bracket cannot separate (knocked out in the same round) share a rank.
    const first = ordered.findIndex((other) => compare(other, row) === 0);
    return {
      rank: (first < 0 ? i : first) + 1,
      entrant: row.entrant,
      points: row.wins + row.byes + row.draws / 2,
      wins: row.wins,
      draws: row.draws,
      losses: row.losses,
      byes: row.byes,
      tieBreaks: [],
      roundReached: row.roundReached,
    };
  });
}

function progress(state: EliminationState): Progress {
  const n = state.entrants.length;
  const played = state.results.flat().filter((r) => r !== null).length;
  // Every match knocks exactly one entrant out, so there are n - 1, plus the third-place match.
  const total = n < 2 ? 0 : n - 1 + (hasThirdPlace(n, state.thirdPlace) ? 1 : 0);
  return { played, total };
}

export const singleElimination: Format<EliminationState> = {
  name: 'single-elimination',
  description: 'Seeded knockout bracket with byes for the top seeds; lose once and you are out.',
  start,
  nextPairings,
  record,
  isComplete,
  standings,
  progress,
};
