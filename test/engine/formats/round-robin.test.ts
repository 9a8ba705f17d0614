import { describe, expect, it } from 'vitest';
import { roundRobin } from '../../../src/engine/formats/round-robin.js';
import type { Pairing } from '../../../src/engine/formats/types.js';
import { names, pairId, playOut, randomResult, resultFor, seatBalance, shuffle } from './helpers.js';

const allPairings = (n: number, double = false): Pairing[] =>
  roundRobin.nextPairings(roundRobin.start(names(n), { double }, 'seed'));

describe('round robin schedule', () => {
  for (let n = 2; n <= 17; n++) {
    it(`n=${n}: every pair exactly once, no entrant twice in a round, seats within 1`, () => {
      const pairings = allPairings(n);
      expect(pairings).toHaveLength((n * (n - 1)) / 2);
      const pairs = new Set(pairings.map((p) => pairId(p.seats[0], p.seats[1])));
      expect(pairs.size).toBe(pairings.length);
      for (const p of pairings) expect(p.seats[0]).not.toBe(p.seats[1]);
      expect(new Set(pairings.map((p) => p.key)).size).toBe(pairings.length);

      const rounds = new Map<number, Pairing[]>();
      for (const p of pairings) rounds.set(p.round, [...(rounds.get(p.round) ?? []), p]);
      expect(rounds.size).toBe(n % 2 === 0 ? n - 1 : n);
      const sitOuts = new Map<string, number>();
      for (const inRound of rounds.values()) {
        const seen = inRound.flatMap((p) => p.seats);
        expect(new Set(seen).size).toBe(seen.length);
        expect(inRound).toHaveLength(Math.floor(n / 2));
        for (const e of names(n)) if (!seen.includes(e)) sitOuts.set(e, (sitOuts.get(e) ?? 0) + 1);
      }
      // An odd field: everyone sits out exactly one round.
      expect([...sitOuts.values()]).toEqual(n % 2 === 1 ? Array(n).fill(1) : []);

      for (const balance of seatBalance(pairings).values()) expect(Math.abs(balance)).toBeLessThanOrEqual(1);
    });
  }

  it('64 entrants: 2016 matches in 63 rounds of 32', () => {
    const pairings = allPairings(64);
    expect(pairings).toHaveLength(2016);
    expect(new Set(pairings.map((p) => p.round)).size).toBe(63);
    expect(roundRobin.progress(roundRobin.start(names(64), {}, 's'))).toEqual({ played: 0, total: 2016 });
  });

  it('double round robin: each pair twice with seats swapped, seats exactly balanced', () => {
    for (const n of [2, 5, 8]) {
      const pairings = allPairings(n, true);
      expect(pairings).toHaveLength(n * (n - 1));
      const seen = new Set(pairings.map((p) => `${p.seats[0]}>${p.seats[1]}`));
      expect(seen.size).toBe(pairings.length);
      for (const p of pairings) expect(seen.has(`${p.seats[1]}>${p.seats[0]}`)).toBe(true);
      for (const balance of seatBalance(pairings).values()) expect(balance).toBe(0);
      const rounds = n % 2 === 0 ? n - 1 : n;
      expect(Math.max(...pairings.map((p) => p.round))).toBe(2 * rounds);
    }
  });

  it('fewer than two entrants: nothing to play, already complete', () => {
    for (const n of [0, 1]) {
      const state = roundRobin.start(names(n), {}, 's');
      expect(roundRobin.nextPairings(state)).toEqual([]);
      expect(roundRobin.isComplete(state)).toBe(true);
      expect(roundRobin.standings(state).map((s) => s.rank)).toEqual(n === 1 ? [1] : []);
    }
  });
});

