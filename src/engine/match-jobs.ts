import type { RatingChange } from '../db/repos/matches.js';
import type { MatchRecord } from '../games/match-record.js';
import { makeRules } from '../games/rps.js';
import type { Limits } from '../sandbox/limits.js';
import type { MatchRequest, WorkTicket } from '../sandbox/types.js';
import { versionSource } from './bot-lookup.js';
import type { EngineDeps } from './deps.js';
import { effectiveLimits } from './guild-limits.js';
import { playOnce } from './play-once.js';
import { countsForRating } from './rating-cap.js';
import { rateMatch } from './ratings.js';
import { storeMatchResilient } from './store-match.js';

/**
 * Matches as jobs: what a service instance hands to the match queue (src/queue/) and what a
 * `throwdown worker` plays and commits. A job is plain JSON (it travels through PostgreSQL) and
 * names everything by id: the worker reads the bots' bytes from the database itself.
 *
 * Exactly once: the commit is keyed by `key` (the matches table's unique match_key, inserted with
 * ON CONFLICT DO NOTHING in the transaction that updates the ratings), so a job retried after a
 * worker died, or played by two workers at once, stores one match and moves ratings once.
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
  | { kind: 'unsaved'; reason: string };

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

/** Host failures and shutdown: the worker fails the job, so the queue retries it elsewhere. */
export class RetryableJobFailure extends Error {}

function requestOf(deps: EngineDeps, job: MatchJob): MatchRequest {
  return {
    seed: job.seed,
    rules: makeRules({ rounds: job.rounds }),
    bots: [
      versionSource(deps, job.seats[0].name, { id: job.seats[0].versionId, sha256: job.seats[0].sha256 }),
      versionSource(deps, job.seats[1].name, { id: job.seats[1].versionId, sha256: job.seats[1].sha256 }),
    ],
    // Never above this worker's own limits, whatever the job says (docs/security.md).
    limits: effectiveLimits(deps.limits, job.limits),
    for: job.ticket,
  };
}

/**
 * Plays a job in this process's sandbox and commits it. Throws RetryableJobFailure for what
 * another attempt may fix (a host failure, this worker closing); everything else is a result.
 * A retried tournament job whose key is already stored is answered from the database unplayed.
 */
export async function executeMatchJob(
  deps: EngineDeps,
  job: MatchJob,
  options: { retry: boolean },
): Promise<MatchJobResult> {
  if (options.retry && job.tournament) {
    const stored = await deps.repos.matches.committed(job.key);
    if (stored) return storedResult(stored.match, stored.ratingChanges, true);
  }
  const played = await playOnce(deps, requestOf(deps, job));
  if (!played.ok) {
    const failure = played.error;
    if (failure.code === 'rejected') {
      return { kind: 'rejected', seat: failure.seat, message: failure.rejection.message };
    }
    throw new RetryableJobFailure(failure.message);
  }
  const record = played.value;
  const seats = [
    { botId: job.seats[0].botId, versionId: job.seats[0].versionId },
    { botId: job.seats[1].botId, versionId: job.seats[1].versionId },
  ] as const;
  const base = {
    guildId: job.guildId,
    seats,
    startedAt: new Date(job.requestedAt),
    matchKey: job.key,
  };
  const what = { job: job.key };
  if (job.tournament) {
    const t = job.tournament;
    const stored = await storeMatchResilient(
      record,
      (r) =>
        deps.repos.tournaments.commitQueued({
          ...base,
          kind: 'tournament',
          record: r,
          tournament: { id: t.id, round: t.round, key: t.pairingKey },
          matchKey: job.key,
        }),
      deps.logger,
      what,
    );
    if (!stored.ok)
      return { kind: 'unsaved', reason: String((stored.error as Error)?.message ?? stored.error) };
    const committed = stored.value;
    if (!committed.ok) {
      return {
        kind: 'refused',
        reason:
          committed.error.kind === 'duplicate'
            ? `pairing ${committed.error.key} is already settled`
            : `the tournament is ${committed.error.status ?? 'gone'}`,
      };
    }
    return storedResult(committed.value.match, null, committed.value.duplicate ?? false);
  }
  const rate = job.challenge?.rate ?? false;
  const sides = [
    { bot: String(job.seats[0].botId), owner: job.seats[0].owner },
    { bot: String(job.seats[1].botId), owner: job.seats[1].owner },
  ] as const;
  const finishedAt = deps.now();
  const decide = (earlier: readonly Date[]) =>
    countsForRating(
      { kind: 'challenge', sides, at: deps.now().getTime() },
      earlier.map((e) => ({ kind: 'challenge' as const, sides, at: e.getTime() })),
      deps.ratingCap,
    );
  const stored = await storeMatchResilient(
    record,
    (r) =>
      deps.repos.matches.recordMatch({
        ...base,
        kind: 'challenge',
        record: r,
        rate: rate ? (before, outcome) => rateMatch(before[0], before[1], outcome.winner) : undefined,
        ratedIf: rate
          ? { since: new Date(finishedAt.getTime() - deps.ratingCap.windowMs), decide }
          : undefined,
      }),
    deps.logger,
    what,
  );
  if (!stored.ok)
    return { kind: 'unsaved', reason: String((stored.error as Error)?.message ?? stored.error) };
  const { match, ratingChanges, duplicate } = stored.value;
  return { ...storedResult(match, ratingChanges, duplicate ?? false), record };
}

function storedResult(
  match: { id: number; winnerSeat: 0 | 1 | null; score: number },
  ratingChanges: readonly [RatingChange, RatingChange] | null,
  duplicate: boolean,
): Extract<MatchJobResult, { kind: 'stored' }> {
  return {
    kind: 'stored',
    matchId: match.id,
    winner: match.winnerSeat,
    score: match.score,
    ratingChanges,
    duplicate,
  };
}
