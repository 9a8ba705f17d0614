import { describe, expect, it } from 'vitest';
import { swiss, swissDefaultRounds, swissMaxRounds } from '../../../src/engine/formats/swiss.js';
import { pairSwissRound, type SwissPlayer } from '../../../src/engine/formats/swiss-pairing.js';
import type { Pairing } from '../../../src/engine/formats/types.js';
import { nextInt, seedRng } from '../../../src/games/rng.js';
import { names, pairId, playOut, randomResult, replayShuffled, resultFor, seatBalance } from './helpers.js';

const BYE = -1;

/** Every perfect matching of `vertices` (BYE pairs with someone when the count is odd). */
function* perfectMatchings(vertices: number[]): Generator<[number, number][]> {
  if (vertices.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = vertices as [number, ...number[]];
  for (let k = 0; k < rest.length; k++) {
    const other = rest[k]!;
    for (const m of perfectMatchings(rest.filter((_, i) => i !== k))) yield [[first, other], ...m];
  }
}

type Cost = [rematches: number, scoreGaps: number, seatClashes: number];

/** The best achievable cost of a round, compared in that order, by brute force. */
function bestByBruteForce(players: SwissPlayer[]): Cost {
  const vertices = players.map((_, i) => i);
  if (players.length % 2 === 1) vertices.push(BYE);
  let best: Cost = [Number.POSITIVE_INFINITY, 0, 0];
  for (const m of perfectMatchings(vertices)) {
    const c = cost(players, m);
    const d = c && (c[0] - best[0] || c[1] - best[1] || c[2] - best[2]);
    if (c && d !== null && d < 0) best = c;
  }
  return best;
}

/**
 * Rematches; the sum of squared score gaps in half points; pairs whose seat balances lean the
 * same way. Null if a bye repeats.
 */
function cost(players: SwissPlayer[], matching: [number, number][]): Cost | null {
  let rematches = 0;
  let gaps = 0;
  let clashes = 0;
  for (const [a, b] of matching) {
    if (a === BYE || b === BYE) {
      const p = players[a === BYE ? b : a]!;
      if (p.hadBye) return null;
      gaps += (2 * p.points) ** 2;
      continue;
    }
    if (players[a]!.opponents.has(b)) rematches++;
    gaps += (2 * (players[a]!.points - players[b]!.points)) ** 2;
    if (Math.sign(players[a]!.seatBalance) * Math.sign(players[b]!.seatBalance) > 0) clashes++;
  }
  return [rematches, gaps, clashes];
}

describe('pairSwissRound', () => {
  it('matches a brute-force optimum: fewest rematches, then smallest score gaps, then seat clashes', () => {
    const rng = seedRng('swiss-brute');
    for (let trial = 0; trial < 300; trial++) {
      const n = 2 + nextInt(rng, 9);
      const players: (SwissPlayer & { opponents: Set<number> })[] = Array.from({ length: n }, () => ({
        points: nextInt(rng, 7) / 2,
        opponents: new Set<number>(),
        hadBye: nextInt(rng, 3) === 0,
        seatBalance: nextInt(rng, 5) - 2,
      }));
      if (n % 2 === 1 && players.every((p) => p.hadBye)) players[0]!.hadBye = false;
      const density = nextInt(rng, 4);
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          if (nextInt(rng, 4) < density) {
            players[a]!.opponents.add(b);
            players[b]!.opponents.add(a);
          }
        }
      }
      const { boards, bye } = pairSwissRound(players);
      const matching: [number, number][] = boards.map(([a, b]) => [a, b]);
      if (bye !== null) matching.push([bye, BYE]);
      const covered = matching.flat().filter((v) => v !== BYE);
      expect(covered.sort((a, b) => a - b)).toEqual(players.map((_, i) => i));
      expect(cost(players, matching)).toEqual(bestByBruteForce(players));
    }
  });

  it('pairs the top half against the bottom half of a score group and gives the lowest the bye', () => {
    const fresh = (n: number): SwissPlayer[] =>
      Array.from({ length: n }, () => ({ points: 0, opponents: new Set(), hadBye: false, seatBalance: 0 }));
    expect(pairSwissRound(fresh(8))).toEqual({
      boards: [
        [0, 4],
        [1, 5],
        [2, 6],
        [3, 7],
      ],
      bye: null,
    });
    expect(pairSwissRound(fresh(7))).toEqual({
      boards: [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
      bye: 6,
    });
    // Slide would pair 0 v 2 and 1 v 3, but 0 and 2 both had seat 0 more often (as 1 and 3
    // had seat 1), so one of each pair would drift to 2; pairing across the leanings evens out.
    const leaning = fresh(4).map((p, i) => ({ ...p, seatBalance: i % 2 === 0 ? 1 : -1 }));
    for (const [a, b] of pairSwissRound(leaning).boards)
      expect(leaning[a]!.seatBalance).not.toBe(leaning[b]!.seatBalance);
    // The lowest has had a bye, so the next lowest gets it.
    const players = fresh(5);
    players[4] = { points: 0, opponents: new Set(), hadBye: true, seatBalance: 0 };
    expect(pairSwissRound(players).bye).toBe(3);
  });
});

