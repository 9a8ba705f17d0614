import { and, count, desc, eq, getTableColumns, gte, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Outcome, Seat } from '../../games/game.js';
import { type MatchLog, type MatchRecord, totalFuel } from '../../games/match-record.js';
import type { Db } from '../client.js';
import { decodeMatchLog, decodeTiming, encodeMatchLogAsync, encodeTimingAsync } from '../match-log-codec.js';
import { bots, botVersions, type MatchKind, matches, ratingHistory } from '../schema.js';
import { createRatingsRepo, type RatingValue } from './ratings.js';

export type MatchRow = typeof matches.$inferSelect;
/** A stored match without its compressed log and timings. */
export type MatchSummary = Omit<MatchRow, 'log' | 'timing'>;
/** A stored match with its round log (and per-round times, when stored) decoded. */
export interface StoredMatch extends MatchSummary {
  log: MatchLog;
  moveMicros: [number[], number[]] | null;
}
export interface MatchListItem extends MatchSummary {
  bot0Name: string;
  bot1Name: string;
}

/** Which bot and which of its versions sat in a seat. */
export interface SeatRef {
  botId: number;
  versionId: number;
}

/**
 * The rating system, as a pure function: both seats' ratings before the match and its outcome in,
 * both seats' ratings after out. It runs inside the transaction with the rows locked, so
 * concurrent matches of the same bot never overwrite each other's update.
 */
export type RateMatch = (
  before: readonly [RatingValue, RatingValue],
  outcome: Outcome,
) => readonly [RatingValue, RatingValue];

export interface RecordMatchInput {
  guildId: string;
  kind: MatchKind;
  record: MatchRecord;
  seats: readonly [SeatRef, SeatRef];
  /**
   * Required for kind 'tournament', forbidden otherwise (CHECKs enforce it). `key` is the format's
   * pairing key; a second match for the same key is refused by a unique constraint.
   */
  tournament?: { id: number; round: number; key: string } | undefined;
  /** When the match started; defaults to the time of recording. */
  startedAt?: Date | undefined;
  /** Rates the match; leave out for unrated ones (smoke matches). */
  rate?: RateMatch | undefined;
}

export interface RatingChange {
  botId: number;
  before: RatingValue;
  after: RatingValue;
}

export interface RecordedMatch {
  match: MatchSummary;
  /** Per seat; null for an unrated match. */
  ratingChanges: readonly [RatingChange, RatingChange] | null;
}

export interface HeadToHead {
  played: number;
  winsA: number;
  winsB: number;
  draws: number;
}

export type MatchesRepo = ReturnType<typeof createMatchesRepo>;

const { log: _log, timing: _timing, ...summaryColumns } = getTableColumns(matches);
const seat0Bot = alias(bots, 'seat0_bot');
const seat1Bot = alias(bots, 'seat1_bot');

/**
 * Finished matches. Recording one is a single transaction: the match row, and for rated matches
 * both bots' new ratings and their history rows, are stored together or not at all.
 */
export function createMatchesRepo(db: Db) {
  return {
    async recordMatch(input: RecordMatchInput): Promise<RecordedMatch> {
      // Compress before taking any locks, off the event loop.
      const [log, timing] = await Promise.all([
        encodeMatchLogAsync(input.record.log),
        encodeTimingAsync(input.record.timing.moveMicros),
      ]);
      const values = toRow(input, { log, timing });
      const { record, seats } = input;
      return db.transaction(async (tx) => {
        await checkSeatVersions(tx, record, seats);
        const [match] = await tx.insert(matches).values(values).returning(summaryColumns);
        if (!input.rate) return { match: match!, ratingChanges: null };

        const ratingsRepo = createRatingsRepo(tx);
        const botIds = [seats[0].botId, seats[1].botId] as const;
        const locked = await ratingsRepo.lockForUpdate(input.guildId, record.game, botIds);
        const before = botIds.map((id) => pick(locked.get(id)!)) as [RatingValue, RatingValue];
        const after = input.rate(before, record.outcome);
        const changes = ([0, 1] as const).map((seat) => {
          const value = checkRating(after[seat]);
          return { seat, botId: botIds[seat], before: before[seat], after: value };
        });
        for (const c of changes) {
          await ratingsRepo.applyResult(c.botId, record.game, c.after, resultFor(c.seat, record.outcome));
        }
        await tx.insert(ratingHistory).values(
          changes.map((c) => ({
            matchId: match!.id,
            botId: c.botId,
            muBefore: c.before.mu,
            sigmaBefore: c.before.sigma,
            muAfter: c.after.mu,
            sigmaAfter: c.after.sigma,
          })),
        );
        const [c0, c1] = changes.map(({ botId, before, after }) => ({ botId, before, after }));
        return { match: match!, ratingChanges: [c0!, c1!] };
      });
    },

    /** The match with its decoded round log. */
    async get(id: number): Promise<StoredMatch | null> {
      const [row] = await db.select().from(matches).where(eq(matches.id, id));
      if (!row) return null;
      const { log, timing, ...rest } = row;
      return { ...rest, log: decodeMatchLog(log), moveMicros: decodeTiming(timing) };
    },

    /** The bot's matches in either seat, newest first; `beforeId` pages further back. */
    recentForBot(
      botId: number,
      options: { limit?: number; beforeId?: number } = {},
    ): Promise<MatchListItem[]> {
      return db
        .select({ ...summaryColumns, bot0Name: seat0Bot.name, bot1Name: seat1Bot.name })
        .from(matches)
        .innerJoin(seat0Bot, eq(seat0Bot.id, matches.bot0Id))
        .innerJoin(seat1Bot, eq(seat1Bot.id, matches.bot1Id))
        .where(
          and(
            or(eq(matches.bot0Id, botId), eq(matches.bot1Id, botId)),
            options.beforeId === undefined ? undefined : lt(matches.id, options.beforeId),
          ),
        )
        .orderBy(desc(matches.id))
        .limit(options.limit ?? 10);
    },

    /**
     * When the two bots last played RATED challenges against each other since `since`, newest
     * first: the input to the rating-farming cap.
     */
    async ratedChallengesBetween(botA: number, botB: number, since: Date): Promise<Date[]> {
      const rows = await db
        .select({ at: matches.finishedAt })
        .from(matches)
        .where(
          and(
            eq(matches.kind, 'challenge'),
            gte(matches.finishedAt, since),
            or(
              and(eq(matches.bot0Id, botA), eq(matches.bot1Id, botB)),
              and(eq(matches.bot0Id, botB), eq(matches.bot1Id, botA)),
            ),
            sql`exists (select 1 from ${ratingHistory} where ${ratingHistory.matchId} = ${matches.id})`,
          ),
        )
        .orderBy(desc(matches.finishedAt));
      return rows.map((r) => r.at);
    },

    /** Rated-kind results between two bots in either seating (smoke matches excluded). */
    async headToHead(botA: number, botB: number): Promise<HeadToHead> {
      const aWon = or(
        and(eq(matches.bot0Id, botA), eq(matches.winnerSeat, 0)),
        and(eq(matches.bot1Id, botA), eq(matches.winnerSeat, 1)),
      );
      const bWon = or(
        and(eq(matches.bot0Id, botB), eq(matches.winnerSeat, 0)),
        and(eq(matches.bot1Id, botB), eq(matches.winnerSeat, 1)),
      );
      const [row] = await db
        .select({
          played: count(),
          winsA: countWhere(aWon!),
          winsB: countWhere(bWon!),
          draws: countWhere(sql`${matches.winnerSeat} is null`),
        })
        .from(matches)
        .where(
          and(
            ne(matches.kind, 'smoke'),
            or(
              and(eq(matches.bot0Id, botA), eq(matches.bot1Id, botB)),
              and(eq(matches.bot0Id, botB), eq(matches.bot1Id, botA)),
            ),
          ),
        );
      return row ?? { played: 0, winsA: 0, winsB: 0, draws: 0 };
    },
  };
}

