import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, eq, inArray, like } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { matches, ratingHistory, ratings } from '../../src/db/schema.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import { nextPairings } from '../../src/engine/formats/index.js';
import { createEngine } from '../../src/engine/index.js';
import { submitBot } from '../../src/engine/submit.js';
import { createTournament } from '../../src/engine/tournaments/create.js';
import { createTournamentService, MemoryAnnouncer } from '../../src/engine/tournaments/index.js';
import { initialState } from '../../src/engine/tournaments/rebuild.js';
import { openPgBossQueue, type PgBossQueue } from '../../src/queue/pgboss.js';
import type { MatchBundle } from '../../src/queue/types.js';
import { useTestDatabase } from '../support/database.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { root } from '../support/shell.js';
import { engineDeps, FAST_BOTS } from '../support/tournaments.js';

// Issue 15: matches as jobs. Two service instances (engines with their own queue connection) and
// three `throwdown worker` processes share a 16-bot round robin and 20 concurrent challenges; one
// worker is SIGKILLed mid-way. Every match must be stored exactly once, and the ratings must be
// the ones a single process gets from the same seeds (a second database, in-process matches).
const distributed = await useTestDatabase();
const reference = await useTestDatabase();
const sandbox = useSandbox();
const MAIN = path.join(root, 'dist/src/main.js');
const SEED = 'issue-15-seed';
// Long enough (tens of ms a match) that the worker killed below is inside a match.
const ROUNDS = 2000;
const GUILD = { id: '150000000000000001', name: 'Scale guild' };
const players = Array.from({ length: 16 }, (_, i) => ({
  userId: String(250000000000000000n + BigInt(i + 1)),
  displayName: `p${i + 1}`,
}));
const scratch = mkdtempSync(path.join(tmpdir(), 'throwdown-scale-'));
const workers: ChildProcess[] = [];
const queues: PgBossQueue[] = [];
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.pid) killGroup(w, 'SIGKILL');
  for (const q of queues) await q.close().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** A `throwdown worker` process (its own process group: SIGKILL takes its sandbox with it). */
function startWorker(url: string, n: number) {
  const child = spawn(process.execPath, [MAIN, 'worker'], {
    cwd: scratch,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      THROWDOWN_DATA_DIR: path.join(scratch, `worker-${n}`),
      THROWDOWN_SANDBOX_WORKERS: '1',
      THROWDOWN_LOG_LEVEL: 'debug',
    },
  });
  workers.push(child);
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, output: () => output };
}

