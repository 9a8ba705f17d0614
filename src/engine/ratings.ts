import { ordinal, rate, rating } from 'openskill';

/**
 * Bot ratings: a thin wrapper over openskill (Weng-Lin Bayesian rating, the family TrueSkill
 * belongs to). A rating is a belief about a bot's skill: a normal distribution with mean `mu`
 * and standard deviation `sigma`. See docs/ratings.md for the choice of library and scale.
 *
 * Everything here is a pure function of plain data, so a rating can be stored as two numbers
 * and recomputed from the match history.
 */
export type Rating = { mu: number; sigma: number };

/**
 * The model's constants, spelled out rather than left to the library's defaults so that an
 * upgrade that changes a default cannot silently shift every rating. These are openskill 5's
 * own defaults: mu 25, sigma 25/3 (so mu - 3 sigma starts at 0), beta 25/6 (the skill gap that
 * makes a win clearly more likely), tau 25/300 (a little uncertainty added before each game so
 * ratings keep moving when the field changes).
 */
export const MODEL = {
  mu: 25,
  sigma: 25 / 3,
  beta: 25 / 6,
  tau: 25 / 300,
  z: 3,
} as const;

/** What a bot starts with before its first rated match. */
export function initialRating(): Rating {
  return rating({ mu: MODEL.mu, sigma: MODEL.sigma }, MODEL);
}

/**
 * Both ratings after one match. `winner` is the seat that won (0 is `a`), or null for a draw.
 * The update is symmetric: swapping the bots and the winner swaps the results.
 */
export function rateMatch(a: Rating, b: Rating, winner: 0 | 1 | null): [Rating, Rating] {
  // openskill ranks teams: lower is better, equal ranks are a draw.
  const rank = winner === 0 ? [1, 2] : winner === 1 ? [2, 1] : [1, 1];
  const [[nextA], [nextB]] = rate([[a], [b]], { ...MODEL, rank });
  return [
    { mu: nextA.mu, sigma: nextA.sigma },
    { mu: nextB.mu, sigma: nextB.sigma },
  ];
}

/**
 * mu - 3 sigma: a skill the bot is ~99.7% likely to exceed. Ordering by it keeps a bot that
 * won two lucky games from topping a bot with a long, solid record: a bot climbs by being
 * good AND by proving it over many games.
 */
export function conservative(r: Rating): number {
  return ordinal(r, MODEL);
}

/**
 * Display points per unit of mu, chosen so that rating differences read like Elo: between two
 * well-established bots, a gap of 200 points means the stronger is expected to win about 76%
 * of decisive games, as in chess. For two players openskill's model predicts
 * P(win) = 1 / (1 + exp(-(muA - muB) / c)) with c = sqrt(2 beta^2 + sigmaA^2 + sigmaB^2);
 * Elo's curve is 1 / (1 + 10^(-d / 400)), so one unit of mu is 400 / (ln 10 * c) Elo points
 * with c -> beta * sqrt 2 once the sigmas are small. That is about 29.5.
 */
export const POINTS_PER_MU = 400 / (Math.LN10 * MODEL.beta * Math.SQRT2);

/** Where a brand-new bot's conservative rating (0) lands on the display scale. */
export const DISPLAY_BASE = 1000;

/**
 * The integer people read: 1000 + 29.5 x (mu - 3 sigma), never below 0. A new bot shows 1000
 * and the number rises as its record firms up; an established average bot sits near 1600.
 */
export function displayRating(r: Rating): number {
  return Math.max(0, Math.round(ordinal(r, { ...MODEL, alpha: POINTS_PER_MU, target: DISPLAY_BASE })));
}

/**
 * Games a bot plays before its rating is shown as settled. A new bot starts at the display base
 * (1000) with a wide uncertainty, which can place it above bots that played and lost; boards mark
 * its rating provisional ("1000?") until it has this many games behind it.
 */
export const PROVISIONAL_GAMES = 5;

export function isProvisional(played: number): boolean {
  return played < PROVISIONAL_GAMES;
}
