import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/util/logger.js';
import { runTournamentBench, scratchDatabase, type TournamentBenchFigures } from './tournament.js';

/**
 * The match queue's figures (issue 15, docs/scaling.md): a round robin played in-process with 1
 * and 2 sandbox processes and through the queue with 1 and 2 `throwdown worker` processes (one
 * sandbox process each), all on a scratch PostgreSQL database; and the queue alone (pg-boss
 * send + fetch + complete of empty jobs). Per-match overhead = wall x processes / matches minus
 * the play time of a match (measured in-process). Everything shares this machine's CPUs with the
 * PostgreSQL server, so the figures are a floor for a real deployment, not a ceiling.
 *
 * Run: npm run build && node dist/bench/queue.js [--bots 64]
 */
export interface QueueBenchFigures {
  runs: TournamentBenchFigures[];
  /** Empty jobs through pg-boss per second: sent one by one, then fetched and completed one by one. */
  queueJobsPerSecond: { send: number; fetchComplete: number };
}

export async function runQueueBench(options: { bots?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const bots = options.bots ?? 64;
  const runs: TournamentBenchFigures[] = [];
  for (const workers of [1, 2]) {
    log(`in-process, ${workers} sandbox process(es)…`);
    runs.push(await runTournamentBench({ bots, workers }));
  }
  for (const queueWorkers of [1, 2]) {
    log(`queue, ${queueWorkers} worker process(es)…`);
    runs.push(await runTournamentBench({ bots, workers: 1, queueWorkers }));
  }
  return { runs, queueJobsPerSecond: await rawQueue(300) } satisfies QueueBenchFigures;
}

/** pg-boss alone: `n` empty jobs sent, then fetched and completed, one at a time. */
async function rawQueue(n: number): Promise<QueueBenchFigures['queueJobsPerSecond']> {
  const { openPgBossQueue } = await import('../src/queue/pgboss.js');
  const server =
    process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const { database, url, drop } = await scratchDatabase(server);
  if (!url) throw new Error('the queue benchmark needs a PostgreSQL server');
  const queue = await openPgBossQueue({ url, logger: silentLogger });
  try {
    const name = 'throwdown-challenge';
    let started = performance.now();
    for (let i = 0; i < n; i++) await queue.boss.send(name, { i });
    const send = n / ((performance.now() - started) / 1000);
    started = performance.now();
    let done = 0;
    while (done < n) {
      const [job] = await queue.boss.fetch(name);
      if (!job) break;
      await queue.boss.complete(name, job.id, { ok: true });
      done++;
    }
    const fetchComplete = done / ((performance.now() - started) / 1000);
    return { send, fetchComplete };
  } finally {
    await queue.close();
    await database.close();
    await drop();
  }
}

export function queueRows(f: QueueBenchFigures): { what: string; value: number; unit: string }[] {
  const rows = f.runs.map((r) => ({
    what: `${r.bots}-bot round robin, ${r.mode}, ${r.workers} process(es): ${r.matches} matches`,
    value: r.matchesPerSecond,
    unit: '/s',
  }));
  for (const r of f.runs) {
    if (r.rowWritesPerMatch !== null) {
      rows.push({
        what: `  ${r.mode}, ${r.workers} process(es): rows written per match`,
        value: r.rowWritesPerMatch,
        unit: '',
      });
      rows.push({
        what: `  ${r.mode}, ${r.workers} process(es): transactions per match`,
        value: r.commitsPerMatch ?? 0,
        unit: '',
      });
    }
    rows.push({
      what: `  ${r.mode}, ${r.workers} process(es): overhead per match beyond ${r.playMsPerMatch.toFixed(1)} ms of play`,
      value: r.overheadPerMatchMs,
      unit: 'ms',
    });
    rows.push({
      what: `  ${r.mode}, ${r.workers} process(es): share of wall time outside play`,
      value: r.outsidePlayShare * 100,
      unit: '%',
    });
  }
  rows.push({ what: 'pg-boss alone: send, one job at a time', value: f.queueJobsPerSecond.send, unit: '/s' });
  rows.push({
    what: 'pg-boss alone: fetch + complete, one at a time',
    value: f.queueJobsPerSecond.fetchComplete,
    unit: '/s',
  });
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--bots');
  const figures = await runQueueBench({
    bots: i >= 0 ? Number(process.argv[i + 1]) : undefined,
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  for (const row of queueRows(figures)) {
    process.stdout.write(
      `${row.what.padEnd(90)} ${String(Math.round(row.value * 100) / 100).padStart(9)} ${row.unit}\n`,
    );
  }
}
