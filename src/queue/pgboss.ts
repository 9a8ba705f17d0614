import { PgBoss } from 'pg-boss';
import type { MatchJob, MatchJobOutcome, MatchJobResult, MatchQueue } from '../engine/match-queue.js';
import type { Logger } from '../util/logger.js';
import { QUEUE_NAMES, type QueueName, type QueueStatus, type QueueTuning, queueFor } from './types.js';

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
  /** Stops waiting (pending waits end 'closed') and stops pg-boss. */
  close(): Promise<void>;
}

export const DEFAULT_TUNING: QueueTuning = {
  heartbeatSeconds: 10,
  retryLimit: 2,
  expireInSeconds: 15 * 60,
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

  const waiting = new Map<
    string,
    { queue: QueueName; sentAt: number; resolve: (o: MatchJobOutcome) => void }
  >();
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  /**
   * One pass over the jobs this process waits for: those that ended resolve their wait. One query
   * for all of them, on pg-boss's job table (its `findJobs` looks up one id per round trip, which
   * at a tournament's 16 jobs in flight, ten times a second, was most of the queue's load).
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
      const outcome = outcomeOf(job?.state, job?.output);
      if (!wait || !outcome) continue;
      waiting.delete(id);
      log.debug('match job ended', {
        id,
        queue: wait.queue,
        kind: outcome.kind,
        ms: Date.now() - wait.sentAt,
      });
      wait.resolve(outcome);
    }
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

  const matches: MatchQueue = {
    async run(job: MatchJob): Promise<MatchJobOutcome> {
      if (closed) return { kind: 'closed' };
      const queue = queueFor(job);
      const id = await boss.send(queue, job);
      if (!id) throw new Error(`match queue: pg-boss refused job ${job.key}`);
      return new Promise<MatchJobOutcome>((resolve) => {
        waiting.set(id, { queue, sentAt: Date.now(), resolve });
        arm();
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
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      for (const wait of waiting.values()) wait.resolve({ kind: 'closed' });
      waiting.clear();
      await boss.stop({ graceful: false, close: true, timeout: 5000 });
    },
  };
}

/** A job's final state as an outcome; undefined while it is still queued or running. */
function outcomeOf(state: string | undefined, output: unknown): MatchJobOutcome | undefined {
  if (state === 'completed') return output as MatchJobResult;
  if (state === 'failed' || state === 'cancelled') {
    const message = (output as { message?: unknown } | null)?.message;
    return { kind: 'failed', reason: typeof message === 'string' ? message : `the match job ${state}` };
  }
  if (state === undefined) return { kind: 'failed', reason: 'the match job vanished from the queue' };
  return undefined;
}

/** Depth and waits of each queue, read live from the queued jobs (not pg-boss's cached counts). */
export async function queueStatus(boss: PgBoss): Promise<QueueStatus[]> {
  const now = Date.now();
  const out: QueueStatus[] = [];
  for (const name of QUEUE_NAMES) {
    const queued = await boss.findJobs(name, { queued: true, limit: 100_000 });
    const waits = queued.map((j) => Math.max(0, now - new Date(j.createdOn).getTime()));
    const info = await boss.getQueue(name);
    out.push({
      queue: name,
      queued: queued.length,
      active: info?.activeCount ?? null,
      oldestWaitMs: waits.length ? Math.max(...waits) : 0,
      meanWaitMs: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : 0,
    });
  }
  return out;
}