function toRow(
  input: RecordMatchInput,
  encoded: { log: Uint8Array<ArrayBuffer>; timing: Uint8Array<ArrayBuffer> },
): typeof matches.$inferInsert {
  const { record, seats } = input;
  const wallMicros = (seat: Seat) =>
    Math.round(record.timing.startMicros[seat] + record.timing.moveMicros[seat].reduce((a, b) => a + b, 0));
  return {
    guildId: input.guildId,
    kind: input.kind,
    game: record.game,
    seed: record.seed,
    rounds: record.rules.rounds,
    drawMargin: record.rules.drawMargin,
    roundsPlayed: record.roundsPlayed,
    bot0Id: seats[0].botId,
    bot1Id: seats[1].botId,
    bot0VersionId: seats[0].versionId,
    bot1VersionId: seats[1].versionId,
    winnerSeat: record.outcome.winner,
    outcomeReason: record.outcome.reason,
    score: record.outcome.score,
    wins0: record.wins[0],
    wins1: record.wins[1],
    ties: record.ties,
    fuel0: totalFuel(record, 0),
    fuel1: totalFuel(record, 1),
    wallMicros0: wallMicros(0),
    wallMicros1: wallMicros(1),
    faults: record.faults,
    log: encoded.log,
    stderr0: record.stderr[0],
    stderr1: record.stderr[1],
    bot0Name: record.bots[0].name,
    bot1Name: record.bots[1].name,
    limits: record.limits,
    timing: encoded.timing,
    tournamentId: input.tournament?.id ?? null,
    tournamentRound: input.tournament?.round ?? null,
    pairingKey: input.tournament?.key ?? null,
    ...(input.startedAt ? { createdAt: input.startedAt } : {}),
  };
}

/** The versions named for the seats must be the modules the record says played. */
async function checkSeatVersions(
  tx: Db,
  record: MatchRecord,
  seats: readonly [SeatRef, SeatRef],
): Promise<void> {
  const rows = await tx
    .select({ id: botVersions.id, sha256: botVersions.sha256 })
    .from(botVersions)
    .where(inArray(botVersions.id, [seats[0].versionId, seats[1].versionId]));
  for (const seat of [0, 1] as const) {
    const row = rows.find((r) => r.id === seats[seat].versionId);
    if (row?.sha256 !== record.bots[seat].sha256) {
      throw new Error(
        `matches: seat ${seat} version ${seats[seat].versionId} is not the module the record names (${record.bots[seat].sha256})`,
      );
    }
  }
}

function resultFor(seat: Seat, outcome: Outcome): 'win' | 'loss' | 'draw' {
  if (outcome.winner === null) return 'draw';
  return outcome.winner === seat ? 'win' : 'loss';
}

function pick(r: RatingValue): RatingValue {
  return { mu: r.mu, sigma: r.sigma };
}

/** NaN passes Postgres's `sigma > 0` (NaN sorts above every number), so check here. */
function checkRating(r: RatingValue): RatingValue {
  if (!Number.isFinite(r.mu) || !Number.isFinite(r.sigma) || r.sigma <= 0) {
    throw new Error(`matches: the rating function returned an invalid rating ${JSON.stringify(r)}`);
  }
  return pick(r);
}

function countWhere(condition: SQL): SQL<number> {
  return sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
}
