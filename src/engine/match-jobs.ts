import type { RatingChange } from '../db/repos/matches.js';
import { makeRules } from '../games/rps.js';
import type { MatchRequest } from '../sandbox/types.js';
import { versionSource } from './bot-lookup.js';
import type { EngineDeps } from './deps.js';
import { effectiveLimits } from './guild-limits.js';
import type { MatchJob, MatchJobResult } from './match-queue.js';
import { playOnce } from './play-once.js';
import { countsForRating } from './rating-cap.js';
import { rateMatch } from './ratings.js';
import { storeMatchResilient } from './store-match.js';

/**
 * How a `throwdown worker` plays and commits a match job (what a job is, and the queue the service
 * sees, are in match-queue.ts).
 *
 * Exactly once: the commit is keyed by `key` (the matches table's unique match_key, inserted with
 * ON CONFLICT DO NOTHING in the transaction that updates the ratings), so a job retried after a
 * worker died, or played by two workers at once, stores one match and moves ratings once.
 */

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
