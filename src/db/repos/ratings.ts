import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { bots, players, ratings } from '../schema.js';

export type Rating = typeof ratings.$inferSelect;

/** A skill estimate: mean and uncertainty, as TrueSkill-style systems (OpenSkill too) keep them. */
export interface RatingValue {
  mu: number;
  sigma: number;
}

/** TrueSkill's conventional start: mu 25, sigma 25/3, so a new bot's conservative rating is 0. */
export const INITIAL_RATING: Readonly<RatingValue> = Object.freeze({ mu: 25, sigma: 25 / 3 });

export interface LeaderboardRow {
  /** 1-based position in the whole leaderboard, not just the page. */
  rank: number;
  botId: number;
  botName: string;
  ownerUserId: string;
  ownerName: string;
  mu: number;
  sigma: number;
  /** mu - 3*sigma: a rating the bot is very likely to be at least; what the board orders by. */
  conservative: number;
  played: number;
  wins: number;
  losses: number;
  draws: number;
}

export interface LeaderboardPage {
  rows: LeaderboardRow[];
  /** Bots on the whole leaderboard, for "page 2 of 7". */
  total: number;
}

export interface LeaderboardOptions {
  offset?: number;
  limit?: number;
  /** Retired bots keep their rating but leave the board unless asked for. */
  includeRetired?: boolean;
}

/** A bot's rating after a batch of matches, and the results the batch adds to its counts. */
export interface RatingTally extends RatingValue {
  played: number;
  wins: number;
  losses: number;
  draws: number;
}

export type RatingsRepo = ReturnType<typeof createRatingsRepo>;

/**
 * Ratings per bot per game, and the leaderboard. The order is conservative rating descending,
 * ties broken by the older bot (lower id) first, so every bot has exactly one rank and pages never
 * overlap or skip.
 */
