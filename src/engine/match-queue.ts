import type { RatingChange } from '../db/repos/matches.js';
import type { MatchRecord } from '../games/match-record.js';
import type { Limits } from '../sandbox/limits.js';
import type { WorkTicket } from '../sandbox/types.js';

/**
 * Matches as jobs: what a service instance hands to the match queue (src/queue/) and what a
 * `throwdown worker` plays and commits (match-jobs.ts). A job is plain JSON (it travels through
 * PostgreSQL) and names everything by id: the worker reads the bots' bytes from the database itself.
 *
 * These types depend on nothing in the engine, so EngineDeps (deps.ts) can name the queue without
 * an import circle through match-jobs.ts.
 */
export interface JobSeat {
  botId: number;
  versionId: number;
  sha256: string;
  /** The name the opponent is told ("owner/bot"). */
  name: string;
  /** The owner's player id (challenges) or Discord user id (tournaments): same owner, not rated. */
  owner: string;
}

export interface MatchJob {
  /** "challenge:<uuid>" or "tournament:<id>:<pairing>": the idempotency key of the commit. */
  key: string;
  guildId: string;
  seed: string;
  rounds: number;
  seats: [JobSeat, JobSeat];
  limits: Partial<Limits>;
  ticket: WorkTicket;
  /** ISO time the service asked for the match. */
  requestedAt: string;
  /** A challenge: rated (subject to the pair cap, decided in the commit) or not. */
  challenge?: { rate: boolean };
  /** A tournament pairing: stored unrated; the runner rates whole rounds in order. */
  tournament?: { id: number; round: number; pairingKey: string };
}

/** What a worker reports back for a job it finished (the job's output). */
export type MatchJobResult =
  | {
      kind: 'stored';
      matchId: number;
      winner: 0 | 1 | null;
      score: number;
      ratingChanges: readonly [RatingChange, RatingChange] | null;
      /** Challenges only: the record, for the reply (tournaments need only the result). */
      record?: MatchRecord;
      duplicate: boolean;
    }
  /** A bot cannot run under the limits: it forfeits (a verdict, so no retry). */
  | { kind: 'rejected'; seat: 0 | 1; message: string }
  /** The tournament no longer runs (cancelled or finished), or the pairing was settled otherwise. */
  | { kind: 'refused'; reason: string }
  /** The match was played but the database refused it even without the bots' text. */
  | { kind: 'unsaved'; reason: string }
  /**
   * A tournament pairing not stored because a seat's bot was retired at or before the match
   * started (checked in the commit's transaction): the runner settles it as that bot's forfeit.
   */
  | { kind: 'retired'; botIds: number[] };

/** One job's attempt on a worker: its result, or `retry` for a host failure another attempt may fix. */
export type JobAttemptResult = MatchJobResult | { kind: 'retry'; reason: string };

/** What the service learns about a job it queued. */
export type MatchJobOutcome =
  | MatchJobResult
  /** Every attempt failed for host reasons (workers lost, lease timeouts): never a verdict. */
  | { kind: 'failed'; reason: string }
  /** This service is stopping: it stopped waiting (the job may still be played and stored). */
  | { kind: 'closed' };

/** The service side of the match queue: queue a job and wait for how it ended. */
export interface MatchQueue {
  run(job: MatchJob): Promise<MatchJobOutcome>;
}
