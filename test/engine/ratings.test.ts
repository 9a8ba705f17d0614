import { describe, expect, it } from 'vitest';
import { countsForRating, DEFAULT_PAIR_CAP, type MatchForRating } from '../../src/engine/rating-cap.js';
import {
  conservative,
  DISPLAY_BASE,
  displayRating,
  initialRating,
  type Rating,
  rateMatch,
} from '../../src/engine/ratings.js';

const strong: Rating = { mu: 31, sigma: 2.5 };
const weak: Rating = { mu: 19, sigma: 4 };

describe('rateMatch', () => {
  it('moves the winner up and the loser down', () => {
    const [a, b] = rateMatch(initialRating(), initialRating(), 0);
    expect(a.mu).toBeGreaterThan(25);
    expect(b.mu).toBeLessThan(25);
    const [c, d] = rateMatch(weak, strong, 1);
    expect(c.mu).toBeLessThan(weak.mu);
    expect(d.mu).toBeGreaterThan(strong.mu);
  });

  it('moves a rating more for an upset than for the expected result', () => {
    const [upsetWinner] = rateMatch(weak, strong, 0);
    const [expectedLoser] = rateMatch(weak, strong, 1);
    expect(upsetWinner.mu - weak.mu).toBeGreaterThan(weak.mu - expectedLoser.mu);
  });

  it('leaves equal ratings equal after a draw and shrinks their sigma', () => {
    const start = initialRating();
    const [a, b] = rateMatch(start, start, null);
    expect(a.mu).toBeCloseTo(start.mu, 12);
    expect(b.mu).toBeCloseTo(start.mu, 12);
    expect(a).toEqual(b);
    expect(a.sigma).toBeLessThan(start.sigma);
  });

  it('moves a favourite down and an underdog up on a draw', () => {
    const [a, b] = rateMatch(strong, weak, null);
    expect(a.mu).toBeLessThan(strong.mu);
    expect(b.mu).toBeGreaterThan(weak.mu);
  });

  it('is symmetric in the seats', () => {
    for (const winner of [0, 1, null] as const) {
      const [a, b] = rateMatch(strong, weak, winner);
      const swapped = winner === null ? null : winner === 0 ? 1 : 0;
      const [b2, a2] = rateMatch(weak, strong, swapped);
      expect(a2.mu).toBeCloseTo(a.mu, 12);
      expect(a2.sigma).toBeCloseTo(a.sigma, 12);
      expect(b2.mu).toBeCloseTo(b.mu, 12);
      expect(b2.sigma).toBeCloseTo(b.sigma, 12);
    }
  });

  it('does not modify its inputs', () => {
    const a = { ...strong };
    const b = { ...weak };
    rateMatch(a, b, 0);
    expect(a).toEqual(strong);
    expect(b).toEqual(weak);
  });
});

describe('conservative and displayRating', () => {
  it('starts a new bot at conservative 0, shown as the base', () => {
    expect(conservative(initialRating())).toBeCloseTo(0, 12);
    expect(displayRating(initialRating())).toBe(DISPLAY_BASE);
  });

  it('is mu - 3 sigma and orders a proven record above a lucky streak', () => {
    expect(conservative({ mu: 30, sigma: 2 })).toBeCloseTo(24, 12);
    const lucky = { mu: 33, sigma: 6 };
    const proven = { mu: 28, sigma: 1.5 };
    expect(conservative(proven)).toBeGreaterThan(conservative(lucky));
    expect(displayRating(proven)).toBeGreaterThan(displayRating(lucky));
  });

  it('reads like Elo: 200 points for a 76% favourite between settled bots', () => {
    const sigma = 0.001;
    // The mu gap at which openskill's two-player model predicts 76%: beta*sqrt2 * ln(0.76/0.24).
    const gap = (25 / 6) * Math.SQRT2 * Math.log(0.76 / 0.24);
    const diff = displayRating({ mu: 25 + gap, sigma }) - displayRating({ mu: 25, sigma });
    expect(diff).toBeGreaterThanOrEqual(199);
    expect(diff).toBeLessThanOrEqual(201);
  });

  it('is an integer and never negative', () => {
    const r = displayRating({ mu: 26.123, sigma: 3.3 });
    expect(Number.isInteger(r)).toBe(true);
    expect(displayRating({ mu: -100, sigma: 8 })).toBe(0);
  });
});

describe('countsForRating', () => {
  const hour = 60 * 60 * 1000;
  const alice = { bot: 'alice/rock', owner: 'alice' };
  const alt = { bot: 'alice/paper', owner: 'alice' };
  const bob = { bot: 'bob/random', owner: 'bob' };
  const carol = { bot: 'carol/cycle', owner: 'carol' };
  const challenge = (at: number, a = alice, b = bob): MatchForRating => ({
    kind: 'challenge',
    sides: [a, b],
    at,
  });

  it('never rates two bots of the same owner', () => {
    expect(countsForRating({ kind: 'tournament', sides: [alice, alt], at: 0 }, [])).toBe(false);
    expect(countsForRating(challenge(0, alice, alt), [])).toBe(false);
  });

  it('rates challenges up to the cap within the window, in either seat order', () => {
    const t = 100 * hour;
    const earlier = [challenge(t - 3 * hour), challenge(t - 2 * hour, bob, alice)];
    expect(countsForRating(challenge(t), earlier)).toBe(true);
    const full = [...earlier, challenge(t - hour)];
    expect(full).toHaveLength(DEFAULT_PAIR_CAP.maxChallenges);
    expect(countsForRating(challenge(t), full)).toBe(false);
    expect(countsForRating(challenge(t, bob, alice), full)).toBe(false);
  });

  it('forgets challenges older than the window and ignores other pairs', () => {
    const t = 100 * hour;
    const old = [challenge(t - 25 * hour), challenge(t - 24 * hour), challenge(t - 30 * hour)];
    expect(countsForRating(challenge(t), old)).toBe(true);
    const others = [
      challenge(t - 1, alice, carol),
      challenge(t - 2, alice, carol),
      challenge(t - 3, alice, carol),
    ];
    expect(countsForRating(challenge(t), others)).toBe(true);
  });

  it('always rates tournament matches between different owners, and they do not use up the cap', () => {
    const t = 100 * hour;
    const tournaments: MatchForRating[] = [1, 2, 3, 4].map((i) => ({
      kind: 'tournament',
      sides: [alice, bob],
      at: t - i,
    }));
    expect(countsForRating({ kind: 'tournament', sides: [alice, bob], at: t }, tournaments)).toBe(true);
    expect(countsForRating(challenge(t), tournaments)).toBe(true);
  });

  it('follows a custom rule', () => {
    const rule = { windowMs: hour, maxChallenges: 1 };
    expect(countsForRating(challenge(10 * hour), [challenge(10 * hour - 10)], rule)).toBe(false);
    expect(countsForRating(challenge(10 * hour), [challenge(9 * hour)], rule)).toBe(true);
  });
});
