import type { MatchJob, MatchJobResult } from '../engine/match-queue.js';

/**
 * The match queue's names and knobs. Two queues rather than priorities in one: a worker fills
 * free slots from the challenge queue first, so interactive matches never wait behind a
 * tournament's backlog, and each queue's depth and wait are visible on their own.
 */
export const QUEUE_NAMES = ['throwdown-challenge', 'throwdown-tournament'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function queueFor(job: MatchJob): QueueName {
  return job.tournament ? 'throwdown-tournament' : 'throwdown-challenge';
}

/**
 * What one pg-boss job carries: a bundle of matches. A tournament's pairings queued within
 * `bundleLingerMs` of each other travel together (up to `bundleSize`), so sending, fetching,
 * heartbeating, completing and the worker's commit are paid once per bundle instead of once per
 * match: those were most of the queue's cost per match (docs/scaling.md). A challenge travels
 * alone, so it never waits for others.
 */
export interface MatchBundle {
  jobs: MatchJob[];
}

/** A bundle's output: one result per job, in order; null where a failed attempt left a job unsettled. */
export interface BundleOutput {
  results: (MatchJobResult | null)[];
  /** Why the attempt failed (a host failure), when it did. */
  message?: string;
}

/**
 * The matches of a job's data. A bare MatchJob (what services before bundles queued) is a
 * bundle of one, so jobs queued before an upgrade are still played: upgrade workers first.
 */
export function jobsOf(data: MatchBundle | MatchJob): { jobs: MatchJob[]; bare: boolean } {
  return 'jobs' in data && Array.isArray(data.jobs)
    ? { jobs: data.jobs, bare: false }
    : { jobs: [data as MatchJob], bare: true };
}

export interface QueueTuning {
  /** At most this many of a tournament's matches in one job. */
  bundleSize: number;
  /** How long a tournament's first queued match waits for others to share its job. */
  bundleLingerMs: number;
  /** A worker that stops heartbeating a job for this long loses it (pg-boss's minimum is 10). */
  heartbeatSeconds: number;
  /** Attempts after the first before a job ends 'failed' (a host failure, never a verdict). */
  retryLimit: number;
  /** A job running longer than this is failed even while heartbeating (a stuck worker). */
  expireInSeconds: number;
  /** How often pg-boss looks for jobs whose heartbeat stopped. */
  superviseIntervalSeconds: number;
  /** How often a service looks at the jobs it waits for. */
  resultPollMs: number;
  /** How often an idle worker asks for work. */
  idlePollMs: number;
}

export interface QueueStatus {
  queue: QueueName;
  /** Matches waiting for a worker. */
  queued: number;
  /** The jobs (bundles) they travel in. */
  queuedJobs: number;
  /** Jobs (bundles) a worker holds (pg-boss's cached count; null when it has none yet). */
  active: number | null;
  oldestWaitMs: number;
  meanWaitMs: number;
}
