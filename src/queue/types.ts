import type { MatchJob } from '../engine/match-queue.js';

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

export interface QueueTuning {
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
  /** Jobs waiting for a worker. */
  queued: number;
  /** Jobs a worker holds (pg-boss's cached count; null when it has none yet). */
  active: number | null;
  oldestWaitMs: number;
  meanWaitMs: number;
}
