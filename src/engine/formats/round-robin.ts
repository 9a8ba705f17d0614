import { pairingKey, parsePairingKey } from './keys.js';
import { storeResult } from './results.js';
import { seedOrder } from './seeding.js';
import { type PlayedGame, rankStandings, tally } from './standings.js';
import type { EntrantId, Format, FormatOptions, MatchResult, Pairing, Progress, Standing } from './types.js';

/**
 * Round robin: every pair meets once (or twice with seats swapped), scheduled by the circle
 * method so each round has every entrant at most once. No match depends on another, so every
 * unrecorded match can be played at once; rounds only order them sensibly.
 */
export interface RoundRobinState {
  format: 'round-robin';
  /** Seed order: settles the last tie-break and the schedule. */
  entrants: EntrantId[];
  double: boolean;
  /** One slot per scheduled match, in schedule order (round by round), null until recorded. */
  results: (MatchResult | null)[];
}

/** Shared between calls (schedule() keeps the last one): never changed once built. */
interface Scheduled {
  readonly round: number;
  readonly match: number;
  /** Indices into the entrant list, in seat order. */
  readonly seats: readonly [number, number];
}

/** Rounds of a single cycle: n - 1 for even n; n for odd n, each entrant sitting one out. */
function cycleRounds(n: number): number {
  if (n < 2) return 0;
  return n % 2 === 0 ? n - 1 : n;
}

/**
 * The whole schedule. Circle method: with m = n rounded up to even (the extra slot is a sit-out),
 * entrant m-1 stays put and meets entrant r in round r; the others pair off around the circle.
 * Seats: between i < j, i takes seat 0 when i + j is odd. Over a complete round robin on an odd
 * number of entrants this gives everyone exactly as many seat-0 games as seat-1 games; with an
 * even number, think of one more (absent) entrant: dropping its games leaves everyone within 1.
 */
function schedule(n: number, double: boolean): readonly Scheduled[] {
  // A runner asks for it after every match (nextPairings): keep the last one built.
  if (lastSchedule?.n === n && lastSchedule.double === double) return lastSchedule.entries;
  const entries = buildSchedule(n, double);
  lastSchedule = { n, double, entries };
  return entries;
}

let lastSchedule: { n: number; double: boolean; entries: readonly Scheduled[] } | null = null;

function buildSchedule(n: number, double: boolean): Scheduled[] {
  const rounds = cycleRounds(n);
  const m = n % 2 === 0 ? n : n + 1;
  const out: Scheduled[] = [];
  const seated = (i: number, j: number): [number, number] => {
    const [lo, hi] = i < j ? [i, j] : [j, i];
    return (lo + hi) % 2 === 1 ? [lo, hi] : [hi, lo];
  };
  for (let r = 0; r < rounds; r++) {
    const pairs: [number, number][] = [[m - 1, r]];
    for (let k = 1; k < m / 2; k++) pairs.push([(r + k) % (m - 1), (r - k + m - 1) % (m - 1)]);
    let match = 0;
    for (const [i, j] of pairs) {
      if (i >= n || j >= n) continue; // the sit-out slot of an odd field
      out.push({ round: r + 1, match: ++match, seats: seated(i, j) });
    }
  }
  if (double) {
    const first = out.length;
    for (let i = 0; i < first; i++) {
      const s = out[i]!;
      out.push({ round: s.round + rounds, match: s.match, seats: [s.seats[1], s.seats[0]] });
    }
  }
  return out;
}

function start(entrants: readonly EntrantId[], options: FormatOptions, seed: string): RoundRobinState {
  const order = seedOrder(entrants, options.ratings, seed);
  const double = options.double ?? false;
  const total = schedule(order.length, double).length;
  return { format: 'round-robin', entrants: order, double, results: new Array(total).fill(null) };
}

function toPairing(state: RoundRobinState, s: Scheduled): Pairing {
  return {
    key: pairingKey(s.round, s.match),
    round: s.round,
    seats: [state.entrants[s.seats[0]]!, state.entrants[s.seats[1]]!],
  };
}

function nextPairings(state: RoundRobinState, limit = Number.POSITIVE_INFINITY): Pairing[] {
  const all = schedule(state.entrants.length, state.double);
  const out: Pairing[] = [];
  for (let i = 0; i < all.length && out.length < limit; i++) {
    if (state.results[i] === null) out.push(toPairing(state, all[i]!));
  }
  return out;
}

function record(state: RoundRobinState, key: string, result: MatchResult): RoundRobinState {
  const n = state.entrants.length;
  const perRound = Math.floor(n / 2);
  const parsed = parsePairingKey(key);
  const index = parsed ? (parsed.round - 1) * perRound + (parsed.match - 1) : -1;
  if (!parsed || parsed.match > perRound || index >= state.results.length) {
    throw new Error(`round robin has no match ${key}`);
  }
  const results = storeResult(state.results, index, key, result);
  return results ? { ...state, results } : state;
}

function isComplete(state: RoundRobinState): boolean {
  return state.results.every((r) => r !== null);
}

function standings(state: RoundRobinState): Standing[] {
  const games: PlayedGame[] = [];
  schedule(state.entrants.length, state.double).forEach((s, i) => {
    const result = state.results[i];
    if (result) games.push({ seats: toPairing(state, s).seats, result });
  });
  // Buchholz would add nothing: everyone meets everyone, so it only mirrors points.
  return rankStandings(state.entrants, tally(state.entrants, games), ['sonneborn-berger']);
}

function progress(state: RoundRobinState): Progress {
  let played = 0;
  for (const r of state.results) if (r !== null) played++;
  return { played, total: state.results.length };
}

export const roundRobin: Format<RoundRobinState> = {
  name: 'round-robin',
  description: 'Every bot plays every other bot once (or twice, seats swapped); most points wins.',
  start,
  nextPairings,
  record,
  isComplete,
  standings,
  progress,
};
