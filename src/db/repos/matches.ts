import {
  and,
  count,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lt,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Outcome, Seat } from '../../games/game.js';
import { type MatchLog, type MatchRecord, totalFuel } from '../../games/match-record.js';
import type { Db } from '../client.js';
import { insertJsonRows } from '../json-rows.js';
import { decodeMatchLog, decodeTiming, encodeMatchLogAsync, encodeTimingAsync } from '../match-log-codec.js';
import { bots, botVersions, type MatchKind, matches, players, ratingHistory } from '../schema.js';
import { isInt4 } from '../sql-int.js';
import { storableJson, storableText } from '../text.js';
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
  /** Each seat's owner (Discord user id and display name), so listings can tell owners apart. */
  owner0UserId: string;
  owner1UserId: string;
  owner0Name: string;
  owner1Name: string;
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
  /**
   * The rating-farming cap of a challenge, decided inside the recording transaction: `decide`
   * gets when the same two bots last played rated challenges since `since` (newest first) and
   * says whether this one is rated too. The ratings rows are locked first, so of several
   * concurrent challenges between the same pair each sees the ones committed before it and the
   * cap holds exactly. Without it, `rate` alone decides.
   */
  ratedIf?: { since: Date; decide: (earlierRated: readonly Date[]) => boolean } | undefined;
  /**
   * The match queue's job key. With it the commit is idempotent: the match row goes in with
   * INSERT ... ON CONFLICT (match_key) DO NOTHING in the transaction that holds the ratings rows,
   * and a key already stored (a retried job, a worker that died after committing, two workers
   * racing) returns the stored match with its rating changes, changing nothing.
   */
  matchKey?: string | undefined;
}

/** A match to store with its log and timings already compressed (encodeMatch). */
export interface EncodedMatch {
  input: RecordMatchInput;
  encoded: { log: Uint8Array<ArrayBuffer>; timing: Uint8Array<ArrayBuffer> };
}

/** Compresses a match's log and timings off the event loop, before any transaction takes locks. */
export async function encodeMatch(input: RecordMatchInput): Promise<EncodedMatch> {
  const [log, timing] = await Promise.all([
    encodeMatchLogAsync(input.record.log),
    encodeTimingAsync(input.record.timing.moveMicros),
  ]);
  return { input, encoded: { log, timing } };
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
  /** True when the match key was already stored: nothing was written this time. */
  duplicate?: boolean;
}

/** The stored match with this job key and the rating changes it made, if any. */
async function committedIn(h: Db, matchKey: string): Promise<RecordedMatch | null> {
  const [match] = await h.select(summaryColumns).from(matches).where(eq(matches.matchKey, matchKey));
  if (!match) return null;
  const history = await h.select().from(ratingHistory).where(eq(ratingHistory.matchId, match.id));
  const change = (botId: number): RatingChange | null => {
    const row = history.find((r) => r.botId === botId);
    return row
      ? {
          botId,
          before: { mu: row.muBefore, sigma: row.sigmaBefore },
          after: { mu: row.muAfter, sigma: row.sigmaAfter },
        }
      : null;
  };
  const c0 = change(match.bot0Id);
  const c1 = change(match.bot1Id);
  return { match, ratingChanges: c0 && c1 ? [c0, c1] : null, duplicate: true };
}

