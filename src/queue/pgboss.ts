import { PgBoss } from 'pg-boss';
import type { MatchJob, MatchJobOutcome, MatchJobResult, MatchQueue } from '../engine/match-queue.js';
import type { Logger } from '../util/logger.js';
import {
  type BundleOutput,
  jobsOf,
  type MatchBundle,
  QUEUE_NAMES,
  type QueueName,
  type QueueStatus,
  type QueueTuning,
  queueFor,
} from './types.js';

/**
 * The match queue on pg-boss (docs/scaling.md says why pg-boss): two queues in the `pgboss`
 * schema of the database we already have, one for challenges and one for tournament pairings, so
 * workers can always take a challenge first and a big tournament never starves /challenge.
 *
 * Lease: a worker heartbeats each job it holds (`touch`); a worker that dies stops heartbeating
 * and pg-boss's supervisor fails the job after `heartbeatSeconds`, which retries it (at most
 * `retryLimit` times) on whichever worker fetches it next. A job that fails on every attempt ends
 * 'failed': the service then applies the fairness rules (a host failure is never a verdict).
 */
export interface PgBossQueue {
  /** The service side: queue a job, wait for its outcome. */
  readonly matches: MatchQueue;
  readonly boss: PgBoss;
  readonly tuning: QueueTuning;
  status(): Promise<QueueStatus[]>;
  /**
   * Resolves once every match this process queued has its outcome (none gathering, being sent or
   * awaited): a stopping service waits for this, within its drain period, before it stops
   * waiting, so a challenge a worker is playing gets its real answer rather than "try again".
   */
  idle(): Promise<void>;
  /** Stops waiting (pending waits end 'closed') and stops pg-boss. */
  close(): Promise<void>;
}

export const DEFAULT_TUNING: QueueTuning = {
  bundleSize: 8,
  bundleLingerMs: 5,
  heartbeatSeconds: 10,
  retryLimit: 2,
  // A bundle of 8 matches of up to matchWallMs (2 min) each, played one after another on a
  // one-process worker that holds a second bundle meanwhile: ~32 min at worst. A dead worker is
  // found by its heartbeat in seconds; this only ends a worker stuck while still heartbeating.
  expireInSeconds: 60 * 60,
  superviseIntervalSeconds: 5,
  resultPollMs: 100,
  idlePollMs: 100,
};

