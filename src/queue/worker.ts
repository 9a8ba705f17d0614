import type { JobAttempt } from 'pg-boss';
import type { MatchJob, MatchJobResult } from '../engine/match-queue.js';
import type { Logger } from '../util/logger.js';
import type { PgBossQueue } from './pgboss.js';
import { QUEUE_NAMES, type QueueName } from './types.js';

export interface WorkerOptions {
  queue: PgBossQueue;
  /** The sandbox pool's size: the worker holds twice as many jobs (see `held` below). */
  capacity: number;
  /** Plays and commits a job; throws for what another attempt may fix (the job is failed and retried). */
  handle: (job: MatchJob, meta: { retry: boolean }) => Promise<MatchJobResult>;
  /** Aborted: stop taking jobs; `run` resolves once the jobs held have ended. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A worker's loop: fills free slots from the challenge queue first, then from the tournament
 * queue (so a tournament's backlog never delays a challenge by more than one match), plays each
 * job, completes it with its result or fails it (pg-boss retries it, possibly elsewhere), and
 * heartbeats the jobs it holds. Our own loop over `fetch` rather than pg-boss's `work()`: `work()`
 * waits its polling interval (at least 0.5 s) after every batch, which would cap a worker at a
 * couple of 10 ms matches a second; here a freed slot is refilled at once.
 */
export async function runMatchWorker(options: WorkerOptions): Promise<{ completed: number; failed: number }> {
  const { queue, handle, signal } = options;
  // Twice the pool: while a match plays, the next one is already fetched and waiting in the
  // pool's queue, so fetching, committing and completing overlap play instead of idling the pool.
  const capacity = options.capacity * 2;
  const { boss, tuning } = queue;
  const log = options.logger.child({ component: 'match-worker' });
  const held = new Map<string, { name: QueueName; attempt: JobAttempt; settled: Promise<void> }>();
  const counts = { completed: 0, failed: 0 };
  let wake: () => void = () => {};

  const beat = setInterval(
    () => {
      for (const name of QUEUE_NAMES) {
        const attempts = [...held.values()].filter((h) => h.name === name).map((h) => h.attempt);
        if (attempts.length === 0) continue;
        boss.touch(name, attempts).catch((error) => log.warn('heartbeat failed', { error }));
      }
    },
    Math.max(1000, (tuning.heartbeatSeconds * 1000) / 3),
  );

  function start(name: QueueName, job: { id: string; retryCount: number; data: MatchJob } & Dated): void {
    const attempt = { id: job.id, retryCount: job.retryCount };
    const waitMs = Math.max(0, new Date(job.startedOn).getTime() - new Date(job.createdOn).getTime());
    const began = performance.now();
    log.debug('match job started', { queue: name, key: job.data.key, waitMs, attempt: job.retryCount + 1 });
    const settled = handle(job.data, { retry: job.retryCount > 0 })
      .then(
        async (result) => {
          await boss.complete(name, attempt, result);
          counts.completed++;
          log.info('match job done', {
            queue: name,
            key: job.data.key,
            result: result.kind,
            waitMs,
            runMs: Math.round(performance.now() - began),
            attempt: job.retryCount + 1,
          });
        },
        async (error: unknown) => {
          const message = (error as Error)?.message ?? String(error);
          await boss.fail(name, attempt, { message });
          counts.failed++;
          log.warn('match job failed; the queue retries it', {
            queue: name,
            key: job.data.key,
            attempt: job.retryCount + 1,
            error: message,
          });
        },
      )
      .catch((error) => log.error('settling a match job failed', { key: job.data.key, error }))
      .finally(() => {
        held.delete(job.id);
        wake();
      });
    held.set(job.id, { name, attempt, settled });
  }

  try {
    while (!signal.aborted) {
      let fetched = 0;
      for (const name of QUEUE_NAMES) {
        const free = capacity - held.size;
        if (free <= 0 || signal.aborted) break;
        const jobs = await boss
          .fetch<MatchJob>(name, { batchSize: free, includeMetadata: true })
          .catch((error: unknown) => {
            log.warn('fetching match jobs failed', { queue: name, error });
            return [];
          });
        for (const job of jobs) start(name, job);
        fetched += jobs.length;
      }
      if (fetched > 0 && held.size < capacity) continue;
      // Full, or nothing queued: wait for a slot to free, the idle poll, or the stop.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, held.size >= capacity ? 60_000 : tuning.idlePollMs);
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    await Promise.all([...held.values()].map((h) => h.settled));
  } finally {
    clearInterval(beat);
  }
  return counts;
}

interface Dated {
  createdOn: Date;
  startedOn: Date;
}
