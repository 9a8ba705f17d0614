import { describe, expect, it } from 'vitest';
import { bracketSize, seedPositions } from '../../../src/engine/formats/bracket.js';
import { singleElimination as se } from '../../../src/engine/formats/single-elimination.js';
import type { Pairing } from '../../../src/engine/formats/types.js';
import { names, playOut, randomResult, replayShuffled, resultFor } from './helpers.js';

/** Ratings that make bot01 the top seed, bot02 the second, and so on. */
const byName = (n: number) => Object.fromEntries(names(n).map((e, i) => [e, n - i]));
const seedOf = (e: string) => Number(e.slice(3));

describe('bracket shape', () => {
  it('places seeds so the top two can only meet in the final', () => {
    expect(seedPositions(2)).toEqual([1, 2]);
    expect(seedPositions(4)).toEqual([1, 4, 2, 3]);
    expect(seedPositions(8)).toEqual([1, 8, 4, 5, 2, 7, 3, 6]);
    expect(seedPositions(16).slice(0, 4)).toEqual([1, 16, 8, 9]);
  });

  for (let n = 2; n <= 17; n++) {
    it(`n=${n}: byes for the top seeds up to ${bracketSize(n)}, n-1 matches, winners advance`, () => {
      const size = bracketSize(n);
      expect(size).toBeGreaterThanOrEqual(n);
      expect(size / 2).toBeLessThan(n);
      const fresh = se.start(names(n), { ratings: byName(n) }, 'shape');
      const ready = se.nextPairings(fresh);
      const first = ready.filter((p) => p.round === 1);
      // Two entrants who both had byes can play their second-round match straight away.
      expect(ready.every((p) => p.round <= 2)).toBe(true);
      // Round one: the lowest 2(n - size/2) seeds play; the top size - n seeds have byes.
      expect(first).toHaveLength(n - size / 2);
      const playing = first.flatMap((p) => p.seats).map(seedOf);
      expect(playing.sort((a, b) => a - b)).toEqual(
        Array.from({ length: 2 * (n - size / 2) }, (_, i) => size - n + 1 + i),
      );
      const byes = se.standings(fresh).filter((s) => s.byes === 1);
      expect(byes.map((s) => seedOf(s.entrant)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: size - n }, (_, i) => i + 1),
      );

      const { state, log } = playOut(se, fresh, (p) => randomResult(`se${n}`, p));
      expect(log).toHaveLength(n - 1);
      expect(se.isComplete(state)).toBe(true);
      expect(se.progress(state)).toEqual({ played: n - 1, total: n - 1 });
      expect(Math.max(...log.map((l) => l.pairing.round))).toBe(Math.log2(size));

      // Everyone loses at most once, and a loser never plays again; no one plays twice a round.
      const knockedOut = new Set<string>();
      const seenInRound = new Map<number, Set<string>>();
      for (const { pairing, result } of log) {
        const inRound = seenInRound.get(pairing.round) ?? new Set();
        for (const e of pairing.seats) {
          expect(knockedOut.has(e)).toBe(false);
          expect(inRound.has(e)).toBe(false);
          inRound.add(e);
        }
        seenInRound.set(pairing.round, inRound);
        const winnerSeat = result.winner ?? (result.score > 0 ? 0 : result.score < 0 ? 1 : null);
        const loser =
          winnerSeat === null
            ? pairing.seats.reduce((a, b) => (seedOf(a) > seedOf(b) ? a : b))
            : pairing.seats[winnerSeat === 0 ? 1 : 0];
        knockedOut.add(loser);
      }
      expect(knockedOut.size).toBe(n - 1);
      const champion = se.standings(state)[0]!;
      expect(champion.rank).toBe(1);
      expect(knockedOut.has(champion.entrant)).toBe(false);
    });
  }
});

