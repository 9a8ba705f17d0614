import { pairingKey, parsePairingKey } from './keys.js';
import { storeResult } from './results.js';
import { seedOrder } from './seeding.js';
import { type PlayedGame, rankStandings, scoredBy, tally } from './standings.js';
import { pairSwissRound, type SwissPlayer } from './swiss-pairing.js';
import type { EntrantId, Format, FormatOptions, MatchResult, Pairing, Progress, Standing } from './types.js';

/**
 * Swiss: a fixed number of rounds; each round pairs entrants with similar scores who have not
 * met (swiss-pairing.ts). An odd field gives one entrant a bye worth a win, at most once each.
 * A round is paired only when the one before is complete, from its results, so the next round
 * is appended by the `record` call that completes a round: whichever result comes last.
 */
export interface SwissRound {
  /** Seat order per board, strongest board first; board i is match i+1 of the round. */
  pairings: [EntrantId, EntrantId][];
  bye: EntrantId | null;
  results: (MatchResult | null)[];
}

export interface SwissState {
  format: 'swiss';
  /** Seed order: breaks the last ties, in pairing and in standings. */
  entrants: EntrantId[];
  totalRounds: number;
  /** The rounds paired so far; only the last can be incomplete. */
  rounds: SwissRound[];
}

/** Most rounds possible without forcing rematches on everyone: a full round robin's worth. */
export function swissMaxRounds(n: number): number {
  if (n < 2) return 0;
  return n % 2 === 0 ? n - 1 : n;
}

/**
 * ceil(log2 n) + 1 rounds. ceil(log2 n) is the fewest after which, without draws, exactly one
 * entrant can have won every game; RPS bots draw often (a result inside the margin), so one more
 * round separates the top places and gives a bot that lost an early game a way back. That is 7
 * rounds and 224 matches for 64 bots, against 2016 for a round robin. Capped at a round robin's
 * worth, since small fields would otherwise be forced into rematches.
 */
export function swissDefaultRounds(n: number): number {
  if (n < 2) return 0;
  return Math.min(Math.ceil(Math.log2(n)) + 1, swissMaxRounds(n));
}

function totalRoundsFor(n: number, requested: number | undefined): number {
  if (requested === undefined || n < 2) return swissDefaultRounds(n);
  const max = swissMaxRounds(n);
  if (!Number.isInteger(requested) || requested < 1 || requested > max) {
    throw new RangeError(`Swiss with ${n} entrants needs 1 to ${max} rounds, not ${requested}`);
  }
  return requested;
}

const roundComplete = (round: SwissRound) => round.results.every((r) => r !== null);

function playedGames(rounds: readonly SwissRound[]): PlayedGame[] {
  return rounds.flatMap((round) =>
    round.pairings.flatMap((seats, i) => {
      const result = round.results[i];
      return result ? [{ seats, result }] : [];
    }),
  );
}

/**
 * Pairs the next round from complete rounds, then seats each board: seat 0 goes to whoever has
 * had it less often, then to whoever had seat 1 last time, then alternately to the higher- and
 * lower-ranked entrant by round, so seats stay balanced without favouring either.
 */
