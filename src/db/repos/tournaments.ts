import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
} from 'drizzle-orm';
import type { Limits } from '../../sandbox/limits.js';
import { err, ok, type Result } from '../../util/result.js';
import type { Db } from '../client.js';
import { insertJsonRows } from '../json-rows.js';
import {
  bots,
  matches,
  ratingHistory,
  type StoredStanding,
  type TournamentEntrant,
  type TournamentFormat,
  type TournamentFormatOptions,
  tournaments,
  tournamentUnplayed,
} from '../schema.js';
import { MAX_REASON, storableJson, storableText } from '../text.js';
import { createMatchesRepo, encodeMatch, type RecordedMatch, type RecordMatchInput } from './matches.js';
import { createRatingsRepo, type RatingTally, type RatingValue } from './ratings.js';

export type Tournament = typeof tournaments.$inferSelect;
export type TournamentsRepo = ReturnType<typeof createTournamentsRepo>;

export interface NewTournament {
  guildId: string;
  scheduleId?: number | null;
  format: TournamentFormat;
  options: TournamentFormatOptions;
  rounds: number;
  seed: string;
  totalMatches: number;
  entrants: TournamentEntrant[];
  limits: Partial<Limits>;
  channelId: string | null;
  startedBy: string;
}

/**
 * A result the format has recorded, as stored: a played match or a pairing settled without one.
 * Seat order is the pairing's (seat 0 is the pairing's first entrant).
 */
export interface StoredResult {
  key: string;
  round: number;
  bot0Id: number;
  bot1Id: number;
  winnerSeat: 0 | 1 | null;
  score: number;
  /** The match row; null for an unplayed pairing. */
  matchId: number | null;
  /** Why it was not played; null for a match. */
  unplayedReason: string | null;
}

/** A tournament match a queue worker played, to store under its job's match key. */
export type QueuedMatchInput = RecordMatchInput & {
  tournament: { id: number; round: number; key: string };
  matchKey: string;
  /** When the worker started it: a bot retired at or before this forfeits instead. */
  startedAt: Date;
};

/** What became of one queued match in `commitQueuedBatch`. */
export type QueuedCommit =
  | { kind: 'stored'; id: number; winnerSeat: 0 | 1 | null; score: number; duplicate: boolean }
  | { kind: 'settled' }
  | { kind: 'retired'; botIds: number[] };

/** Why a write on behalf of a runner was refused. */
export type LeaseRefusal =
  /** This process no longer holds the tournament (another took it over, or it was cancelled/finished). */
  | { kind: 'not-holder'; status: Tournament['status'] | null }
  /** The pairing already has a stored result (the unique constraint said so). */
  | { kind: 'duplicate'; key: string };

/** Rating history rows per insert (one JSON parameter each: json-rows.ts), so no statement is huge. */
const HISTORY_ROWS_PER_INSERT = 1000;

const ACTIVE = ['pending', 'running'] as const;
const active = inArray(tournaments.status, [...ACTIVE]);

/**
 * Whether `error` is the unique violation that says a pairing already has a stored result.
 * postgres.js and PGlite both put the SQLSTATE on `cause` (drizzle wraps the driver's error);
 * the constraint name is `constraint_name` on one and `constraint` on the other.
 */
function isDuplicatePairing(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; constraint_name?: string; constraint?: string } })
    ?.cause;
  const name = cause?.constraint_name ?? cause?.constraint ?? '';
  return (
    cause?.code === '23505' &&
    (name === 'matches_tournament_pairing_key' || name === 'tournament_unplayed_pkey')
  );
}

