import type { RatingChange } from '../db/repos/matches.js';
import type { LeaseRefusal, QueuedCommit, QueuedMatchInput } from '../db/repos/tournaments.js';
import type { MatchRecord } from '../games/match-record.js';
import { makeRules } from '../games/rps.js';
import type { MatchRequest } from '../sandbox/types.js';
import { versionSource } from './bot-lookup.js';
import type { EngineDeps } from './deps.js';
import { effectiveLimits } from './guild-limits.js';
import type { JobAttemptResult, MatchJob, MatchJobResult } from './match-queue.js';
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
 * Plays a bundle of jobs in this process's sandbox (all at once: the pool queues them) and
 * commits them: a tournament's matches together in one transaction per tournament, a challenge
 * on its own (it may move ratings). One result per job, in order; a host failure or this worker
 * closing is `retry` for that job only, so the rest of the bundle still lands. A retried
 * bundle's tournament matches already stored are answered from the database unplayed.
 * `played` is called as each job's play ends, with its play time in the sandbox (the worker
 * fetches more work as the pool drains, and logs the time).
 */
export async function executeMatchJobs(
  deps: EngineDeps,
  jobs: readonly MatchJob[],
  options: { retry: boolean; played?: (playMs: number) => void },
): Promise<JobAttemptResult[]> {
  const results = new Map<MatchJob, JobAttemptResult>();
  const byTournament = new Map<number, MatchJob[]>();
  const challenges: MatchJob[] = [];
  for (const job of jobs) {
    if (job.tournament) {
      const list = byTournament.get(job.tournament.id) ?? [];
      list.push(job);
      byTournament.set(job.tournament.id, list);
    } else challenges.push(job);
  }
  await Promise.all([
    ...challenges.map(async (job) => {
      results.set(job, await executeChallengeJob(deps, job, options.played));
    }),
    ...[...byTournament].map(async ([id, list]) => {
      const done = await executeTournamentJobs(deps, id, list, options);
      for (const [i, job] of list.entries()) results.set(job, done[i]!);
    }),
  ]);
  return jobs.map((job) => results.get(job)!);
}

/** One job on its own; throws RetryableJobFailure for what another attempt may fix. */
export async function executeMatchJob(
  deps: EngineDeps,
  job: MatchJob,
  options: { retry: boolean },
): Promise<MatchJobResult> {
  const [result] = await executeMatchJobs(deps, [job], options);
  if (result!.kind === 'retry') throw new RetryableJobFailure(result!.reason);
  return result!;
}

type Played =
  | { ok: true; job: MatchJob; record: MatchRecord; startedAt: Date }
  | { ok: false; result: JobAttemptResult };

/** Plays one job; a bot that cannot run is a verdict, anything else a host failure to retry. */
async function play(deps: EngineDeps, job: MatchJob, played?: (playMs: number) => void): Promise<Played> {
  const startedAt = deps.now();
  const outcome = await playOnce(deps, requestOf(deps, job)).catch((error: unknown) => {
    played?.(0);
    throw error;
  });
  played?.(outcome.ok ? outcome.value.timing.totalMillis : 0);
  if (outcome.ok) return { ok: true, job, record: outcome.value, startedAt };
  const failure = outcome.error;
  if (failure.code === 'rejected') {
    return {
      ok: false,
      result: { kind: 'rejected', seat: failure.seat, message: failure.rejection.message },
    };
  }
  return { ok: false, result: { kind: 'retry', reason: failure.message } };
}

const unsaved = (error: unknown): MatchJobResult => ({
  kind: 'unsaved',
  reason: String((error as Error)?.message ?? error),
});