/** The same 16 bots, uploaded in the same order by the same players: the same ids in both databases. */
async function sixteenBots(deps: EngineDeps) {
  const out = [];
  for (const [i, player] of players.entries()) {
    const file = FAST_BOTS[i % FAST_BOTS.length]!;
    const submitted = await submitBot(deps, {
      guild: GUILD,
      player,
      name: `b${i + 1}`,
      bytes: botBytes(file),
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    out.push(submitted.value.bot);
  }
  return out;
}

async function finalRatings(db: Db, botIds: readonly number[]) {
  const rows = await db
    .select({ botId: ratings.botId, mu: ratings.mu, sigma: ratings.sigma, played: ratings.played })
    .from(ratings)
    .where(inArray(ratings.botId, [...botIds]))
    .orderBy(asc(ratings.botId));
  return rows;
}

async function waitFinished(deps: EngineDeps, id: number, timeoutMs: number) {
  await vi.waitFor(async () => expect((await deps.repos.tournaments.get(id))?.status).toBe('finished'), {
    timeout: timeoutMs,
    interval: 200,
  });
}

describe.skipIf(distributed.driver !== 'postgres')('matches on the queue', () => {
  it('two services and three workers (one SIGKILLed) store every match once, with the ratings of a single process', async () => {
    // The single-process run: same bots, same tournament seed, matches in this process's sandbox.
    const refDeps = engineDeps(reference.db, sandbox);
    const refBots = await sixteenBots(refDeps);
    const refT = await createTournament(refDeps, {
      guildId: GUILD.id,
      channelId: 'c',
      rounds: ROUNDS,
      startedBy: 'a',
      seed: SEED,
    });
    if (!refT.ok) throw new Error(refT.error.message);
    const single = createTournamentService({
      deps: refDeps,
      announcer: new MemoryAnnouncer(),
      concurrency: 2,
      pollMs: 200,
      progressIntervalMs: 0,
    });
    await single.start();
    await waitFinished(refDeps, refT.value.id, 240_000);
    await single.stop();

    // The distributed run.
    const url = distributed.url!;
    const base = engineDeps(distributed.db, sandbox);
    const bots = await sixteenBots(base);
    expect(bots.map((b) => b.id)).toEqual(refBots.map((b) => b.id));
    const instances: {
      deps: EngineDeps;
      engine: ReturnType<typeof createEngine>;
      service: ReturnType<typeof createTournamentService>;
    }[] = [];
    for (let i = 0; i < 2; i++) {
      const queue = await openPgBossQueue({ url, logger: base.logger });
      queues.push(queue);
      const deps: EngineDeps = { ...base, matchQueue: queue.matches };
      const service = createTournamentService({
        deps,
        announcer: new MemoryAnnouncer(),
        concurrency: 16,
        leaseMs: 5000,
        pollMs: 300,
        progressIntervalMs: 0,
        owner: `service-${i}`,
      });
      instances.push({ deps, engine: createEngine(deps), service });
    }
    const created = await createTournament(base, {
      guildId: GUILD.id,
      channelId: 'c',
      rounds: ROUNDS,
      startedBy: 'a',
      seed: SEED,
    });
    if (!created.ok) throw new Error(created.error.message);
    const t = created.value;
    const allKeys = nextPairings(initialState(t))
      .map((p) => p.key)
      .sort();
    expect(allKeys).toHaveLength(120);

    const running = [0, 1, 2].map((n) => startWorker(url, n));
    for (const s of instances) await s.service.start();
    // 20 challenges at once, half through each instance: 60-round practice matches (unrated).
    const challenges = Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        instances[i % 2]!.engine.challenge({
          guild: GUILD,
          challenger: players[i % 16]!,
          opponent: players[(i + 5) % 16]!,
          rounds: 60,
        }),
      ),
    );

    // Kill one worker and its sandbox in the middle of a bundle of tournament matches: right
    // after it logs that it took one (its log is read as it comes; a bundle is named by its first
    // match's key).
    await vi.waitFor(
      async () => expect(await base.repos.tournaments.resultCount(t.id)).toBeGreaterThanOrEqual(10),
      { timeout: 120_000, interval: 20 },
    );
    const victim = running[0]!;
    const seen = victim.output().length;
    const held = await vi.waitFor(
      () => {
        const line = victim
          .output()
          .slice(seen)
          .split('\n')
          .find((l) => l.includes('match job started') && l.includes('tournament:'));
        const key = line?.match(/ first=(\S+)/)?.[1];
        expect(key).toBeDefined();
        return key!;
      },
      { timeout: 60_000, interval: 1 },
    );
    killGroup(victim.child, 'SIGKILL');
    expect(await victim.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const answered = await challenges;
    for (const c of answered) expect(c.ok, c.ok ? '' : c.error.message).toBe(true);
    await waitFinished(base, t.id, 300_000);

    // Every pairing once, under its job key; rated exactly once per match (2 rows each).
    const stored = await distributed.db.select().from(matches).where(eq(matches.tournamentId, t.id));
    expect(stored.map((m) => m.pairingKey!).sort()).toEqual(allKeys);
    expect(new Set(stored.map((m) => m.matchKey)).size).toBe(120);
    for (const m of stored) expect(m.matchKey).toBe(`tournament:${t.id}:${m.pairingKey}`);
    const history = await distributed.db
      .select()
      .from(ratingHistory)
      .where(
        inArray(
          ratingHistory.matchId,
          stored.map((m) => m.id),
        ),
      );
    expect(history).toHaveLength(240);
    // The challenges: 20 matches, each once, none rated (practice length).
    const challengeRows = await distributed.db
      .select()
      .from(matches)
      .where(like(matches.matchKey, 'challenge:%'));
    expect(challengeRows).toHaveLength(20);
    expect(new Set(answered.map((c) => (c.ok ? c.value.match.id : -1)))).toEqual(
      new Set(challengeRows.map((m) => m.id)),
    );
    // The same matches as the single process (seeds derive from the tournament's), and the same ratings.
    const refStored = await reference.db
      .select()
      .from(matches)
      .where(eq(matches.tournamentId, refT.value.id));
    const outcome = (rows: typeof stored) =>
      Object.fromEntries(rows.map((m) => [m.pairingKey, [m.seed, m.winnerSeat, m.score, m.fuel0, m.fuel1]]));
    expect(outcome(stored)).toEqual(outcome(refStored));
    const ids = bots.map((b) => b.id);
    expect(await finalRatings(distributed.db, ids)).toEqual(await finalRatings(reference.db, ids));

    // The bundle the killed worker held was taken over after its lease (unless it had just
    // finished it), and its retry stored only what the killed attempt had not.
    const finished = victim
      .output()
      .split('\n')
      .some((l) => l.includes('match job done') && l.includes(` first=${held} `));
    expect(finished, 'the worker was killed inside a bundle').toBe(false);
    const jobs = await queues[0]!.boss.findJobs<MatchBundle>('throwdown-tournament', { limit: 100_000 });
    expect(jobs.filter((j) => j.data.jobs[0]?.key === held).map((j) => j.retryCount)).toEqual([1]);

    for (const s of instances) await s.service.stop();
    // The survivors stop cleanly on SIGTERM.
    for (const w of running.slice(1)) killGroup(w.child, 'SIGTERM');
    for (const w of running.slice(1)) expect(await w.exit, w.output()).toEqual({ code: 0, signal: null });
  }, 600_000);
});
