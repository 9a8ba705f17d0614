import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { generateStrategyBots } from '../scripts/bots/strategy-bots.js';
import { createDatabase, type Database } from '../src/db/client.js';
import { createRepos } from '../src/db/repos/index.js';
import { matches } from '../src/db/schema.js';
import { DEFAULT_PAIR_CAP } from '../src/engine/rating-cap.js';
import { newSeed } from '../src/engine/seeds.js';
import { createTournamentService, MemoryAnnouncer } from '../src/engine/tournaments/index.js';
import { openPgBossQueue, type PgBossQueue } from '../src/queue/pgboss.js';
import { MATCHES_IN_FLIGHT_PER_PROCESS, QUEUED_MATCHES_IN_FLIGHT } from '../src/sandbox/in-flight.js';
import { sha256Hex } from '../src/sandbox/prepare/artifact.js';
import { createSandbox } from '../src/sandbox/sandbox.js';
import type { Sandbox } from '../src/sandbox/types.js';
import { silentLogger } from '../src/util/logger.js';

/**
 * A 64-bot round robin of 1000-round matches (2016 matches) through the whole tournament path:
 * bots generated from the repo's strategies (`generateStrategyBots`, WAT components), stored in
 * a real database, a tournament created and run by the tournament service (the runner, its
 * lease, a commit and a rating update per match) in the real sandbox with one match worker per
 * CPU. Preparing the bots (as uploads would) is timed apart; the target is for the tournament.
 *
 * Run: npm run build && node dist/bench/tournament.js [--bots 64] [--rounds 1000] [--concurrency N]
 * The database is a scratch one on DATABASE_URL / TEST_DATABASE_URL (default: the local
 * PostgreSQL), created and dropped here; without a server it falls back to PGlite (slower).
 */
export interface TournamentBenchOptions {
  bots?: number;
  rounds?: number;
  seed?: string | number;
  /** Sandbox match workers (default: one per CPU). */
  workers?: number;
  /** Matches of the tournament in flight at once (default: as the service, MATCHES_IN_FLIGHT_PER_PROCESS per worker). */
  concurrency?: number;
  /** A postgres:// URL of a server to create the scratch database on. */
  serverUrl?: string;
  log?: (line: string) => void;
  /**
   * Play through the match queue: this many `throwdown worker` processes (one sandbox process
   * each) on the scratch database; `workers` is then only the service's own pool (uploads).
   */
  queueWorkers?: number;
}

export interface TournamentBenchFigures {
  bots: number;
  matches: number;
  rounds: number;
  workers: number;
  concurrency: number;
  database: 'postgres' | 'pglite';
  /** Validating, preparing and storing the bots (not part of the tournament). */
  prepareMs: number;
  /** From starting the tournament to its last result stored and the results announced. */
  wallMs: number;
  matchesPerSecond: number;
  /** Worker time per match: wall time x workers / matches. */
  perMatchMs: number;
  /** Mean of each match's own play time in its worker (both bots' start-up and moves). */
  meanBotTimeMs: number;
  /** Rows inserted, updated or deleted in the database per match (pg_stat_database; null on PGlite). */
  rowWritesPerMatch: number | null;
  /** Transactions committed per match, reads included (each statement outside a transaction is one). */
  commitsPerMatch: number | null;
  /** Whole-match play time in the sandbox, per match (in-process: measured here; queue: the workers' logs). */
  playMsPerMatch: number;
  /** Share of the sandbox processes' wall time not spent playing: 1 - play time / (wall x processes). */
  outsidePlayShare: number;
  /** Wall time x processes / matches, minus the bots' own time: what each match costs beyond play. */
  overheadPerMatchMs: number;
  mode: 'in-process' | 'queue';
  targetMs: number;
}

export const TARGET_MS = 30_000;
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