describe('Swiss rounds', () => {
  it('defaults to ceil(log2 n) + 1 rounds, capped at a round robin', () => {
    expect([2, 3, 4, 5, 8, 9, 16, 17, 64, 100].map(swissDefaultRounds)).toEqual([
      1, 3, 3, 4, 4, 5, 5, 6, 7, 8,
    ]);
    expect([2, 3, 4, 5].map(swissMaxRounds)).toEqual([1, 3, 3, 5]);
    expect(swiss.progress(swiss.start(names(64), {}, 's'))).toEqual({ played: 0, total: 224 });
    expect(swiss.start(names(10), { rounds: 9 }, 's').totalRounds).toBe(9);
    expect(() => swiss.start(names(10), { rounds: 10 }, 's')).toThrow(RangeError);
    expect(() => swiss.start(names(10), { rounds: 0 }, 's')).toThrow(RangeError);
    expect(() => swiss.start(names(10), { rounds: 2.5 }, 's')).toThrow(RangeError);
  });
});

/** Whether the entrants not given the bye could have been paired with no rematch at all. */
function rematchFreePossible(entrants: string[], met: Set<string>, byeCandidates: Set<string>): boolean {
  const solve = (left: string[]): boolean => {
    if (left.length === 0) return true;
    const [first, ...rest] = left as [string, ...string[]];
    if (left.length % 2 === 1) {
      // Try each bye-eligible entrant for the bye.
      return left.some((e, i) => byeCandidates.has(e) && solve(left.filter((_, k) => k !== i)));
    }
    return rest.some((other, k) => !met.has(pairId(first, other)) && solve(rest.filter((_, i) => i !== k)));
  };
  return solve(entrants);
}

describe('Swiss tournaments', () => {
  for (let n = 2; n <= 17; n++) {
    it(`n=${n}: everyone once a round, byes once each, rematches only when forced, seats near balance`, () => {
      for (const seed of ['a', 'b', 'c']) checkTournament(n, `swiss${n}${seed}`);
    });
  }

  function checkTournament(n: number, seed: string): void {
    const fresh = swiss.start(names(n), {}, seed);
    let state = fresh;
    const met = new Set<string>();
    const byes = new Set<string>();
    const all: Pairing[] = [];
    for (let r = 1; r <= fresh.totalRounds; r++) {
      const batch = swiss.nextPairings(state);
      const round = state.rounds[r - 1]!;
      expect(batch.every((p) => p.round === r)).toBe(true);
      expect(batch).toHaveLength(Math.floor(n / 2));
      const seen = [...batch.flatMap((p) => p.seats), ...(round.bye ? [round.bye] : [])];
      expect(seen.sort()).toEqual(names(n));
      expect(round.bye !== null).toBe(n % 2 === 1);
      if (round.bye) {
        expect(byes.has(round.bye)).toBe(false);
        byes.add(round.bye);
      }
      const rematches = batch.filter((p) => met.has(pairId(p.seats[0], p.seats[1])));
      if (rematches.length > 0) {
        const eligible = new Set(names(n).filter((e) => !byes.has(e) || e === round.bye));
        expect(rematchFreePossible(names(n), met, eligible)).toBe(false);
      }
      for (const p of batch) {
        met.add(pairId(p.seats[0], p.seats[1]));
        all.push(p);
        state = swiss.record(state, p.key, randomResult(seed, p));
      }
    }
    expect(swiss.isComplete(state)).toBe(true);
    expect(swiss.nextPairings(state)).toEqual([]);
    expect(swiss.progress(state)).toEqual({ played: all.length, total: all.length });
    // Not a guarantee (no rematch and score groups come first), but what these seeds give.
    for (const b of seatBalance(all).values()) expect(Math.abs(b)).toBeLessThanOrEqual(2);
  }

  it('never rematches in a 64-entrant default Swiss, and keeps seats within 1', () => {
    const { state, log } = playOut(swiss, swiss.start(names(64), {}, 'big'), (p) => randomResult('big', p));
    expect(log).toHaveLength(224);
    expect(new Set(log.map((l) => pairId(l.pairing.seats[0], l.pairing.seats[1]))).size).toBe(224);
    for (const b of seatBalance(log.map((l) => l.pairing)).values())
      expect(Math.abs(b)).toBeLessThanOrEqual(1);
    expect(swiss.isComplete(state)).toBe(true);
  });

  it('pairs a round only when the previous one is complete', () => {
    const state = swiss.start(names(6), {}, 's');
    const [first, ...rest] = swiss.nextPairings(state);
    const partial = swiss.record(state, first!.key, resultFor(first!, first!.seats[0]));
    expect(partial.rounds).toHaveLength(1);
    expect(swiss.nextPairings(partial)).toEqual(rest);
    expect(() => swiss.record(partial, 'r2:m1', { winner: 0, score: 1 })).toThrow(/no match/);
    let done = partial;
    for (const p of rest) done = swiss.record(done, p.key, resultFor(p, p.seats[1]));
    expect(done.rounds).toHaveLength(2);
    expect(swiss.nextPairings(done).every((p) => p.round === 2)).toBe(true);
  });

  it('is deterministic for a seed and rebuilds the same state from shuffled results', () => {
    for (const n of [7, 12, 17]) {
      const fresh = swiss.start(names(n), {}, `det${n}`);
      const a = playOut(swiss, fresh, (p) => randomResult('d', p));
      const b = playOut(swiss, swiss.start(names(n).reverse(), {}, `det${n}`), (p) => randomResult('d', p));
      expect(b.log).toEqual(a.log);
      const rebuilt = replayShuffled(swiss, fresh, a.log, `shuffle${n}`);
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(a.state));
      expect(swiss.standings(rebuilt)).toEqual(swiss.standings(a.state));
    }
  });
});