export function createRatingsRepo(db: Db) {
  async function get(botId: number, game: string): Promise<Rating | null> {
    const [row] = await db
      .select()
      .from(ratings)
      .where(and(eq(ratings.botId, botId), eq(ratings.game, game)));
    return row ?? null;
  }

  /** Inserts missing rating rows at `initial`; existing ones are left as they are. */
  async function ensure(
    guildId: string,
    game: string,
    botIds: readonly number[],
    initial: RatingValue = INITIAL_RATING,
  ): Promise<void> {
    if (botIds.length === 0) return;
    // In ascending order, as lockForUpdate locks them: two transactions inserting the same new
    // rows in opposite orders (a challenge each way between two new bots) deadlock otherwise.
    const ordered = [...new Set(botIds)].sort((a, b) => a - b);
    await db
      .insert(ratings)
      .values(ordered.map((botId) => ({ guildId, game, botId, mu: initial.mu, sigma: initial.sigma })))
      .onConflictDoNothing({ target: [ratings.botId, ratings.game] });
  }

  function boardFilter(guildId: string, game: string, includeRetired: boolean | undefined): SQL {
    return and(
      eq(ratings.guildId, guildId),
      eq(ratings.game, game),
      includeRetired ? undefined : isNull(bots.retiredAt),
    )!;
  }

  return {
    get,
    ensure,

    /** The bot's rating, created at `initial` if it has none yet. */
    async getOrInit(
      guildId: string,
      game: string,
      botId: number,
      initial: RatingValue = INITIAL_RATING,
    ): Promise<Rating> {
      await ensure(guildId, game, [botId], initial);
      return (await get(botId, game))!;
    },

    /**
     * Locks the bots' rating rows for the rest of the transaction, creating missing ones first.
     * Rows are locked in bot id order so two matches between the same bots cannot deadlock. Call
     * it on a transaction's handle.
     */
    async lockForUpdate(
      guildId: string,
      game: string,
      botIds: readonly number[],
      initial: RatingValue = INITIAL_RATING,
    ): Promise<Map<number, Rating>> {
      await ensure(guildId, game, botIds, initial);
      const rows = await db
        .select()
        .from(ratings)
        .where(and(eq(ratings.game, game), inArray(ratings.botId, [...botIds])))
        .orderBy(asc(ratings.botId))
        .for('update');
      return new Map(rows.map((r) => [r.botId, r]));
    },

    /**
     * Writes a bot's new rating after a match and counts the result. Part of recording a match
     * (see the matches repository), inside its transaction after `lockForUpdate`.
     */
    async applyResult(
      botId: number,
      game: string,
      after: RatingValue,
      result: 'win' | 'loss' | 'draw',
    ): Promise<void> {
      await db
        .update(ratings)
        .set({
          mu: after.mu,
          sigma: after.sigma,
          played: sql`${ratings.played} + 1`,
          wins: result === 'win' ? sql`${ratings.wins} + 1` : undefined,
          losses: result === 'loss' ? sql`${ratings.losses} + 1` : undefined,
          draws: result === 'draw' ? sql`${ratings.draws} + 1` : undefined,
          updatedAt: sql`now()`,
        })
        .where(and(eq(ratings.botId, botId), eq(ratings.game, game)));
    },

    /**
     * Writes many bots' ratings after a batch of matches in one statement: the new mu and sigma,
     * and the batch's results added to the counts. Inside the transaction, after `lockForUpdate`.
     */
    async applyTallies(game: string, tallies: ReadonlyMap<number, RatingTally>): Promise<void> {
      if (tallies.size === 0) return;
      const rows = [...tallies].map(
        ([botId, t]) =>
          sql`(${botId}::integer, ${t.mu}::double precision, ${t.sigma}::double precision, ${t.played}::integer, ${t.wins}::integer, ${t.losses}::integer, ${t.draws}::integer)`,
      );
      await db.execute(sql`
        update ${ratings} set
          mu = v.mu, sigma = v.sigma,
          played = ${ratings.played} + v.played, wins = ${ratings.wins} + v.wins,
          losses = ${ratings.losses} + v.losses, draws = ${ratings.draws} + v.draws,
          updated_at = now()
        from (values ${sql.join(rows, sql`, `)}) as v(bot_id, mu, sigma, played, wins, losses, draws)
        where ${ratings.botId} = v.bot_id and ${ratings.game} = ${game}`);
    },

    async leaderboard(
      guildId: string,
      game: string,
      options: LeaderboardOptions = {},
    ): Promise<LeaderboardPage> {
      const offset = options.offset ?? 0;
      const limit = options.limit ?? 10;
      const where = boardFilter(guildId, game, options.includeRetired);
      const rows = await db
        .select({
          botId: ratings.botId,
          botName: bots.name,
          ownerUserId: players.userId,
          ownerName: players.displayName,
          mu: ratings.mu,
          sigma: ratings.sigma,
          conservative: ratings.conservative,
          played: ratings.played,
          wins: ratings.wins,
          losses: ratings.losses,
          draws: ratings.draws,
        })
        .from(ratings)
        .innerJoin(bots, eq(bots.id, ratings.botId))
        .innerJoin(players, eq(players.id, bots.ownerId))
        .where(where)
        .orderBy(desc(ratings.conservative), asc(ratings.botId))
        .offset(offset)
        .limit(limit);
      const [totals] = await db
        .select({ total: count() })
        .from(ratings)
        .innerJoin(bots, eq(bots.id, ratings.botId))
        .where(where);
      return { rows: rows.map((row, i) => ({ rank: offset + i + 1, ...row })), total: totals?.total ?? 0 };
    },

    /**
     * The bot's place on the board (1 is best) and the board's size, or null when the bot has no
     * rating or is off the board (retired, unless `includeRetired`).
     */
    async rankOf(
      guildId: string,
      game: string,
      botId: number,
      options: { includeRetired?: boolean } = {},
    ): Promise<{ rank: number; total: number; rating: Rating } | null> {
      const where = boardFilter(guildId, game, options.includeRetired);
      const [mine] = await db
        .select({ rating: ratings })
        .from(ratings)
        .innerJoin(bots, eq(bots.id, ratings.botId))
        .where(and(where, eq(ratings.botId, botId)));
      if (!mine) return null;
      const { conservative } = mine.rating;
      const [counts] = await db
        .select({
          ahead: sql<number>`count(*) filter (where ${or(
            gt(ratings.conservative, conservative),
            and(eq(ratings.conservative, conservative), lt(ratings.botId, botId)),
          )})`.mapWith(Number),
          total: count(),
        })
        .from(ratings)
        .innerJoin(bots, eq(bots.id, ratings.botId))
        .where(where);
      return { rank: (counts?.ahead ?? 0) + 1, total: counts?.total ?? 0, rating: mine.rating };
    },
  };
}
