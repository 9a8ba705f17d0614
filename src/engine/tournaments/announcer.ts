import type { TournamentEntrant, TournamentFormat } from '../../db/schema.js';
import type { LeaderboardView } from '../leaderboard.js';

/**
 * What a running tournament tells the world, independent of the transport. The runner calls
 * these; a Discord implementation (src/discord/tournament-announcer.ts) posts with the bot token,
 * the in-memory one (memory-announcer.ts) records for tests. Every call is best effort: the
 * runner logs a failure and carries on, since a tournament must not stop because a message
 * could not be sent.
 */
export interface TournamentAnnouncer {
  /**
   * The tournament begins: post the progress message (and open a thread for details). Returns
   * the ids to store, so progress edits and a resumed runner find the same message and thread.
   */
  start(tournament: AnnouncedTournament): Promise<AnnouncedMessages>;
  /** Matches done so far. Throttled by the runner (at most every few seconds) and always sent at the end. */
  progress(tournament: AnnouncedTournament, progress: TournamentProgress): Promise<void>;
  /** Final standings, highlights, the updated leaderboard and the data for the rating chart. */
  results(tournament: AnnouncedTournament, results: TournamentResults): Promise<void>;
  /** The tournament was cancelled (by an admin); what was played stays played and rated. */
  cancelled(
    tournament: AnnouncedTournament,
    info: { reason: string; progress: TournamentProgress },
  ): Promise<void>;
  /** A scheduled tournament did not start (too few bots, one still running). */
  skipped(info: { guildId: string; channelId: string; reason: string; at: Date }): Promise<void>;
}

export interface AnnouncedMessages {
  /** The message progress edits go to; null when none could be posted. */
  messageId: string | null;
  threadId: string | null;
}

/** A tournament as the announcer sees it. */
export interface AnnouncedTournament {
  id: number;
  guildId: string;
  format: TournamentFormat;
  /** "Round robin", "Swiss", "Single elimination". */
  formatLabel: string;
  /** Game rounds per match. */
  rounds: number;
  totalMatches: number;
  entrants: readonly TournamentEntrant[];
  channelId: string | null;
  messageId: string | null;
  threadId: string | null;
  /** A Discord user id, or "schedule". */
  startedBy: string;
  /** When it began (for a resumed tournament, the original start). */
  startedAt: Date;
}

export interface TournamentProgress {
  done: number;
  total: number;
  /** Since the tournament started (for a resumed tournament, including the time it was down). */
  elapsedMs: number;
  /** True when a restarted service picked this tournament up again. */
  resumed: boolean;
}

export interface ResultStanding {
  rank: number;
  entrant: TournamentEntrant;
  points: number;
  wins: number;
  draws: number;
  losses: number;
  byes: number;
  /** Elimination: the last round reached. */
  roundReached?: number;
  /** Display ratings (docs/ratings.md) before the tournament and now; null when never rated. */
  ratingBefore: number | null;
  ratingAfter: number | null;
}

/** A notable match: an upset (the lower-rated bot won) or a big win. */
export interface MatchHighlight {
  matchId: number;
  key: string;
  round: number;
  winner: TournamentEntrant;
  loser: TournamentEntrant;
  /** The winner's points minus the loser's. */
  margin: number;
  /** Display rating of the winner minus the loser's, before the tournament (negative for an upset). */
  ratingGap: number;
}

export interface UnplayedPairing {
  key: string;
  entrants: readonly [TournamentEntrant, TournamentEntrant];
  reason: string;
}

/** What the chart shows per entrant: its rating now, in final-standings order. */
export interface ChartRow {
  rank: number;
  botName: string;
  mu: number;
  sigma: number;
}

export interface TournamentResults {
  standings: ResultStanding[];
  /** Up to three, biggest rating gap first. */
  upsets: MatchHighlight[];
  /** Up to three, biggest margin first. */
  biggestWins: MatchHighlight[];
  unplayed: UnplayedPairing[];
  /** The guild's leaderboard after the tournament, first page. */
  leaderboard: LeaderboardView;
  /** Entrants' ratings after the tournament, for the rating chart (rendered by the transport). */
  chart: ChartRow[];
  matchesPlayed: number;
  durationMs: number;
  finishedAt: Date;
}