describe('Swiss standings', () => {
  it('pairs and ranks a hand-checked five-entrant, three-round event', () => {
    // Seeds A (strongest) to E, by rating.
    const ratings = { A: 5, B: 4, C: 3, D: 2, E: 1 };
    let state = swiss.start(['E', 'D', 'C', 'B', 'A'], { ratings, rounds: 3 }, 'hand');
    const round = (expected: string[], bye: string, winners: (string | null)[]) => {
      const batch = swiss.nextPairings(state);
      expect(batch.map((p) => p.seats.join('-'))).toEqual(expected);
      expect(state.rounds.at(-1)!.bye).toBe(bye);
      batch.forEach((p, i) => {
        state = swiss.record(state, p.key, resultFor(p, winners[i]!));
      });
    };
    // Round 1, all on 0: top half against bottom half (A v C, B v D); E, the lowest, has the bye.
    round(['A-C', 'B-D'], 'E', ['A', 'D']);
    // Round 2: A, D, E on 1 and B, C on 0. C (lowest, no bye yet) gets the bye, A meets D,
    // and E floats down to B, the top of the 0-point group. D and E had seat 1 or none: seat 0.
    round(['D-A', 'E-B'], 'C', ['D', null]);
    // Round 3: D 2, E 1.5, A 1, C 1, B 0.5. The bye goes to B; D v C and E v A leave no rematch
    // and cost no more score gap than any alternative (A v C and D v A were played).
    round(['C-D', 'A-E'], 'B', ['C', 'A']);
    expect(swiss.isComplete(state)).toBe(true);

    // Points: A, C, D 2; B, E 1.5 (B's bye counts as a win).
    // Buchholz: A = C 2 + D 2 + E 1.5 = 5.5; D = B 1.5 + A 2 + C 2 = 5.5; C = A 2 + D 2 = 4;
    //   B = D 2 + E 1.5 = 3.5; E = B 1.5 + A 2 = 3.5 (byes add nothing).
    // Sonneborn-Berger: A = C 2 + E 1.5 = 3.5; D = B 1.5 + A 2 = 3.5; C = D 2; B, E = 1.5/2.
    // A and D are tied on all of that; D beat A. B and E drew each other: seed order, B first.
    const table = swiss
      .standings(state)
      .map((s) => [s.rank, s.entrant, s.points, s.byes, ...s.tieBreaks.map((t) => `${t.name}=${t.value}`)]);
    expect(table).toEqual([
      [1, 'D', 2, 0, 'buchholz=5.5', 'sonneborn-berger=3.5', 'head-to-head=1'],
      [2, 'A', 2, 0, 'buchholz=5.5', 'sonneborn-berger=3.5', 'head-to-head=0'],
      [3, 'C', 2, 1, 'buchholz=4', 'sonneborn-berger=2', 'head-to-head=0'],
      [4, 'B', 1.5, 1, 'buchholz=3.5', 'sonneborn-berger=0.75', 'head-to-head=0.5'],
      [5, 'E', 1.5, 1, 'buchholz=3.5', 'sonneborn-berger=0.75', 'head-to-head=0.5'],
    ]);
  });
});
