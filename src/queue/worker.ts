import type { JobAttempt } from 'pg-boss';
import type { JobAttemptResult, MatchJob } from '../engine/match-queue.js';
import type { Logger } from '../util/logger.js';
import type { PgBossQueue } from './pgboss.js';
import { type BundleOutput, jobsOf, type MatchBundle, QUEUE_NAMES, type QueueName } from './types.js';

export interface WorkerOptions {
  queue: PgBossQueue;
  /**
   * Matches this worker keeps in its sandbox pool at once (playing, sent ahead, ready): it
   * fetches more tournament work while fewer than this are still to play, and holds at most this
   * many challenges.
   */
  capacity: number;
  /**
   * Plays and commits a bundle of jobs: one result per job, in order; `retry` for a job another
   * attempt may fix. Calls `played` as each job's play ends, with its play time in the sandbox
   * (logged: the share of a worker's time spent playing). Throws only for a bug: the whole
   * bundle is then failed and retried.
   */
  handle: (
    jobs: readonly MatchJob[],
    meta: { retry: boolean; played: (playMs: number) => void },
  ) => Promise<JobAttemptResult[]>;
  /** Aborted: stop taking jobs; `run` resolves once the jobs held have ended. */
  signal: AbortSignal;
  logger: Logger;
}

interface Held {
  name: QueueName;
  attempt: JobAttempt;
  settled: Promise<void>;
}

/**
 * A worker's loop: takes challenges first, then tournament bundles, plays each bundle's matches
 * in the sandbox pool, completes the bundle with their results or fails it (pg-boss retries it,
 * possibly elsewhere, and the retry skips what is already stored), and heartbeats the bundles it
 * holds. Our own loop over `fetch` rather than pg-boss's `work()`: `work()` waits its polling
 * interval (at least 0.5 s) after every batch; here the pool is refilled as it drains.
 *
 * Challenges before tournaments: a challenge is fetched whenever fewer than `capacity` are held,
 * whatever the tournaments hold, and its ticket is interactive, so the pool plays it before any
 * tournament match still waiting there. A queue found empty is asked again after `idlePollMs`.
 */
export async function runMatchWorker(options: WorkerOptions): Promise<{ completed: number; failed: number }> {
  const { queue, handle, signal } = options;
  const capacity = Math.max(1, options.capacity);
  const { boss, tuning } = queue;
  const log = options.logger.child({ component: 'match-worker' });
  const held = new Map<string, Held>();
  const counts = { completed: 0, failed: 0 };
  /** Matches held per queue that are not yet played (challenges: not yet settled). */
  const load: Record<QueueName, number> = { 'throwdown-challenge': 0, 'throwdown-tournament': 0 };
  const emptyUntil: Record<QueueName, number> = { 'throwdown-challenge': 0, 'throwdown-tournament': 0 };
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

  function start(
    name: QueueName,
    job: { id: string; retryCount: number; data: MatchBundle | MatchJob } & Dated,
  ) {
    const attempt = { id: job.id, retryCount: job.retryCount };
    const { jobs, bare } = jobsOf(job.data);
    const keys = jobs.map((j) => j.key);
    const waitMs = Math.max(0, new Date(job.startedOn).getTime() - new Date(job.createdOn).getTime());
    const began = performance.now();
    const what = { queue: name, matches: jobs.length, first: keys[0], attempt: job.retryCount + 1 };
    log.debug('match job started', { ...what, waitMs });
    // A challenge holds its slot until it is stored; a tournament match only until it is played
    // (its commit overlaps the next bundle's play).
    let unreleased = jobs.length;
    load[name] += jobs.length;
    const release = (n: number) => {
      const freed = Math.min(n, unreleased);
      unreleased -= freed;
      load[name] -= freed;
      if (freed > 0) wake();
    };
    let playMs = 0;
    const played = (ms: number) => {
      playMs += ms;
      if (name === 'throwdown-tournament') release(1);
    };
    const settled = handle(jobs, { retry: job.retryCount > 0, played })
      .then(
        async (results) => {
          const retry = results.filter((r) => r.kind === 'retry');
          const done = results.flatMap((r) => (r.kind === 'retry' ? [null] : [r]));
          if (retry.length === 0) {
            await boss.complete(name, attempt, bare ? done[0]! : ({ results: done } satisfies BundleOutput));
          } else {
            const output: BundleOutput = { results: done, message: retry[0]!.reason };
            await boss.fail(name, attempt, output);
          }
          counts.completed += results.length - retry.length;
          counts.failed += retry.length;
          const line = {
            ...what,
            results: tally(done),
            playMs: Math.round(playMs * 10) / 10,
            waitMs,
            runMs: Math.round(performance.now() - began),
          };
          if (retry.length === 0) log.info('match job done', line);
          else
            log.warn('match job failed in part; the queue retries it', { ...line, error: retry[0]!.reason });
        },
        async (error: unknown) => {
          const message = (error as Error)?.message ?? String(error);
          await boss.fail(name, attempt, { message });
          counts.failed += jobs.length;
          log.warn('match job failed; the queue retries it', { ...what, error: message });
        },
      )
      .catch((error) => log.error('settling a match job failed', { first: keys[0], error }))
      .finally(() => {
        release(jobs.length);
        held.delete(job.id);
        wake();
      });
    held.set(job.id, { name, attempt, settled });
  }

  /** Asks `name` for work if it has room and was not found empty just now; true if it got some. */
  async function take(name: QueueName): Promise<boolean> {
    const room = capacity - load[name];
    if (room <= 0 || signal.aborted || performance.now() < emptyUntil[name]) return false;
    // Tournament bundles one at a time (each holds up to bundleSize matches); challenges as many as fit.
    const batchSize = name === 'throwdown-tournament' ? 1 : room;
    const jobs = await boss
      .fetch<MatchBundle | MatchJob>(name, { batchSize, includeMetadata: true })
      .catch((error: unknown) => {
        log.warn('fetching match jobs failed', { queue: name, error });
        return [];
      });
    if (jobs.length === 0) emptyUntil[name] = performance.now() + tuning.idlePollMs;
    for (const job of jobs) start(name, job);
    return jobs.length > 0;
  }

  try {
    while (!signal.aborted) {
      let fetched = false;
      for (const name of QUEUE_NAMES) fetched = (await take(name)) || fetched;
      if (fetched) continue;
      // Wait for room to free, the next look at an empty queue, or the stop.
      const now = performance.now();
      const nextLook = QUEUE_NAMES.filter((n) => load[n] < capacity).map((n) =>
        Math.max(0, emptyUntil[n] - now),
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, nextLook.length > 0 ? Math.max(1, Math.min(...nextLook)) : 60_000);
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

/** How many results of each kind ("stored: 7, rejected: 1"), for the log. */
function tally(results: readonly ({ kind: string } | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const kind = r?.kind ?? 'retry';
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

interface Dated {
  createdOn: Date;
  startedOn: Date;
}