/** A tournament's jobs of one bundle: played, then stored in one transaction (unrated). */
async function executeTournamentJobs(
  deps: EngineDeps,
  tournamentId: number,
  jobs: readonly MatchJob[],
  options: { retry: boolean; played?: (playMs: number) => void },
): Promise<JobAttemptResult[]> {
  const results = new Map<string, JobAttemptResult>();
  if (options.retry) {
    const earlier = await deps.repos.matches.committedUnrated(jobs.map((j) => j.key));
    for (const [key, match] of earlier) {
      results.set(key, storedResult(match, null, true));
      options.played?.(0);
    }
  }
  const toPlay = jobs.filter((j) => !results.has(j.key));
  const played = await Promise.all(toPlay.map((job) => play(deps, job, options.played)));
  const inputs: QueuedMatchInput[] = [];
  for (const [i, p] of played.entries()) {
    if (!p.ok) {
      results.set(toPlay[i]!.key, p.result);
      continue;
    }
    const { job, record, startedAt } = p;
    const t = job.tournament!;
    inputs.push({
      guildId: job.guildId,
      kind: 'tournament',
      record,
      seats: seatsOf(job),
      startedAt,
      matchKey: job.key,
      tournament: { id: t.id, round: t.round, key: t.pairingKey },
    });
  }
  for (const [key, result] of await commitTournamentMatches(deps, tournamentId, inputs)) {
    results.set(key, result);
  }
  return jobs.map((j) => results.get(j.key)!);
}

/**
 * Stores a bundle's played tournament matches in one transaction; if the database refuses the
 * batch (a value it rejects, a pairing stored under another key), each is stored on its own,
 * retried without the bots' text, so one bad record costs only itself.
 */
async function commitTournamentMatches(
  deps: EngineDeps,
  tournamentId: number,
  inputs: readonly QueuedMatchInput[],
): Promise<Map<string, MatchJobResult>> {
  const out = new Map<string, MatchJobResult>();
  if (inputs.length === 0) return out;
  try {
    const committed = await deps.repos.tournaments.commitQueuedBatch(tournamentId, inputs);
    for (const input of inputs) {
      out.set(
        input.matchKey,
        committed.ok ? queuedResult(committed.value.get(input.matchKey)!, input) : refused(committed.error),
      );
    }
    return out;
  } catch (error) {
    deps.logger.warn('storing queued matches together failed; storing them one by one', {
      matches: inputs.length,
      error,
    });
  }
  for (const input of inputs) {
    const stored = await storeMatchResilient(
      input.record,
      (record) => deps.repos.tournaments.commitQueued({ ...input, record }),
      deps.logger,
      { job: input.matchKey },
    );
    if (!stored.ok) out.set(input.matchKey, unsaved(stored.error));
    else
      out.set(
        input.matchKey,
        stored.value.ok ? queuedResult(stored.value.value, input) : refused(stored.value.error),
      );
  }
  return out;
}

function queuedResult(commit: QueuedCommit, input: QueuedMatchInput): MatchJobResult {
  switch (commit.kind) {
    case 'stored':
      return storedResult(commit, null, commit.duplicate);
    case 'settled':
      return refused({ kind: 'duplicate', key: input.tournament.key });
    case 'retired':
      return { kind: 'retired', botIds: commit.botIds };
  }
}

function refused(refusal: LeaseRefusal): MatchJobResult {
  return {
    kind: 'refused',
    reason:
      refusal.kind === 'duplicate'
        ? `pairing ${refusal.key} is already settled`
        : `the tournament is ${refusal.status ?? 'gone'}`,
  };
}

function seatsOf(job: MatchJob) {
  return [
    { botId: job.seats[0].botId, versionId: job.seats[0].versionId },
    { botId: job.seats[1].botId, versionId: job.seats[1].versionId },
  ] as const;
}

/** A challenge: played and stored on its own, rated if asked (subject to the pair cap). */
async function executeChallengeJob(
  deps: EngineDeps,
  job: MatchJob,
  played?: (playMs: number) => void,
): Promise<JobAttemptResult> {
  const p = await play(deps, job, played);
  if (!p.ok) return p.result;
  const { record } = p;
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
        guildId: job.guildId,
        seats: seatsOf(job),
        startedAt: new Date(job.requestedAt),
        matchKey: job.key,
        kind: 'challenge',
        record: r,
        rate: rate ? (before, outcome) => rateMatch(before[0], before[1], outcome.winner) : undefined,
        ratedIf: rate
          ? { since: new Date(finishedAt.getTime() - deps.ratingCap.windowMs), decide }
          : undefined,
      }),
    deps.logger,
    { job: job.key },
  );
  if (!stored.ok) return unsaved(stored.error);
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
