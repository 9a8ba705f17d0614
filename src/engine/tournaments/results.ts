import { INITIAL_RATING } from '../../db/repos/ratings.js';
import type { StoredResult, Tournament } from '../../db/repos/tournaments.js';
import type { StoredStanding, TournamentEntrant } from '../../db/schema.js';
import type { EngineDeps } from '../deps.js';
import { type FormatState, type Standing, standings } from '../formats/index.js';
import { leaderboard } from '../leaderboard.js';
import { displayRating } from '../ratings.js';
import type {
  ChartRow,
  MatchHighlight,
  ResultStanding,
  TournamentResults,
  UnplayedPairing,
} from './announcer.js';
import { entrantIndex } from './rebuild.js';

/** How many upsets and big wins the results show. */
const HIGHLIGHTS = 3;
/** A win over a bot rated less than this much higher (display points) is not called an upset. */
export const UPSET_MIN_GAP = 25;
/** Rows on the results chart: more is unreadable on a phone. */
const CHART_ROWS = 25;

const displayBefore = (e: TournamentEntrant) => displayRating(e.rating ?? INITIAL_RATING);

/**
 * Highlights of the played, decided matches: upsets (the bot rated lower when the tournament
 * began won, by at least UPSET_MIN_GAP points; biggest gap first) and biggest wins (largest
 * points margin first). Pure: from the stored results and the entrants.
 */
export function highlights(
  stored: readonly StoredResult[],
  entrants: readonly TournamentEntrant[],
): { upsets: MatchHighlight[]; biggestWins: MatchHighlight[] } {
  const byBot = new Map(entrants.map((e) => [e.botId, e]));
  const decided: MatchHighlight[] = [];
  for (const r of stored) {
    if (r.matchId === null || r.winnerSeat === null) continue;
    const seats = [byBot.get(r.bot0Id), byBot.get(r.bot1Id)];
    const winner = seats[r.winnerSeat];
    const loser = seats[r.winnerSeat === 0 ? 1 : 0];
    if (!winner || !loser) continue;
    decided.push({
      matchId: r.matchId,
      key: r.key,
      round: r.round,
      winner,
      loser,
      margin: r.winnerSeat === 0 ? r.score : -r.score,
      ratingGap: displayBefore(winner) - displayBefore(loser),
    });
  }
  const upsets = decided
    .filter((h) => h.ratingGap <= -UPSET_MIN_GAP)
    .sort((a, b) => a.ratingGap - b.ratingGap || b.margin - a.margin || a.matchId - b.matchId)
    .slice(0, HIGHLIGHTS);
  const biggestWins = decided
    .slice()
    .sort((a, b) => b.margin - a.margin || a.matchId - b.matchId)
    .slice(0, HIGHLIGHTS);
  return { upsets, biggestWins };
}

/** The final standings as the tournaments table keeps them (history reads the winner from it). */
export function storedStandings(rows: readonly Standing[]): StoredStanding[] {
  return rows.map(({ rank, entrant, points, wins, draws, losses, byes }) => ({
    rank,
    entrant,
    points,
    wins,
    draws,
    losses,
    byes,
  }));
}

/** Everything the results announcement needs, read after the last match was stored. */
export async function collectResults(
  deps: EngineDeps,
  tournament: Tournament,
  state: FormatState,
  stored: readonly StoredResult[],
  timing: { startedAt: Date; finishedAt: Date },
): Promise<TournamentResults> {
  const entrants = entrantIndex(tournament.entrants);
  const now = new Map<number, { mu: number; sigma: number }>();
  for (const e of tournament.entrants) {
    const r = await deps.repos.ratings.get(e.botId, 'rps');
    if (r) now.set(e.botId, { mu: r.mu, sigma: r.sigma });
  }
  const table: ResultStanding[] = standings(state).map((s) => {
    const entrant = entrants.get(s.entrant)!;
    const after = now.get(entrant.botId);
    return {
      rank: s.rank,
      entrant,
      points: s.points,
      wins: s.wins,
      draws: s.draws,
      losses: s.losses,
      byes: s.byes,
      ...(s.roundReached === undefined ? {} : { roundReached: s.roundReached }),
      ratingBefore: entrant.rating ? displayRating(entrant.rating) : null,
      ratingAfter: after ? displayRating(after) : null,
    };
  });
  const byBot = new Map(tournament.entrants.map((e) => [e.botId, e]));
  const unplayed: UnplayedPairing[] = stored
    .filter((r) => r.unplayedReason !== null)
    .map((r) => ({
      key: r.key,
      entrants: [byBot.get(r.bot0Id)!, byBot.get(r.bot1Id)!] as const,
      reason: r.unplayedReason!,
    }));
  const chart: ChartRow[] = table.slice(0, CHART_ROWS).map((row) => {
    const rating = now.get(row.entrant.botId) ?? INITIAL_RATING;
    return {
      rank: row.rank,
      botName: `${row.entrant.ownerName}/${row.entrant.botName}`,
      mu: rating.mu,
      sigma: rating.sigma,
    };
  });
  return {
    standings: table,
    ...highlights(stored, tournament.entrants),
    unplayed,
    leaderboard: await leaderboard(deps, { guildId: tournament.guildId, page: 1, pageSize: 10 }),
    chart,
    matchesPlayed: stored.filter((r) => r.matchId !== null).length,
    durationMs: timing.finishedAt.getTime() - timing.startedAt.getTime(),
    finishedAt: timing.finishedAt,
  };
}