/**
 * Tournaments and the lease that decides which process runs each one.
 *
 * The lease: `claim` takes a tournament whose lease is free, expired or already ours, with a
 * conditional UPDATE (atomic on PostgreSQL: of two racing claims exactly one matches the WHERE);
 * `renew` extends it and fails once someone else holds it; `release` gives it back. Every write
 * a runner makes (`commitMatch`, `commitUnplayed`, `markRunning`, `finish`) first locks the row
 * FOR SHARE and checks it is still the holder and the tournament still runs, in the same
 * transaction as the write, so a runner that lost its lease (or a cancelled tournament) cannot
 * add a result; a takeover's claim waits for such a transaction and then sees its result. Expiry
 * uses the database's clock, never the processes' (which may disagree).
 */
export function createTournamentsRepo(db: Db) {
  async function get(id: number): Promise<Tournament | null> {
    const [row] = await db.select().from(tournaments).where(eq(tournaments.id, id));
    return row ?? null;
  }

  /**
   * Runs `write` in a transaction that holds the tournament FOR SHARE (FOR UPDATE with `lock`), if
   * `owner` still runs it; `owner` null: whoever runs it (a queue worker's commit, which the
   * tournament's status guards and the pairing's unique key makes idempotent).
   */
  async function asHolder<T>(
    id: number,
    owner: string | null,
    statuses: readonly Tournament['status'][],
    write: (tx: Db) => Promise<T>,
    lock: 'share' | 'update' = 'share',
  ): Promise<Result<T, LeaseRefusal>> {
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select({ status: tournaments.status, leaseOwner: tournaments.leaseOwner })
        .from(tournaments)
        .where(eq(tournaments.id, id))
        .for(lock);
      if (!row || (owner !== null && row.leaseOwner !== owner) || !statuses.includes(row.status)) {
        return err({ kind: 'not-holder' as const, status: row?.status ?? null });
      }
      return ok(await write(tx));
    });
  }

  const repo = {
    get,

    /**
     * Stores a new pending tournament, or returns null when the guild already has one pending
     * or running (a partial unique index decides, so concurrent starters cannot both succeed).
     */
    async create(input: NewTournament): Promise<Tournament | null> {
      const [row] = await db
        .insert(tournaments)
        .values({
          ...input,
          entrants: storableJson(input.entrants),
          channelId: input.channelId === null ? null : storableText(input.channelId),
          startedBy: storableText(input.startedBy),
          scheduleId: input.scheduleId ?? null,
          status: 'pending',
        })
        .onConflictDoNothing({ target: tournaments.guildId, where: active })
        .returning();
      return row ?? null;
    },

    /** The guild's pending or running tournament, if any. */
    async activeFor(guildId: string): Promise<Tournament | null> {
      const [row] = await db
        .select()
        .from(tournaments)
        .where(and(eq(tournaments.guildId, guildId), active));
      return row ?? null;
    },

    /** Pending and running tournaments whose lease is free or expired: work for this process. */
    async claimable(): Promise<number[]> {
      const rows = await db
        .select({ id: tournaments.id })
        .from(tournaments)
        .where(and(active, or(isNull(tournaments.leaseOwner), lt(tournaments.leaseExpiresAt, sql`now()`))))
        .orderBy(asc(tournaments.id));
      return rows.map((r) => r.id);
    },

    /** The guild's tournaments, newest first. */
    recent(guildId: string, limit = 10): Promise<Tournament[]> {
      return db
        .select()
        .from(tournaments)
        .where(eq(tournaments.guildId, guildId))
        .orderBy(desc(tournaments.id))
        .limit(limit);
    },

    /** Takes the lease for `leaseMs` if it is free, expired or already `owner`'s. */
    async claim(id: number, owner: string, leaseMs: number): Promise<Tournament | null> {
      const [row] = await db
        .update(tournaments)
        .set({
          leaseOwner: owner,
          leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'`,
          updatedAt: sql`now()`,
        })
        .where(
          and(
            eq(tournaments.id, id),
            active,
            or(
              isNull(tournaments.leaseOwner),
              eq(tournaments.leaseOwner, owner),
              lt(tournaments.leaseExpiresAt, sql`now()`),
            ),
          ),
        )
        .returning();
      return row ?? null;
    },

    /**
     * Extends `owner`'s lease. Null when it no longer holds it (taken over, or the tournament
     * was cancelled or finished): the runner must stop. An expired lease nobody took is renewed.
     */
    async renew(id: number, owner: string, leaseMs: number): Promise<Date | null> {
      const [row] = await db
        .update(tournaments)
        .set({ leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
        .where(and(eq(tournaments.id, id), eq(tournaments.leaseOwner, owner), active))
        .returning({ expiresAt: tournaments.leaseExpiresAt });
      return row?.expiresAt ?? null;
    },

    /** Gives the lease back so another process can take over at once. */
    async release(id: number, owner: string): Promise<void> {
      await db
        .update(tournaments)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(tournaments.id, id), eq(tournaments.leaseOwner, owner)));
    },

    /** pending -> running, with the messages the start announcement created. */
    markRunning(
      id: number,
      owner: string,
      messages: { progressMessageId: string | null; threadId: string | null },
    ): Promise<Result<Tournament, LeaseRefusal>> {
      return asHolder(id, owner, ['pending'], async (tx) => {
        const [row] = await tx
          .update(tournaments)
          .set({ ...messages, status: 'running', startedAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(tournaments.id, id))
          .returning();
        return row!;
      });
    },

    /**
     * Stores a finished match of the tournament (and its rating changes) if `owner` still runs
     * it. `input.tournament` must name this tournament.
     */
    async commitMatch(
      owner: string,
      input: RecordMatchInput & { tournament: { id: number; round: number; key: string } },
    ): Promise<Result<RecordedMatch, LeaseRefusal>> {
      try {
        return await asHolder(input.tournament.id, owner, ['running'], (tx) =>
          createMatchesRepo(tx).recordMatch(input),
        );
      } catch (error) {
        if (isDuplicatePairing(error)) return err({ kind: 'duplicate', key: input.tournament.key });
        throw error;
      }
    },

    /**
     * Stores several finished matches of the tournament, unrated, in one transaction (the
     * runner's group commit) if `owner` still runs it: all or none. Any database refusal (a
     * pairing already stored, a value it rejects) throws; the runner then stores them one by one
     * with `commitMatch`, which says which one and why. Returns each match's id by pairing key.
     */
    async commitMatches(
      owner: string,
      tournamentId: number,
      inputs: readonly (RecordMatchInput & { tournament: { id: number; round: number; key: string } })[],
    ): Promise<Result<Map<string, number>, LeaseRefusal>> {
      if (inputs.some((i) => i.tournament.id !== tournamentId || i.rate || i.matchKey)) {
        throw new Error('commitMatches: unrated matches of this tournament only');
      }
      const encoded = await Promise.all(inputs.map(encodeMatch));
      return asHolder(tournamentId, owner, ['running'], async (tx) => {
        const rows = await createMatchesRepo(tx).insertUnrated(encoded);
        const ids = new Map(rows.map((r) => [r.pairingKey!, r.id]));
        if (inputs.some((i) => !ids.has(i.tournament.key)))
          throw new Error('commitMatches: a pairing key repeated');
        return ids;
      });
    },

    /**
     * Stores tournament matches queue workers played (src/engine/match-jobs.ts), unrated, in one
     * transaction, while the tournament runs: not guarded by the lease (a worker is not its
     * holder) but by the status, and idempotent by each job's match key. Per match key:
     * - `stored`: inserted now, or already stored under that key (`duplicate`: an earlier attempt
     *   or a racing worker; nothing written twice);
     * - `settled`: the pairing already has an unplayed row (a forfeit the runner stored);
     * - `retired`: a seat's bot was retired at or before the match started, so it is not stored
     *   (the runner settles it as that bot's forfeit, exactly as for matches it plays itself).
     * A pairing stored under another key, or a value the database rejects, throws for the whole
     * batch: the caller then stores the matches one by one (`commitQueued`), which says which.
     */
    async commitQueuedBatch(
      tournamentId: number,
      inputs: readonly QueuedMatchInput[],
    ): Promise<Result<Map<string, QueuedCommit>, LeaseRefusal>> {
      if (inputs.some((i) => i.tournament.id !== tournamentId || i.rate)) {
        throw new Error('commitQueuedBatch: unrated matches of this tournament only');
      }
      const encoded = await Promise.all(inputs.map(encodeMatch));
      return asHolder(tournamentId, null, ['running'], async (tx) => {
        const out = new Map<string, QueuedCommit>();
        const keys = inputs.map((i) => i.tournament.key);
        const settled = new Set(
          (
            await tx
              .select({ key: tournamentUnplayed.pairingKey })
              .from(tournamentUnplayed)
              .where(
                and(
                  eq(tournamentUnplayed.tournamentId, tournamentId),
                  inArray(tournamentUnplayed.pairingKey, keys),
                ),
              )
          ).map((r) => r.key),
        );
        const botIds = [...new Set(inputs.flatMap((i) => i.seats.map((s) => s.botId)))];
        const retiredAt = new Map(
          (
            await tx
              .select({ id: bots.id, at: bots.retiredAt })
              .from(bots)
              .where(and(inArray(bots.id, botIds), isNotNull(bots.retiredAt)))
          ).map((r) => [r.id, r.at!.getTime()]),
        );
        const due: typeof encoded = [];
        inputs.forEach((input, i) => {
          if (settled.has(input.tournament.key)) {
            out.set(input.matchKey, { kind: 'settled' });
            return;
          }
          const started = input.startedAt.getTime();
          const retired = input.seats
            .map((s) => s.botId)
            .filter((id) => (retiredAt.get(id) ?? Number.POSITIVE_INFINITY) <= started);
          if (retired.length > 0) out.set(input.matchKey, { kind: 'retired', botIds: retired });
          else due.push(encoded[i]!);
        });
        const matchesRepo = createMatchesRepo(tx);
        const byKey = new Map(inputs.map((i) => [i.matchKey, i]));
        for (const row of await matchesRepo.insertUnrated(due, { skipStoredKeys: true })) {
          const input = byKey.get(row.matchKey!)!;
          out.set(input.matchKey, {
            kind: 'stored',
            id: row.id,
            winnerSeat: input.record.outcome.winner,
            score: input.record.outcome.score,
            duplicate: false,
          });
        }
        const skipped = due.map((d) => d.input.matchKey!).filter((key) => !out.has(key));
        const earlier = await matchesRepo.committedUnrated(skipped);
        for (const key of skipped) {
          const match = earlier.get(key);
          if (!match) throw new Error(`tournaments: key ${key} conflicted but is not stored`);
          out.set(key, {
            kind: 'stored',
            id: match.id,
            winnerSeat: match.winnerSeat,
            score: match.score,
            duplicate: true,
          });
        }
        return out;
      });
    },

    /** One match of `commitQueuedBatch`; a pairing stored under another key is a `duplicate` refusal. */
    async commitQueued(input: QueuedMatchInput): Promise<Result<QueuedCommit, LeaseRefusal>> {
      try {
        const committed = await repo.commitQueuedBatch(input.tournament.id, [input]);
        return committed.ok ? ok(committed.value.get(input.matchKey)!) : committed;
      } catch (error) {
        if (isDuplicatePairing(error)) return err({ kind: 'duplicate', key: input.tournament.key });
        throw error;
      }
    },

    /**
     * Rates the tournament's stored matches `matchIds`, in that order, in one transaction, skipping
     * any already rated (it has rating history), if `owner` still runs it. The runner rates whole
     * rounds in order once every earlier pairing is stored, so a tournament's ratings never depend
     * on which match happened to finish first (or on which worker played it). The tournament row
     * is locked FOR UPDATE: two such batches of one tournament run one after the other.
     */
    rateMatches(
      owner: string,
      tournamentId: number,
      guildId: string,
      matchIds: readonly number[],
      rate: (
        before: readonly [RatingValue, RatingValue],
        winner: 0 | 1 | null,
      ) => readonly [RatingValue, RatingValue],
    ): Promise<Result<number, LeaseRefusal>> {
      return asHolder(
        tournamentId,
        owner,
        ['running'],
        async (tx) => {
          if (matchIds.length === 0) return 0;
          const rows = await tx
            .select({
              id: matches.id,
              game: matches.game,
              bot0Id: matches.bot0Id,
              bot1Id: matches.bot1Id,
              winnerSeat: matches.winnerSeat,
            })
            .from(matches)
            .where(
              and(
                eq(matches.tournamentId, tournamentId),
                inArray(matches.id, [...matchIds]),
                sql`not exists (select 1 from ${ratingHistory} where ${ratingHistory.matchId} = ${matches.id})`,
              ),
            );
          const byId = new Map(rows.map((r) => [r.id, r]));
          const due = matchIds.flatMap((id) => byId.get(id) ?? []);
          if (due.length === 0) return 0;
          // The whole batch in a few statements: lock every bot's row once, rate the matches in
          // order in memory (each from the ratings the previous ones left, exactly as a row
          // re-read would give: double precision round-trips), write each bot once and the
          // history in one insert. One statement per match and seat made a 32-match round
          // ~130 round trips, with the tournament row locked against the next commits.
          const ratingsRepo = createRatingsRepo(tx);
          const history: (typeof ratingHistory.$inferInsert)[] = [];
          for (const game of new Set(due.map((m) => m.game))) {
            const ofGame = due.filter((m) => m.game === game);
            const botIds = [...new Set(ofGame.flatMap((m) => [m.bot0Id, m.bot1Id]))];
            const locked = await ratingsRepo.lockForUpdate(guildId, game, botIds);
            const tallies = new Map<number, RatingTally>(
              botIds.map((id) => {
                const r = locked.get(id)!;
                return [id, { mu: r.mu, sigma: r.sigma, played: 0, wins: 0, losses: 0, draws: 0 }];
              }),
            );
            for (const m of ofGame) {
              const seats = [tallies.get(m.bot0Id)!, tallies.get(m.bot1Id)!] as const;
              const before = seats.map((t) => ({ mu: t.mu, sigma: t.sigma })) as [RatingValue, RatingValue];
              const after = rate(before, m.winnerSeat);
              for (const seat of [0, 1] as const) {
                const t = seats[seat];
                t.mu = after[seat].mu;
                t.sigma = after[seat].sigma;
                t.played++;
                if (m.winnerSeat === null) t.draws++;
                else if (m.winnerSeat === seat) t.wins++;
                else t.losses++;
                history.push({
                  matchId: m.id,
                  botId: seat === 0 ? m.bot0Id : m.bot1Id,
                  muBefore: before[seat].mu,
                  sigmaBefore: before[seat].sigma,
                  muAfter: after[seat].mu,
                  sigmaAfter: after[seat].sigma,
                });
              }
            }
            await ratingsRepo.applyTallies(game, tallies);
          }
          for (let i = 0; i < history.length; i += HISTORY_ROWS_PER_INSERT) {
            await insertJsonRows(tx, ratingHistory, history.slice(i, i + HISTORY_ROWS_PER_INSERT));
          }
          const n = due.length;
          return n;
        },
        'update',
      );
    },

    /** Stores a pairing settled without a match, if `owner` still runs the tournament. */
    async commitUnplayed(
      owner: string,
      input: {
        tournamentId: number;
        key: string;
        round: number;
        botIds: readonly [number, number];
        winnerSeat: 0 | 1 | null;
        reason: string;
      },
    ): Promise<Result<void, LeaseRefusal>> {
      const duplicate = err({ kind: 'duplicate' as const, key: input.key });
      try {
        const done = await asHolder(input.tournamentId, owner, ['running'], async (tx) => {
          // The same pairing must not also have a match. Every writer of this tournament's
          // results holds its row, and only the lease holder writes, so this check cannot race.
          const [played] = await tx
            .select({ id: matches.id })
            .from(matches)
            .where(and(eq(matches.tournamentId, input.tournamentId), eq(matches.pairingKey, input.key)));
          if (played) return false;
          await tx.insert(tournamentUnplayed).values({
            tournamentId: input.tournamentId,
            pairingKey: input.key,
            round: input.round,
            bot0Id: input.botIds[0],
            bot1Id: input.botIds[1],
            winnerSeat: input.winnerSeat,
            reason: storableText(input.reason, MAX_REASON),
          });
          return true;
        });
        if (!done.ok) return done;
        return done.value ? ok(undefined) : duplicate;
      } catch (error) {
        if (isDuplicatePairing(error)) return duplicate;
        throw error;
      }
    },

    /** running -> finished with the final standings; the lease is dropped with it. */
    finish(
      id: number,
      owner: string,
      standings: StoredStanding[],
    ): Promise<Result<Tournament, LeaseRefusal>> {
      return asHolder(id, owner, ['running'], async (tx) => {
        const [row] = await tx
          .update(tournaments)
          .set({
            status: 'finished',
            standings,
            finishedAt: sql`now()`,
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: sql`now()`,
          })
          .where(eq(tournaments.id, id))
          .returning();
        return row!;
      });
    },

    /**
     * Cancels the guild's pending or running tournament. The lease is cleared too: the runner,
     * wherever it is, finds out at its next write or heartbeat and stops.
     */
    async cancel(guildId: string, reason: string): Promise<Tournament | null> {
      const [row] = await db
        .update(tournaments)
        .set({
          status: 'cancelled',
          cancelReason: storableText(reason, MAX_REASON),
          finishedAt: sql`now()`,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(tournaments.guildId, guildId), active))
        .returning();
      return row ?? null;
    },

    /** Every stored result of the tournament (matches and unplayed pairings), by round then key. */
    async results(id: number): Promise<StoredResult[]> {
      const played = await db
        .select({
          key: matches.pairingKey,
          round: matches.tournamentRound,
          bot0Id: matches.bot0Id,
          bot1Id: matches.bot1Id,
          winnerSeat: matches.winnerSeat,
          score: matches.score,
          matchId: matches.id,
        })
        .from(matches)
        .where(eq(matches.tournamentId, id));
      const unplayed = await db
        .select({ ...getTableColumns(tournamentUnplayed) })
        .from(tournamentUnplayed)
        .where(eq(tournamentUnplayed.tournamentId, id));
      const all: StoredResult[] = [
        ...played.map((m) => ({
          key: m.key!,
          round: m.round!,
          bot0Id: m.bot0Id,
          bot1Id: m.bot1Id,
          winnerSeat: m.winnerSeat,
          score: m.score,
          matchId: m.matchId,
          unplayedReason: null,
        })),
        ...unplayed.map((u) => ({
          key: u.pairingKey,
          round: u.round,
          bot0Id: u.bot0Id,
          bot1Id: u.bot1Id,
          winnerSeat: u.winnerSeat,
          score: 0,
          matchId: null,
          unplayedReason: u.reason,
        })),
      ];
      return all.sort((a, b) => a.round - b.round || a.key.localeCompare(b.key, 'en', { numeric: true }));
    },

    /** How many results are stored: the progress a status message shows. */
    async resultCount(id: number): Promise<number> {
      const [played] = await db.select({ n: count() }).from(matches).where(eq(matches.tournamentId, id));
      const [unplayed] = await db
        .select({ n: count() })
        .from(tournamentUnplayed)
        .where(eq(tournamentUnplayed.tournamentId, id));
      return (played?.n ?? 0) + (unplayed?.n ?? 0);
    },
  };
  return repo;
}