export async function openPgBossQueue(options: {
  url: string;
  logger: Logger;
  tuning?: Partial<QueueTuning>;
}): Promise<PgBossQueue> {
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const log = options.logger.child({ component: 'match-queue' });
  const boss = new PgBoss({
    connectionString: options.url,
    application_name: 'throwdown-queue',
    max: 4,
    superviseIntervalSeconds: tuning.superviseIntervalSeconds,
    monitorIntervalSeconds: tuning.superviseIntervalSeconds,
    // Our own cron (node-cron) runs tournaments' schedules; pg-boss's scheduler is not used.
    schedule: false,
  });
  boss.on('error', (error) => log.warn('pg-boss reported an error', { error }));
  await boss.start();
  for (const name of QUEUE_NAMES) {
    // createQueue is idempotent: every process makes sure the queues exist with these options.
    await boss.createQueue(name, {
      retryLimit: tuning.retryLimit,
      heartbeatSeconds: tuning.heartbeatSeconds,
      expireInSeconds: tuning.expireInSeconds,
      deleteAfterSeconds: 24 * 60 * 60,
    });
    await boss.updateQueue(name, {
      retryLimit: tuning.retryLimit,
      heartbeatSeconds: tuning.heartbeatSeconds,
      expireInSeconds: tuning.expireInSeconds,
    });
  }

  interface Waiter {
    resolve: (o: MatchJobOutcome) => void;
    reject: (e: unknown) => void;
  }
  /** Sent bundles by pg-boss job id, with one waiter per match, in the bundle's order. */
  const waiting = new Map<string, { queue: QueueName; sentAt: number; waiters: Waiter[] }>();
  /** Tournaments' matches gathering into a bundle, by tournament. */
  const gathering = new Map<number, { jobs: MatchJob[]; waiters: Waiter[]; timer: NodeJS.Timeout }>();
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  /** Bundles between leaving `gathering` and entering `waiting`. */
  let sending = 0;
  const idleWaiters: (() => void)[] = [];
  function checkIdle(): void {
    if (gathering.size > 0 || waiting.size > 0 || sending > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  /**
   * One pass over the bundles this process waits for: those that ended resolve their waits. One
   * query for all of them, on pg-boss's job table (its `findJobs` looks up one id per round trip).
   */
  async function poll(): Promise<void> {
    const ids = [...waiting.keys()];
    const { rows } = await boss
      .getDb()
      .executeSql('select id, state, output from pgboss.job where name = any($1) and id = any($2::uuid[])', [
        [...QUEUE_NAMES],
        ids,
      ]);
    const found = new Map((rows as { id: string; state: string; output: unknown }[]).map((r) => [r.id, r]));
    for (const id of ids) {
      const wait = waiting.get(id);
      const job = found.get(id);
      if (!wait) continue;
      const outcomes = outcomesOf(job?.state, job?.output, wait.waiters.length);
      if (!outcomes) continue;
      waiting.delete(id);
      log.debug('match job ended', {
        id,
        queue: wait.queue,
        matches: outcomes.length,
        ms: Date.now() - wait.sentAt,
      });
      for (const [i, w] of wait.waiters.entries()) w.resolve(outcomes[i]!);
    }
    checkIdle();
  }
  function arm(): void {
    if (closed || timer || waiting.size === 0) return;
    timer = setTimeout(() => {
      void poll()
        .catch((error) => log.warn('reading match job states failed', { error }))
        .finally(() => {
          timer = null;
          arm();
        });
    }, tuning.resultPollMs);
  }

  async function send(queue: QueueName, jobs: MatchJob[], waiters: Waiter[]): Promise<void> {
    sending++;
    try {
      const id = await boss.send(queue, { jobs } satisfies MatchBundle);
      if (!id) throw new Error(`match queue: pg-boss refused job ${jobs[0]?.key}`);
      if (closed) {
        for (const w of waiters) w.resolve({ kind: 'closed' });
        return;
      }
      waiting.set(id, { queue, sentAt: Date.now(), waiters });
      arm();
    } catch (error) {
      for (const w of waiters) w.reject(error);
    } finally {
      sending--;
      checkIdle();
    }
  }

  function flush(tournamentId: number): void {
    const open = gathering.get(tournamentId);
    if (!open) return;
    gathering.delete(tournamentId);
    clearTimeout(open.timer);
    void send('throwdown-tournament', open.jobs, open.waiters);
  }

  const matches: MatchQueue = {
    run(job: MatchJob): Promise<MatchJobOutcome> {
      if (closed) return Promise.resolve({ kind: 'closed' });
      return new Promise<MatchJobOutcome>((resolve, reject) => {
        const waiter = { resolve, reject };
        const tournamentId = job.tournament?.id;
        if (tournamentId === undefined) {
          void send(queueFor(job), [job], [waiter]);
          return;
        }
        let open = gathering.get(tournamentId);
        if (!open) {
          open = {
            jobs: [],
            waiters: [],
            timer: setTimeout(() => flush(tournamentId), tuning.bundleLingerMs),
          };
          gathering.set(tournamentId, open);
        }
        open.jobs.push(job);
        open.waiters.push(waiter);
        if (open.jobs.length >= tuning.bundleSize) flush(tournamentId);
      });
    },
  };

  return {
    matches,
    boss,
    tuning,
    async status() {
      return queueStatus(boss);
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      for (const open of gathering.values()) {
        clearTimeout(open.timer);
        for (const w of open.waiters) w.resolve({ kind: 'closed' });
      }
      gathering.clear();
      for (const wait of waiting.values()) for (const w of wait.waiters) w.resolve({ kind: 'closed' });
      waiting.clear();
      checkIdle();
      await boss.stop({ graceful: false, close: true, timeout: 5000 });
    },
  };
}

/**
 * A bundle's final state as one outcome per match; undefined while it is still queued or
 * running. A failed bundle's matches that an attempt did settle keep their results; the rest
 * failed (host failures on every attempt: never a verdict).
 */
function outcomesOf(
  state: string | undefined,
  output: unknown,
  count: number,
): MatchJobOutcome[] | undefined {
  if (state === undefined) {
    return Array.from({ length: count }, () => ({
      kind: 'failed' as const,
      reason: 'the match job vanished from the queue',
    }));
  }
  const bundle = output as Partial<BundleOutput> | null;
  const results = Array.isArray(bundle?.results) ? bundle.results : null;
  if (state === 'completed') {
    // A worker of the version before bundles completes a bare job with its bare result.
    if (!results) return [output as MatchJobResult];
    return Array.from(
      { length: count },
      (_, i) =>
        results[i] ?? { kind: 'failed' as const, reason: 'the worker reported no result for this match' },
    );
  }
  if (state === 'failed' || state === 'cancelled') {
    const message = bundle?.message;
    const reason = typeof message === 'string' ? message : `the match job ${state}`;
    return Array.from({ length: count }, (_, i) => results?.[i] ?? { kind: 'failed' as const, reason });
  }
  return undefined;
}

/** Depth and waits of each queue, read live from the queued jobs (not pg-boss's cached counts). */
export async function queueStatus(boss: PgBoss): Promise<QueueStatus[]> {
  const now = Date.now();
  const out: QueueStatus[] = [];
  for (const name of QUEUE_NAMES) {
    const queued = await boss.findJobs<MatchBundle | MatchJob>(name, { queued: true, limit: 100_000 });
    const waits = queued.map((j) => Math.max(0, now - new Date(j.createdOn).getTime()));
    const info = await boss.getQueue(name);
    out.push({
      queue: name,
      queued: queued.reduce((sum, j) => sum + jobsOf(j.data).jobs.length, 0),
      queuedJobs: queued.length,
      active: info?.activeCount ?? null,
      oldestWaitMs: waits.length ? Math.max(...waits) : 0,
      meanWaitMs: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : 0,
    });
  }
  return out;
}
