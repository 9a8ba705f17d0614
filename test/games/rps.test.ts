import { describe, expect, it } from 'vitest';
import {
  beats,
  checkRules,
  counter,
  forfeit,
  HANDS,
  handCode,
  handFromCode,
  isOver,
  makeRules,
  outcome,
  parseHand,
  play,
  roundPoints,
  start,
} from '../../src/games/rps.js';

describe('rock-paper-scissors rules', () => {
  it('each hand beats exactly one other', () => {
    expect(beats('rock', 'scissors')).toBe(true);
    expect(beats('scissors', 'paper')).toBe(true);
    expect(beats('paper', 'rock')).toBe(true);
    for (const a of HANDS) {
      expect(beats(a, a)).toBe(false);
      expect(HANDS.filter((b) => beats(a, b))).toHaveLength(1);
      expect(beats(counter(a), a)).toBe(true);
    }
  });

  it('round points are antisymmetric', () => {
    for (const a of HANDS) for (const b of HANDS) expect(roundPoints(a, b)).toBe(-roundPoints(b, a) || 0);
  });

  it('defaults to 1000 rounds with a 2% draw margin', () => {
    expect(makeRules()).toEqual({ rounds: 1000, drawMargin: 20 });
    expect(makeRules({ rounds: 50 })).toEqual({ rounds: 50, drawMargin: 1 });
    expect(makeRules({ rounds: 10, drawMargin: 0 })).toEqual({ rounds: 10, drawMargin: 0 });
  });

  it('rejects impossible rules in plain words', () => {
    expect(checkRules({ rounds: 0, drawMargin: 0 })?.message).toMatch(/rounds must be a whole number/);
    expect(checkRules({ rounds: 1.5, drawMargin: 0 })?.field).toBe('rounds');
    expect(checkRules({ rounds: 10, drawMargin: 10 })?.field).toBe('drawMargin');
    expect(checkRules(makeRules())).toBeNull();
  });

  it('a win needs a margin greater than the draw margin', () => {
    let s = start({ rounds: 5, drawMargin: 1 });
    s = play(s, ['paper', 'rock']);
    s = play(s, ['rock', 'rock']);
    s = play(s, ['rock', 'rock']);
    s = play(s, ['rock', 'rock']);
    s = play(s, ['rock', 'rock']);
    expect(isOver(s)).toBe(true);
    expect(outcome(s)).toEqual({ winner: null, reason: 'within-margin', score: 1 });

    let t = start({ rounds: 3, drawMargin: 1 });
    t = play(t, ['rock', 'paper']);
    t = play(t, ['rock', 'paper']);
    t = play(t, ['paper', 'paper']);
    expect(outcome(t)).toEqual({ winner: 1, reason: 'points', score: -2 });
    expect(t.wins).toEqual([0, 2]);
    expect(t.ties).toBe(1);
  });

  it('a fault forfeits; both faulting is a draw', () => {
    const s = play(start(makeRules({ rounds: 10 })), ['paper', 'rock']);
    expect(outcome(forfeit(s, [true, false]))).toMatchObject({ winner: 1, reason: 'forfeit', score: 1 });
    expect(outcome(forfeit(s, [false, true]))).toMatchObject({ winner: 0, reason: 'forfeit' });
    expect(outcome(forfeit(s, [true, true]))).toMatchObject({ winner: null, reason: 'double-forfeit' });
    expect(isOver(forfeit(s, [true, false]))).toBe(true);
    expect(() => forfeit(s, [false, false])).toThrow();
  });

  it('refuses moves after the match is over', () => {
    const s = play(start({ rounds: 1, drawMargin: 0 }), ['rock', 'rock']);
    expect(() => play(s, ['rock', 'rock'])).toThrow(/already over/);
  });

  it('does not mutate the state it is given', () => {
    const s = start(makeRules());
    const frozen = JSON.stringify(s);
    play(s, ['rock', 'paper']);
    expect(JSON.stringify(s)).toBe(frozen);
  });

  it('reads and writes hands in every notation', () => {
    expect(parseHand('Rock')).toBe('rock');
    expect(parseHand('SCISSORS')).toBe('scissors');
    expect(parseHand('lizard')).toBeNull();
    expect(parseHand(' rock')).toBeNull();
    for (const h of HANDS) expect(handFromCode(handCode(h))).toBe(h);
    expect(handFromCode('X')).toBeNull();
  });
});
