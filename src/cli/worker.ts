import type { EngineDeps } from '../engine/deps.js';
import { executeMatchJobs } from '../engine/match-jobs.js';
import type { PgBossQueue } from '../queue/pgboss.js';
import type { QueueStatus } from '../queue/types.js';
import { runMatchWorker } from '../queue/worker.js';
import type { Logger } from '../util/logger.js';
import type { EngineHandle } from './db-commands.js';
import type { Output } from './local-commands.js';

/**
 * `throwdown worker`: plays match jobs from the queue in this machine's sandbox pool and commits
 * them, until SIGINT/SIGTERM (then it takes no new job, lets the ones it holds finish, and stops;
 * a job its sandbox could not finish is failed, so the queue retries it on another worker).
 * `--status` prints each queue's depth and waits and exits.
 */
export interface WorkerCliDeps {
  openEngine(): Promise<EngineHandle>;
  openQueue(): Promise<PgBossQueue>;
  /** Matches kept in the sandbox pool at once (src/queue/worker.ts). */
  capacity: number;
  signal: AbortSignal;
  logger: Logger;
  /** How often the queue depth goes to the log. */
  statusEveryMs?: number;
}

export async function workerCli(
  deps: WorkerCliDeps,
  options: { status?: boolean },
  io: Output,
): Promise<number> {
  const queue = await deps.openQueue();
  try {
    if (options.status) {
      for (const line of formatStatus(await queue.status())) io.out(line);
      return 0;
    }
    const handle = await deps.openEngine();
    const engine: EngineDeps = handle.engine.deps;
    const stopLogging = logStatus(queue, deps.logger, deps.statusEveryMs ?? 30_000);
    deps.logger.info('worker started', { capacity: deps.capacity });
    try {
      const counts = await runMatchWorker({
        queue,
        capacity: deps.capacity,
        handle: (jobs, meta) => executeMatchJobs(engine, jobs, meta),
        signal: deps.signal,
        logger: deps.logger,
      });
      deps.logger.info('worker stopped', counts);
    } finally {
      stopLogging();
      await handle.close();
    }
    return 0;
  } finally {
    await queue.close();
  }
}

/** One line per queue: what `--status` prints. */
export function formatStatus(rows: readonly QueueStatus[]): string[] {
  return rows.map(
    (r) =>
      `${r.queue.padEnd(21)} queued ${String(r.queued).padStart(6)} in ${String(r.queuedJobs).padStart(5)} jobs  active ${String(r.active ?? '?').padStart(4)}  oldest wait ${seconds(r.oldestWaitMs)}  mean wait ${seconds(r.meanWaitMs)}`,
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);

/** Logs each queue's depth and wait every `everyMs` (and says when a queue has a backlog). */
export function logStatus(queue: PgBossQueue, logger: Logger, everyMs: number): () => void {
  const timer = setInterval(() => {
    queue
      .status()
      .then((rows) => {
        for (const r of rows) logger.info('match queue', { ...r });
      })
      .catch((error) => logger.warn('reading the match queue status failed', { error }));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