describe('round robin state machine', () => {
  it('is deterministic for a seed and independent of the order entrants are listed in', () => {
    const a = roundRobin.start(names(9), {}, 'alpha');
    const b = roundRobin.start(shuffle(names(9), 'x'), {}, 'alpha');
    expect(b).toEqual(a);
    expect(roundRobin.nextPairings(b)).toEqual(roundRobin.nextPairings(a));
    const c = roundRobin.start(names(9), {}, 'beta');
    expect(c.entrants).not.toEqual(a.entrants);
  });

  it('plays to completion and rebuilds the same state from results in any order', () => {
    const fresh = roundRobin.start(names(11), { double: true }, 'resume');
    const { state, log } = playOut(roundRobin, fresh, (p) => randomResult('rr', p));
    expect(roundRobin.isComplete(state)).toBe(true);
    expect(roundRobin.nextPairings(state)).toEqual([]);
    expect(roundRobin.progress(state)).toEqual({ played: 110, total: 110 });

    let rebuilt = fresh;
    for (const { pairing, result } of shuffle(log, 'order'))
      rebuilt = roundRobin.record(rebuilt, pairing.key, result);
    expect(rebuilt).toEqual(state);
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(state));
    expect(roundRobin.standings(rebuilt)).toEqual(roundRobin.standings(state));
  });

  it('does not change the state it was given', () => {
    const fresh = roundRobin.start(names(4), {}, 's');
    const copy = structuredClone(fresh);
    const p = roundRobin.nextPairings(fresh)[0]!;
    const next = roundRobin.record(fresh, p.key, { winner: 0, score: 25 });
    expect(fresh).toEqual(copy);
    expect(roundRobin.progress(next).played).toBe(1);
    expect(roundRobin.nextPairings(next).map((q) => q.key)).not.toContain(p.key);
  });

  it('ignores a repeated identical result and rejects a conflicting one or an unknown key', () => {
    const fresh = roundRobin.start(names(5), {}, 's');
    const p = roundRobin.nextPairings(fresh)[0]!;
    const once = roundRobin.record(fresh, p.key, { winner: 1, score: -22 });
    expect(roundRobin.record(once, p.key, { winner: 1, score: -22 })).toBe(once);
    expect(() => roundRobin.record(once, p.key, { winner: 0, score: 22 })).toThrow(/already recorded/);
    expect(() => roundRobin.record(fresh, 'r6:m1', { winner: 0, score: 1 })).toThrow(/no match/);
    expect(() => roundRobin.record(fresh, 'r1:m3', { winner: 0, score: 1 })).toThrow(/no match/);
    expect(() => roundRobin.record(fresh, 'final', { winner: 0, score: 1 })).toThrow(/no match/);
  });
});

describe('round robin standings', () => {
  // Seed order A..E via ratings, so the last tie-break is predictable.
  const ratings = { A: 5, B: 4, C: 3, D: 2, E: 1 };
  /** Plays every pairing by a table of results: 'A>B' A beats B, 'A=C' a draw. */
  const play = (entrants: string[], table: string[]) => {
    const outcomes = new Map<string, string | null>();
    for (const row of table) {
      const [a, op, b] = [row[0]!, row[1]!, row[2]!];
      outcomes.set(pairId(a, b), op === '=' ? null : op === '>' ? a : b);
    }
    return playOut(roundRobin, roundRobin.start(entrants, { ratings }, 'hand'), (p) => {
      const winner = outcomes.get(pairId(p.seats[0], p.seats[1]));
      if (winner === undefined) throw new Error(`no result for ${p.seats.join(' v ')}`);
      return resultFor(p, winner);
    }).state;
  };

  it('orders by points, then Sonneborn-Berger, then head-to-head (hand-checked)', () => {
    const state = play(
      ['A', 'B', 'C', 'D', 'E'],
      ['B>A', 'A=C', 'A>D', 'A=E', 'C>B', 'D>B', 'B>E', 'C>D', 'C>E', 'D>E'],
    );
    // Points: C 3.5; A, B, D 2; E 0.5.
    // Sonneborn-Berger: A = D's 2 + half of C's 3.5 + half of E's 0.5 = 4;
    // B = A's 2 + E's 0.5 = 2.5; D = B's 2 + E's 0.5 = 2.5. So A is second.
    // B and D are still tied; D beat B, so D is third although B is seeded higher.
    expect(
      roundRobin
        .standings(state)
        .map((s) => [s.rank, s.entrant, s.points, s.wins, s.draws, s.losses, s.tieBreaks]),
    ).toEqual([
      [
        1,
        'C',
        3.5,
        3,
        1,
        0,
        [
          { name: 'sonneborn-berger', value: 5.5 },
          { name: 'head-to-head', value: 0 },
        ],
      ],
      [
        2,
        'A',
        2,
        1,
        2,
        1,
        [
          { name: 'sonneborn-berger', value: 4 },
          { name: 'head-to-head', value: 0 },
        ],
      ],
      [
        3,
        'D',
        2,
        2,
        0,
        2,
        [
          { name: 'sonneborn-berger', value: 2.5 },
          { name: 'head-to-head', value: 1 },
        ],
      ],
      [
        4,
        'B',
        2,
        2,
        0,
        2,
        [
          { name: 'sonneborn-berger', value: 2.5 },
          { name: 'head-to-head', value: 0 },
        ],
      ],
      [
        5,
        'E',
        0.5,
        0,
        1,
        3,
        [
          { name: 'sonneborn-berger', value: 1 },
          { name: 'head-to-head', value: 0 },
        ],
      ],
    ]);
  });

  it('falls back to seed order when a cycle ties everything else', () => {
    const state = play(['C', 'A', 'D', 'B'], ['A>B', 'B>C', 'C>A', 'A>D', 'B>D', 'C>D']);
    // A, B and C: 2 points each, Sonneborn-Berger 2 each, 1 point each among themselves.
    expect(roundRobin.standings(state).map((s) => s.entrant)).toEqual(['A', 'B', 'C', 'D']);
  });
});
