import { afterAll, describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/worker.js';
import type { MatchJobResult } from '../../src/engine/match-queue.js';
import { openPgBossQueue } from '../../src/queue/pgboss.js';
import { runMatchWorker } from '../../src/queue/worker.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { stubMatchJob } from '../support/match-jobs.js';

// Backpressure and fairness of the match queue (docs/scaling.md): a worker takes challenges
// before tournament pairings, so a tournament's backlog never makes /challenge wait behind it,
// and the status shows each queue's depth. The handler here stands in for the sandbox (what it
// plays is not the point): it records the order jobs were taken in.
const { url, driver } = await useTestDatabase();

const job = (key: string, tournament: boolean) => stubMatchJob(key, tournament ? 1 : undefined);

describe.skipIf(driver !== 'postgres')('match queue fairness', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('a challenge queued behind a tournament backlog is played before the backlog, and the status shows both queues', async () => {
    const queue = await openPgBossQueue({ url: url!, logger: silentLogger });
    closers.push(() => queue.close());
    // Queue 30 tournament pairings, then one challenge; outcomes are awaited as the service would.
    const outcomes = [];
    for (let i = 0; i < 30; i++) outcomes.push(queue.matches.run(job(`tournament:1:r1:m${i}`, true)));
    await waitFor(
      async () => (await queue.status()).find((s) => s.queue === 'throwdown-tournament')?.queued === 30,
    );
    const challenge = queue.matches.run(job('challenge:late', false));
    await waitFor(
      async () => (await queue.status()).find((s) => s.queue === 'throwdown-challenge')?.queued === 1,
    );

    const lines = formatStatus(await queue.status());
    expect(lines.find((l) => l.startsWith('throwdown-tournament'))).toMatch(/queued +30 /);
    expect(lines.find((l) => l.startsWith('throwdown-challenge'))).toMatch(/queued +1 /);

    const order: string[] = [];
    const controller = new AbortController();
    const worker = runMatchWorker({
      queue,
      capacity: 1,
      handle: async (jobs): Promise<MatchJobResult[]> =>
        jobs.map((j) => {
          order.push(j.key);
          return { kind: 'refused', reason: 'test' };
        }),
      signal: controller.signal,
      logger: silentLogger,
    });
    expect(await challenge).toEqual({ kind: 'refused', reason: 'test' });
    for (const o of await Promise.all(outcomes)) expect(o).toEqual({ kind: 'refused', reason: 'test' });
    controller.abort();
    expect(await worker).toEqual({ completed: 31, failed: 0 });
    expect(order[0]).toBe('challenge:late');
    expect(order).toHaveLength(31);
  });

  it('a job that fails on every attempt ends failed for the service (a host failure, not a result)', async () => {
    const queue = await openPgBossQueue({ url: url!, logger: silentLogger, tuning: { resultPollMs: 20 } });
    closers.push(() => queue.close());
    const outcome = queue.matches.run(job('challenge:doomed', false));
    const controller = new AbortController();
    let attempts = 0;
    const worker = runMatchWorker({
      queue,
      capacity: 1,
      handle: async () => {
        attempts++;
        throw new Error('the sandbox could not run it');
      },
      signal: controller.signal,
      logger: silentLogger,
    });
    expect(await outcome).toEqual({ kind: 'failed', reason: 'the sandbox could not run it' });
    controller.abort();
    await worker;
    // The first attempt and retryLimit (2) more.
    expect(attempts).toBe(3);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in 10 s');
}