export async function scratchDatabase(
  serverUrl: string,
): Promise<{ database: Database; url: string | null; drop: () => Promise<void> }> {
  const admin = postgres(serverUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch {
    await admin.end({ timeout: 1 }).catch(() => {});
    const dir = await mkdtemp(path.join(tmpdir(), 'throwdown-bench-db-'));
    const database = await createDatabase({ dataDir: dir });
    return { database, url: null, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `throwdown_bench_${process.pid}`;
  await admin`drop database if exists ${admin(name)} with (force)`;
  await admin`create database ${admin(name)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await createDatabase({ url: url.toString(), dataDir: '' });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end({ timeout: 5 });
    },
  };
}

export async function runTournamentBench(
  options: TournamentBenchOptions = {},
): Promise<TournamentBenchFigures> {
  const log = options.log ?? (() => {});
  const count = options.bots ?? 64;
  const rounds = options.rounds ?? 1000;
  const workers = options.workers ?? Math.max(1, availableParallelism());
  // Through the queue a job also waits for a worker's fetch and the service's poll: keep more in flight.
  // Both as the service does (src/sandbox/in-flight.ts).
  const concurrency =
    options.concurrency ??
    (options.queueWorkers === undefined ? workers * MATCHES_IN_FLIGHT_PER_PROCESS : QUEUED_MATCHES_IN_FLIGHT);
  const serverUrl =
    options.serverUrl ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_SERVER;

  const generated = await generateStrategyBots(count, options.seed ?? 1);
  const { database, url, drop } = await scratchDatabase(serverUrl);
  const queued = options.queueWorkers !== undefined;
  if (queued && !url) throw new Error('the queue benchmark needs a PostgreSQL server');
  let queue: PgBossQueue | null = null;
  const children: ChildProcess[] = [];
  /** Each queue worker's play time so far, from its log. */
  const workerPlayMs: (() => number)[] = [];
  const stopWorkers = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.on('exit', resolve))),
      ),
    );
  };
  const artifacts = await mkdtemp(path.join(tmpdir(), 'throwdown-bench-artifacts-'));
  const sandbox = createSandbox({ artifactsDir: artifacts, workers });
  try {
    const repos = createRepos(database.db);
    const guild = await repos.guilds.upsert({ id: 'bench', name: 'Benchmark' });
    const prepareStarted = performance.now();
    for (const [i, bot] of generated.entries()) {
      const report = await sandbox.check(bot.component);
      if (!report.ok) throw new Error(`${bot.name}: ${report.error.message}`);
      const owner = await repos.players.upsert({
        guildId: guild.id,
        userId: `owner-${i}`,
        displayName: `owner${i}`,
      });
      const wasm = new Uint8Array(bot.component);
      await repos.bots.submit({
        guildId: guild.id,
        ownerId: owner.id,
        name: bot.name,
        wasm,
        sha256: sha256Hex(wasm),
        meta: { interfaceKind: 'component', imports: report.value.imports, validation: { ok: true } },
      });
    }
    const prepareMs = performance.now() - prepareStarted;
    log(`${count} bots prepared and stored in ${Math.round(prepareMs)} ms (${database.driver})`);

    if (queued) {
      queue = await openPgBossQueue({ url: url!, logger: silentLogger });
      // Warm workers, as in a deployment (they run for days) and as the in-process pool is here:
      // started, and with the bots prepared in their artifact cache, before the clock starts.
      // Starting a worker and preparing 64 bots cold takes it ~1-2 s more (docs/scaling.md).
      const started = [];
      for (let i = 0; i < options.queueWorkers!; i++) {
        const worker = await startWorker(url!, artifacts, i);
        children.push(worker.child);
        workerPlayMs.push(worker.playMs);
        started.push(worker.ready);
      }
      await Promise.all(started);
      log(`${options.queueWorkers} queue workers ready`);
    }
    const announcer = new MemoryAnnouncer();
    // Play time as the worker measures it (the whole match: instantiation, host loop, both bots).
    let playMsTotal = 0;
    const counted: Sandbox = {
      check: (bytes, o) => sandbox.check(bytes, o),
      play: async (request) => {
        const played = await sandbox.play(request);
        if (played.ok) playMsTotal += played.value.timing.totalMillis;
        return played;
      },
      close: () => sandbox.close(),
    };
    const service = createTournamentService({
      deps: {
        repos,
        sandbox: counted,
        limits: sandbox.limits,
        defaultRounds: rounds,
        ratingCap: DEFAULT_PAIR_CAP,
        now: () => new Date(),
        newSeed,
        logger: silentLogger,
        ...(queue ? { matchQueue: queue.matches } : {}),
      },
      announcer,
      concurrency,
    });
    const statsBefore = await dbStats(database);
    const started = performance.now();
    const created = await service.startNow({
      guildId: guild.id,
      channelId: null,
      startedBy: 'bench',
      rounds,
    });
    if (!created.ok) throw new Error(created.error.message);
    const end = await service.waitFor(created.value.id);
    const wallMs = performance.now() - started;
    await service.stop();
    if (end !== 'finished') throw new Error(`the tournament ended ${end}`);

    const stored = await database.db
      .select({ w0: matches.wallMicros0, w1: matches.wallMicros1 })
      .from(matches)
      .where(eq(matches.tournamentId, created.value.id));
    if (stored.length !== created.value.totalMatches) {
      throw new Error(`${stored.length} matches stored, ${created.value.totalMatches} expected`);
    }
    const n = stored.length;
    const statsAfter = await dbStats(database);
    const processes = queued ? options.queueWorkers! : workers;
    // Through the queue the matches are played in the workers: their play time is what the
    // workers log for each bundle (the same sandbox timing as in-process), read once they stopped.
    await stopWorkers();
    const playMs = queued ? workerPlayMs.reduce((sum, read) => sum + read(), 0) : playMsTotal;
    return {
      playMsPerMatch: playMs / n,
      mode: queued ? 'queue' : 'in-process',
      rowWritesPerMatch: statsAfter && statsBefore ? (statsAfter.writes - statsBefore.writes) / n : null,
      commitsPerMatch: statsAfter && statsBefore ? (statsAfter.commits - statsBefore.commits) / n : null,
      outsidePlayShare: 1 - playMs / (wallMs * processes),
      overheadPerMatchMs: (wallMs * processes) / n - playMs / n,
      bots: count,
      matches: n,
      rounds,
      workers: processes,
      concurrency,
      database: database.driver,
      prepareMs,
      wallMs,
      matchesPerSecond: n / (wallMs / 1000),
      perMatchMs: (wallMs * processes) / n,
      meanBotTimeMs: stored.reduce((sum, m) => sum + m.w0 + m.w1, 0) / n / 1000,
      targetMs: TARGET_MS,
    };
  } finally {
    await stopWorkers();
    await queue?.close();
    await sandbox.close();
    await database.close();
    await drop();
    await rm(artifacts, { recursive: true, force: true });
  }
}

/** The scratch database's write and commit counters (after PostgreSQL has flushed its statistics). */
async function dbStats(database: Database): Promise<{ writes: number; commits: number } | null> {
  if (database.driver !== 'postgres') return null;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rows = (await database.db.execute(
    sql`select tup_inserted + tup_updated + tup_deleted as writes, xact_commit as commits from pg_stat_database where datname = current_database()`,
  )) as unknown as { writes: string; commits: string }[];
  const row = rows[0];
  return row ? { writes: Number(row.writes), commits: Number(row.commits) } : null;
}

/**
 * A `throwdown worker` with one sandbox process, on the scratch database, its artifact cache a
 * copy of the bench's (the bots already prepared); `ready` resolves once it takes jobs.
 */
async function startWorker(
  url: string,
  dir: string,
  n: number,
): Promise<{ child: ChildProcess; ready: Promise<void>; playMs: () => number }> {
  const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/main.js');
  const dataDir = path.join(dir, `worker-${n}`);
  const cache = path.join(dataDir, 'cache', 'artifacts');
  await mkdir(cache, { recursive: true });
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith('worker-'))
      await cp(path.join(dir, entry), path.join(cache, entry), { recursive: true });
  }
  const child = spawn(process.execPath, [main, 'worker'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      THROWDOWN_DATA_DIR: dataDir,
      THROWDOWN_SANDBOX_WORKERS: '1',
      THROWDOWN_LOG_LEVEL: 'info',
      ...(process.env.BENCH_WORKER_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS }
        : {}),
    },
  });
  // The log (stderr): its start line says the worker takes jobs; each bundle's line its play time.
  let playMs = 0;
  let pending = '';
  let started: () => void = () => {};
  child.stderr!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('worker started')) started();
      const played = /\bplayMs=([\d.]+)/.exec(line);
      if (played) playMs += Number(played[1]);
    }
  });
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    child.once('exit', (code) => reject(new Error(`worker ${n} exited (${code}) before it started`)));
  });
  return { child, ready, playMs: () => playMs };
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await runTournamentBench({
    bots: flag('bots'),
    rounds: flag('rounds'),
    concurrency: flag('concurrency'),
    workers: flag('workers'),
    queueWorkers: flag('queue-workers'),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  const r = (x: number) => Math.round(x * 100) / 100;
  process.stdout.write(
    `${figures.bots}-bot round robin, ${figures.matches} matches of ${figures.rounds} rounds, ` +
      `${figures.workers} workers, ${figures.concurrency} in flight, ${figures.database}:\n` +
      `  wall ${r(figures.wallMs / 1000)} s (target <= ${figures.targetMs / 1000} s: ${figures.wallMs <= figures.targetMs ? 'met' : 'MISSED'})\n` +
      `  ${r(figures.matchesPerSecond)} matches/s, ${r(figures.perMatchMs)} ms of worker time per match, ` +
      `${r(figures.meanBotTimeMs)} ms of it in the bots\n` +
      `  ${figures.mode}: ${r(figures.playMsPerMatch)} ms of play per match, ${r(figures.outsidePlayShare * 100)}% of the wall time outside play, ${r(figures.overheadPerMatchMs)} ms overhead per match\n` +
      `  ${figures.rowWritesPerMatch?.toFixed(1)} rows written and ${figures.commitsPerMatch?.toFixed(1)} transactions per match\n` +
      `  preparing the bots beforehand: ${r(figures.prepareMs / 1000)} s\n`,
  );
}
