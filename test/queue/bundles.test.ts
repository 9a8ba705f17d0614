import { afterAll, describe, expect, it } from 'vitest';
import type { JobAttemptResult, MatchJob } from '../../src/engine/match-queue.js';
import { openPgBossQueue } from '../../src/queue/pgboss.js';
import { runMatchWorker } from '../../src/queue/worker.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { stubMatchJob } from '../support/match-jobs.js';

// Bundles (src/queue/types.ts): a tournament's matches queued together travel in one pg-boss
// job, and each match still gets its own result, its own failure and its own retry. The handler
// stands in for the sandbox and the commit (match-jobs.ts has its own tests): it answers each
// match with its key, so a result given to the wrong match shows.
const { url, driver } = await useTestDatabase();

const job = stubMatchJob;

const answer = (j: MatchJob): JobAttemptResult => ({ kind: 'refused', reason: j.key });

describe.skipIf(driver !== 'postgres')('match bundles', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("a tournament's matches queued together travel in bundles of at most bundleSize, per tournament, and each gets its own result", async () => {
    const queue = await openPgBossQueue({
      url: url!,
      logger: silentLogger,
      tuning: { bundleSize: 4, bundleLingerMs: 50, resultPollMs: 20 },
    });
    closers.push(() => queue.close());
    const jobs = [
      ...Array.from({ length: 10 }, (_, i) => job(`tournament:7:m${i}`, 7)),
      job('tournament:8:m0', 8),
      job('challenge:a'),
      job('challenge:b'),
    ];
    const outcomes = Promise.all(jobs.map((j) => queue.matches.run(j)));
    await waitFor(async () => {
      const status = await queue.status();
      return status.reduce((sum, s) => sum + s.queued, 0) === 13;
    });
    const status = Object.fromEntries((await queue.status()).map((s) => [s.queue, s]));
    // 10 of tournament 7 in 4 + 4 + 2, tournament 8's alone; each challenge in its own job.
    expect(status['throwdown-tournament']).toMatchObject({ queued: 11, queuedJobs: 4 });
    expect(status['throwdown-challenge']).toMatchObject({ queued: 2, queuedJobs: 2 });

    const bundles: string[][] = [];
    const controller = new AbortController();
    const worker = runMatchWorker({
      queue,
      capacity: 4,
      handle: async (taken) => {
        bundles.push(taken.map((j) => j.key));
        return taken.map(answer);
      },
      signal: controller.signal,
      logger: silentLogger,
    });
    expect(await outcomes).toEqual(jobs.map(answer));
    controller.abort();
    expect(await worker).toEqual({ completed: 13, failed: 0 });
    expect(bundles.map((b) => b.length).sort()).toEqual([1, 1, 1, 2, 4, 4]);
    for (const b of bundles) expect(new Set(b.map((k) => k.split(':')[1])).size).toBe(1);
  });

  it('a match of a bundle that fails on every attempt ends failed alone: the others keep their results, and a retry sees only the retry flag set', async () => {
    const queue = await openPgBossQueue({
      url: url!,
      logger: silentLogger,
      tuning: { bundleSize: 3, bundleLingerMs: 50, resultPollMs: 20 },
    });
    closers.push(() => queue.close());
    const jobs = [job('tournament:9:ok0', 9), job('tournament:9:bad', 9), job('tournament:9:ok1', 9)];
    const outcomes = Promise.all(jobs.map((j) => queue.matches.run(j)));
    const attempts: { keys: string[]; retry: boolean }[] = [];
    const controller = new AbortController();
    const worker = runMatchWorker({
      queue,
      capacity: 3,
      handle: async (taken, meta) => {
        attempts.push({ keys: taken.map((j) => j.key), retry: meta.retry });
        return taken.map((j) =>
          j.key.endsWith('bad') ? { kind: 'retry', reason: 'the sandbox process was lost' } : answer(j),
        );
      },
      signal: controller.signal,
      logger: silentLogger,
    });
    expect(await outcomes).toEqual([
      answer(jobs[0]!),
      { kind: 'failed', reason: 'the sandbox process was lost' },
      answer(jobs[2]!),
    ]);
    controller.abort();
    await worker;
    // The first attempt and retryLimit (2) more, each of the whole bundle (the real handler skips
    // what an earlier attempt stored: test/engine/match-jobs.test.ts).
    expect(attempts.map((a) => a.retry)).toEqual([false, true, true]);
    for (const a of attempts) expect(a.keys).toEqual(jobs.map((j) => j.key));
  });

  it('idle() resolves once every match the service queued has its outcome, not before (what a stopping service waits for)', async () => {
    const queue = await openPgBossQueue({
      url: url!,
      logger: silentLogger,
      tuning: { bundleLingerMs: 20, resultPollMs: 20 },
    });
    closers.push(() => queue.close());
    expect(await Promise.race([queue.idle().then(() => 'idle'), sleep(200).then(() => 'busy')])).toBe('idle');
    const outcomes = Promise.all([
      queue.matches.run(job('challenge:drain')),
      queue.matches.run(job('tournament:5:m0', 5)),
    ]);
    let idle = false;
    const settled = queue.idle().then(() => {
      idle = true;
    });
    await sleep(300);
    expect(idle).toBe(false);
    const controller = new AbortController();
    const worker = runMatchWorker({
      queue,
      capacity: 2,
      handle: async (taken) => taken.map(answer),
      signal: controller.signal,
      logger: silentLogger,
    });
    await settled;
    expect(await outcomes).toEqual([answer(job('challenge:drain')), answer(job('tournament:5:m0', 5))]);
    controller.abort();
    await worker;
  });

  it('a bare job queued by a service from before bundles is still played and answered in its own shape', async () => {
    const queue = await openPgBossQueue({ url: url!, logger: silentLogger, tuning: { idlePollMs: 20 } });
    closers.push(() => queue.close());
    const bare = job('challenge:old');
    const id = await queue.boss.send('throwdown-challenge', bare);
    const controller = new AbortController();
    const seen: string[][] = [];
    const worker = runMatchWorker({
      queue,
      capacity: 1,
      handle: async (taken) => {
        seen.push(taken.map((j) => j.key));
        return taken.map(answer);
      },
      signal: controller.signal,
      logger: silentLogger,
    });
    await waitFor(
      async () => (await queue.boss.getJobById('throwdown-challenge', id!))?.state === 'completed',
    );
    controller.abort();
    await worker;
    expect(seen).toEqual([['challenge:old']]);
    expect((await queue.boss.getJobById('throwdown-challenge', id!))?.output).toEqual(answer(bare));
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in 10 s');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