/** When two bots played rated challenges against each other since `since`, newest first. */
async function ratedChallengesBetweenIn(h: Db, botA: number, botB: number, since: Date): Promise<Date[]> {
  const rows = await h
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
const seat0Owner = alias(players, 'seat0_owner');
const seat1Owner = alias(players, 'seat1_owner');

/**
 * Finished matches. Recording one is a single transaction: the match row, and for rated matches
 * both bots' new ratings and their history rows, are stored together or not at all.
 */
export function createMatchesRepo(db: Db) {
  return {
    async recordMatch(input: RecordMatchInput): Promise<RecordedMatch> {
      // Compress before taking any locks, off the event loop.
      const values = toRow(input, (await encodeMatch(input)).encoded);
      const { record, seats } = input;
      return db.transaction(async (tx) => {
        await checkSeatVersions(tx, record, seats);
        const botIds = [seats[0].botId, seats[1].botId] as const;
        const ratingsRepo = createRatingsRepo(tx);
        // Lock both ratings rows before anything else: rated matches of the same bots queue
        // here, so the farming cap below and the rating update see every earlier commit.
        const locked = input.rate
          ? await ratingsRepo.lockForUpdate(input.guildId, record.game, botIds)
          : null;
        let rated = locked !== null;
        if (rated && input.ratedIf) {
          const earlier = await ratedChallengesBetweenIn(tx, botIds[0], botIds[1], input.ratedIf.since);
          rated = input.ratedIf.decide(earlier);
        }
        const [match] = input.matchKey
          ? await tx
              .insert(matches)
              .values(values)
              .onConflictDoNothing({ target: matches.matchKey })
              .returning(summaryColumns)
          : await tx.insert(matches).values(values).returning(summaryColumns);
        if (!match) {
          // Already committed by an earlier attempt: report that one; no rating moves twice.
          const stored = await committedIn(tx, input.matchKey!);
          if (!stored) throw new Error(`matches: key ${input.matchKey} conflicted but is not stored`);
          return stored;
        }
        if (!rated || !locked || !input.rate) return { match: match!, ratingChanges: null };

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

    /**
     * Stores several unrated matches in one statement, in the caller's transaction (a
     * tournament's group commit: src/engine/tournaments/group-commit.ts). The same checks and
     * rows as `recordMatch`; any refusal (a duplicate pairing, a value the database rejects)
     * throws for the whole batch, and the caller stores the matches one by one instead.
     * Returns the stored matches in no particular order (RETURNING promises none).
     */
    async insertUnrated(
      inputs: readonly EncodedMatch[],
      options: { skipStoredKeys?: boolean } = {},
    ): Promise<{ id: number; pairingKey: string | null; matchKey: string | null }[]> {
      if (inputs.length === 0) return [];
      await checkSeatVersionsOf(
        db,
        inputs.map((i) => i.input),
      );
      const rows = await insertJsonRows(
        db,
        matches,
        inputs.map((i) => toRow(i.input, i.encoded)),
        ['id', 'pairing_key', 'match_key'],
        // A queue worker's batch: a match key an earlier attempt (or a racing worker) stored is
        // skipped, not an error, so the rest of the batch still lands.
        options.skipStoredKeys ? { onConflictDoNothing: ['match_key'] } : {},
      );
      if (!options.skipStoredKeys && rows.length !== inputs.length)
        throw new Error('matches: a batch insert lost rows');
      return rows.map((r) => ({
        id: Number(r.id),
        pairingKey: r.pairing_key as string | null,
        matchKey: r.match_key as string | null,
      }));
    },

    /** The stored matches with these queue job keys (unrated ones: no rating changes read). */
    async committedUnrated(matchKeys: readonly string[]): Promise<Map<string, MatchSummary>> {
      if (matchKeys.length === 0) return new Map();
      const rows = await db
        .select(summaryColumns)
        .from(matches)
        .where(inArray(matches.matchKey, [...matchKeys]));
      return new Map(rows.map((r) => [r.matchKey!, r]));
    },

    /** The match with its decoded round log. */
    async get(id: number): Promise<StoredMatch | null> {
      // An id PostgreSQL's integer cannot hold names no match (and would be a query error).
      if (!isInt4(id)) return null;
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
        .select({
          ...summaryColumns,
          bot0Name: seat0Bot.name,
          bot1Name: seat1Bot.name,
          owner0UserId: seat0Owner.userId,
          owner1UserId: seat1Owner.userId,
          owner0Name: seat0Owner.displayName,
          owner1Name: seat1Owner.displayName,
        })
        .from(matches)
        .innerJoin(seat0Bot, eq(seat0Bot.id, matches.bot0Id))
        .innerJoin(seat1Bot, eq(seat1Bot.id, matches.bot1Id))
        .innerJoin(seat0Owner, eq(seat0Owner.id, seat0Bot.ownerId))
        .innerJoin(seat1Owner, eq(seat1Owner.id, seat1Bot.ownerId))
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
    ratedChallengesBetween(botA: number, botB: number, since: Date): Promise<Date[]> {
      return ratedChallengesBetweenIn(db, botA, botB, since);
    },

    /**
     * Drops the author-facing extras (stderr tails and per-move times) of matches that finished
     * before `before`, at most `batch` matches per call; the log (moves and fuel) stays, so every
     * match can still be replayed and shown. Returns how many matches it compacted and how many
     * bytes of stderr and timing it freed.
     */
    async compactLogs(before: Date, batch = 5000): Promise<{ matches: number; bytes: number }> {
      return db.transaction(async (tx) => {
        const due = await tx
          .select({
            id: matches.id,
            bytes:
              sql<number>`octet_length(${matches.stderr0}) + octet_length(${matches.stderr1}) + coalesce(octet_length(${matches.timing}), 0)`.mapWith(
                Number,
              ),
          })
          .from(matches)
          .where(and(lt(matches.finishedAt, before), isNull(matches.logsCompactedAt)))
          .orderBy(matches.id)
          .limit(batch)
          .for('update', { skipLocked: true });
        if (due.length === 0) return { matches: 0, bytes: 0 };
        await tx
          .update(matches)
          .set({ stderr0: '', stderr1: '', timing: null, logsCompactedAt: sql`now()` })
          .where(
            inArray(
              matches.id,
              due.map((d) => d.id),
            ),
          );
        return { matches: due.length, bytes: due.reduce((n, d) => n + d.bytes, 0) };
      });
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

/** The stderr tail kept per seat (the sandbox keeps 4 KiB; this only bounds a caller's mistake). */
const MAX_STORED_STDERR = 16 * 1024;

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
    // Bot-written text (stderr, fault messages naming the bot's own functions) and names may
    // hold bytes PostgreSQL refuses: made storable here, whatever the caller passed.
    faults: storableJson(record.faults),
    log: encoded.log,
    stderr0: storableText(record.stderr[0], MAX_STORED_STDERR),
    stderr1: storableText(record.stderr[1], MAX_STORED_STDERR),
    bot0Name: storableText(record.bots[0].name),
    bot1Name: storableText(record.bots[1].name),
    limits: record.limits,
    timing: encoded.timing,
    tournamentId: input.tournament?.id ?? null,
    tournamentRound: input.tournament?.round ?? null,
    pairingKey: input.tournament?.key ?? null,
    matchKey: input.matchKey ?? null,
    ...(input.startedAt ? { createdAt: input.startedAt } : {}),
  };
}

/** The versions named for the seats must be the modules the record says played. */
function checkSeatVersions(tx: Db, record: MatchRecord, seats: readonly [SeatRef, SeatRef]): Promise<void> {
  return checkSeatVersionsOf(tx, [{ record, seats }]);
}

/** checkSeatVersions for many matches, in one query. */
async function checkSeatVersionsOf(
  tx: Db,
  played: readonly Pick<RecordMatchInput, 'record' | 'seats'>[],
): Promise<void> {
  const ids = [...new Set(played.flatMap(({ seats }) => [seats[0].versionId, seats[1].versionId]))];
  const rows = await tx
    .select({ id: botVersions.id, sha256: botVersions.sha256 })
    .from(botVersions)
    .where(inArray(botVersions.id, ids));
  const sha = new Map(rows.map((r) => [r.id, r.sha256]));
  for (const { record, seats } of played) {
    for (const seat of [0, 1] as const) {
      if (sha.get(seats[seat].versionId) !== record.bots[seat].sha256) {
        throw new Error(
          `matches: seat ${seat} version ${seats[seat].versionId} is not the module the record names (${record.bots[seat].sha256})`,
        );
      }
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