describe('single elimination play', () => {
  it('advances winners, puts the top seeds together only in the final, and ends with it', () => {
    const fresh = se.start(names(8), { ratings: byName(8) }, 's');
    // The higher seed always wins.
    const higher = (p: Pairing) =>
      resultFor(p, seedOf(p.seats[0]) < seedOf(p.seats[1]) ? p.seats[0] : p.seats[1]);
    let state = fresh;
    const rounds: string[][] = [];
    for (let guard = 0; guard < 5 && !se.isComplete(state); guard++) {
      const batch = se.nextPairings(state);
      rounds.push(batch.map((p) => `${p.key} ${p.seats.map(seedOf).join('v')}`));
      for (const p of batch) state = se.record(state, p.key, higher(p));
    }
    expect(rounds).toEqual([
      ['r1:m1 1v8', 'r1:m2 4v5', 'r1:m3 2v7', 'r1:m4 3v6'],
      ['r2:m1 1v4', 'r2:m2 2v3'],
      ['r3:m1 1v2'],
    ]);
    expect(se.isComplete(state)).toBe(true);
    expect(se.standings(state).map((s) => [s.rank, seedOf(s.entrant), s.roundReached])).toEqual([
      [1, 1, 3],
      [2, 2, 3],
      [3, 3, 2],
      [3, 4, 2],
      [5, 5, 1],
      [5, 6, 1],
      [5, 7, 1],
      [5, 8, 1],
    ]);
  });

  it('is not complete until the final is recorded', () => {
    let state = se.start(names(4), {}, 's');
    for (const p of se.nextPairings(state)) state = se.record(state, p.key, resultFor(p, p.seats[0]));
    expect(se.isComplete(state)).toBe(false);
    const [final] = se.nextPairings(state);
    expect(final?.key).toBe('r2:m1');
    state = se.record(state, final!.key, resultFor(final!, final!.seats[1]));
    expect(se.isComplete(state)).toBe(true);
    expect(se.nextPairings(state)).toEqual([]);
    expect(se.standings(state)[0]!.entrant).toBe(final!.seats[1]);
  });

  it('resolves a draw by points scored, then by the higher seed', () => {
    const ratings = { top: 2, low: 1 };
    const fresh = se.start(['low', 'top'], { ratings }, 's');
    const [p] = se.nextPairings(fresh);
    expect(p!.seats).toEqual(['top', 'low']);
    const winnerOf = (score: number) =>
      se.standings(se.record(fresh, p!.key, { winner: null, score }))[0]!.entrant;
    expect(winnerOf(12)).toBe('top');
    expect(winnerOf(-12)).toBe('low');
    expect(winnerOf(0)).toBe('top');
    const drawn = se.standings(se.record(fresh, p!.key, { winner: null, score: -3 }));
    expect(drawn.map((s) => [s.entrant, s.rank, s.draws, s.wins, s.losses])).toEqual([
      ['low', 1, 1, 0, 0],
      ['top', 2, 1, 0, 0],
    ]);
  });

  it('plays a third-place match between the semi-final losers when asked', () => {
    const fresh = se.start(names(6), { ratings: byName(6), thirdPlace: true }, 's');
    expect(se.progress(fresh)).toEqual({ played: 0, total: 6 });
    const { state, log } = playOut(se, fresh, (p) => resultFor(p, p.seats[1]));
    expect(log).toHaveLength(6);
    const third = log.find((l) => l.pairing.key === 'r3:m2')!;
    const semis = log.filter((l) => l.pairing.round === 2);
    expect(new Set(third.pairing.seats)).toEqual(new Set(semis.map((s) => s.pairing.seats[0])));
    const table = se.standings(state);
    expect(table.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5, 5]);
    expect(table[2]!.entrant).toBe(third.pairing.seats[1]);
    expect(table[3]!.entrant).toBe(third.pairing.seats[0]);
    // Three entrants have no third-place match: only one semi-final is played.
    expect(se.progress(se.start(names(3), { thirdPlace: true }, 's')).total).toBe(2);
  });

  it('rejects matches that do not exist or are not ready', () => {
    const state = se.start(names(5), {}, 's');
    expect(() => se.record(state, 'r2:m1', { winner: 0, score: 1 })).toThrow(/cannot be played yet/);
    expect(() => se.record(state, 'r1:m1', { winner: 0, score: 1 })).toThrow(/no match/); // a bye
    expect(() => se.record(state, 'r4:m1', { winner: 0, score: 1 })).toThrow(/no match/);
    expect(() => se.record(state, 'r3:m2', { winner: 0, score: 1 })).toThrow(/no match/);
  });

  it('rebuilds the same state from results replayed in shuffled order within rounds', () => {
    for (const n of [5, 12, 17]) {
      const fresh = se.start(names(n), { thirdPlace: true }, `resume${n}`);
      const { state, log } = playOut(se, fresh, (p) => randomResult('x', p));
      const rebuilt = replayShuffled(se, fresh, log, 'order');
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(state));
      expect(se.standings(rebuilt)).toEqual(se.standings(state));
    }
  });

  it('is deterministic for a seed', () => {
    const a = playOut(se, se.start(names(13), {}, 'k'), (p) => randomResult('d', p));
    const b = playOut(se, se.start(names(13).reverse(), {}, 'k'), (p) => randomResult('d', p));
    expect(b.log).toEqual(a.log);
    expect(se.standings(b.state)).toEqual(se.standings(a.state));
  });

  it('crowns a lone entrant without a match', () => {
    const state = se.start(['solo'], {}, 's');
    expect(se.isComplete(state)).toBe(true);
    expect(se.standings(state).map((s) => [s.rank, s.entrant])).toEqual([[1, 'solo']]);
  });
});