function pairNextRound(entrants: readonly EntrantId[], rounds: readonly SwissRound[]): SwissRound {
  const index = new Map(entrants.map((e, i) => [e, i]));
  const players: (SwissPlayer & { opponents: Set<number>; lastSeat: number })[] = entrants.map(() => ({
    points: 0,
    opponents: new Set<number>(),
    hadBye: false,
    seatBalance: 0,
    lastSeat: -1,
  }));
  for (const round of rounds) {
    if (round.bye !== null) {
      const p = players[index.get(round.bye)!]!;
      p.hadBye = true;
      p.points += 1;
    }
    round.pairings.forEach((seats, board) => {
      const result = round.results[board]!;
      const [a, b] = [index.get(seats[0])!, index.get(seats[1])!];
      players[a]!.opponents.add(b);
      players[b]!.opponents.add(a);
      players[a]!.points += scoredBy(result, 0);
      players[b]!.points += scoredBy(result, 1);
      players[a]!.seatBalance++;
      players[b]!.seatBalance--;
      players[a]!.lastSeat = 0;
      players[b]!.lastSeat = 1;
    });
  }
  const roundNumber = rounds.length + 1;
  const { boards, bye } = pairSwissRound(players);
  const pairings = boards.map(([hi, lo]): [EntrantId, EntrantId] => {
    const [h, l] = [players[hi]!, players[lo]!];
    let hiFirst: boolean;
    if (h.seatBalance !== l.seatBalance) hiFirst = h.seatBalance < l.seatBalance;
    else if (h.lastSeat !== l.lastSeat && h.lastSeat >= 0 && l.lastSeat >= 0) hiFirst = h.lastSeat === 1;
    else hiFirst = roundNumber % 2 === 1;
    return hiFirst ? [entrants[hi]!, entrants[lo]!] : [entrants[lo]!, entrants[hi]!];
  });
  return { pairings, bye: bye === null ? null : entrants[bye]!, results: pairings.map(() => null) };
}

function start(entrants: readonly EntrantId[], options: FormatOptions, seed: string): SwissState {
  const order = seedOrder(entrants, options.ratings, seed);
  const totalRounds = totalRoundsFor(order.length, options.rounds);
  const rounds = totalRounds > 0 ? [pairNextRound(order, [])] : [];
  return { format: 'swiss', entrants: order, totalRounds, rounds };
}

function nextPairings(state: SwissState, limit?: number): Pairing[] {
  const round = state.rounds.length;
  const last = state.rounds[round - 1];
  if (!last) return [];
  return last.pairings
    .flatMap((seats, i) =>
      last.results[i] ? [] : [{ key: pairingKey(round, i + 1), round, seats: [seats[0], seats[1]] as const }],
    )
    .slice(0, limit);
}

function record(state: SwissState, key: string, result: MatchResult): SwissState {
  const parsed = parsePairingKey(key);
  const round = parsed ? state.rounds[parsed.round - 1] : undefined;
  if (!parsed || !round || parsed.match > round.pairings.length) {
    throw new Error(`Swiss has no match ${key} (yet)`);
  }
  const results = storeResult(round.results, parsed.match - 1, key, result);
  if (!results) return state;
  const rounds = state.rounds.slice();
  rounds[parsed.round - 1] = { ...round, results };
  const last = rounds[rounds.length - 1]!;
  if (roundComplete(last) && rounds.length < state.totalRounds)
    rounds.push(pairNextRound(state.entrants, rounds));
  return { ...state, rounds };
}

function isComplete(state: SwissState): boolean {
  const last = state.rounds[state.rounds.length - 1];
  return state.rounds.length === state.totalRounds && (!last || roundComplete(last));
}

/**
 * Points, then Buchholz (strength of the opponents met: in a Swiss, equal points against a
 * harder draw is the better result), then Sonneborn-Berger (whom the points came from), then
 * head-to-head, then seed order. Byes add to points but to neither sum: there was no opponent.
 */
function standings(state: SwissState): Standing[] {
  const byes = state.rounds.flatMap((r) => (r.bye === null ? [] : [r.bye]));
  const tallies = tally(state.entrants, playedGames(state.rounds), byes);
  return rankStandings(state.entrants, tallies, ['buchholz', 'sonneborn-berger']);
}

function progress(state: SwissState): Progress {
  // Every round has floor(n/2) matches, so the total is known from the start.
  const played = state.rounds.reduce((sum, r) => sum + r.results.filter((x) => x !== null).length, 0);
  return { played, total: state.totalRounds * Math.floor(state.entrants.length / 2) };
}

export const swiss: Format<SwissState> = {
  name: 'swiss',
  description: 'A few rounds, each pairing bots on similar scores who have not met; for large fields.',
  start,
  nextPairings,
  record,
  isComplete,
  standings,
  progress,
};
