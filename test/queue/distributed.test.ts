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
import { submitBot } from '../../src/engine/submit.js';
import { createTournament } from '../../src/engine/tournaments/create.js';
import { createTournamentService, MemoryAnnouncer } from '../../src/engine/tournaments/index.js';
import { initialState } from '../../src/engine/tournaments/rebuild.js';
import { openPgBossQueue, type PgBossQueue } from '../../src/queue/pgboss.js';
import type { MatchBundle } from '../../src/queue/types.js';
import { answered, embedText } from '../discord/harness.js';
import { useTestDatabase } from '../support/database.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord/index.js';
import { botBytes, useSandbox } from '../support/sandbox.js';
import { root } from '../support/shell.js';
import { engineDeps, FAST_BOTS } from '../support/tournaments.js';

// Issue 15: matches as jobs, all of it in real processes. Two service processes
// (`node dist/src/main.js`, Discord over the HTTP interactions endpoint behind the fake's load
// balancer, THROWDOWN_MATCH_QUEUE=pgboss) and three `throwdown worker` processes share a 16-bot
// round robin and 20 concurrent /challenge interactions; one worker is SIGKILLed inside a bundle.
// Every match must be stored exactly once, the results announced once, and the ratings must be
// the ones a single process gets from the same seeds (a second database, in-process matches).
// Needs an up-to-date dist/ (`npm test` builds it).
const distributed = await useTestDatabase();
const reference = await useTestDatabase();
const sandbox = useSandbox();
const MAIN = path.join(root, 'dist/src/main.js');
const SEED = 'issue-15-seed';
// Long enough (tens of ms a match) that the worker killed below is inside a match.
const ROUNDS = 2000;
const fake: FakeDiscord = await startFakeDiscord();
const users = Array.from({ length: 16 }, (_, i) => fake.addUser(`p${i + 1}`));
const fakeGuild = fake.addGuild({ name: 'Scale guild', members: users });
const GUILD = { id: fakeGuild.id, name: fakeGuild.name };
const CHANNEL = fakeGuild.channelIds[0]!;
const players = users.map((u) => ({ userId: u.id, displayName: u.username }));
const scratch = mkdtempSync(path.join(tmpdir(), 'throwdown-scale-'));
const children: ChildProcess[] = [];
const queues: PgBossQueue[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.pid) killGroup(c, 'SIGKILL');
  for (const q of queues) await q.close().catch(() => {});
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** A process of ours (its own process group: SIGKILL takes its sandbox with it), its log kept. */
function startProcess(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: scratch,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, THROWDOWN_SANDBOX_WORKERS: '1', THROWDOWN_LOG_LEVEL: 'debug', ...env },
  });
  children.push(child);
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

/** A `throwdown worker`: the database and nothing else. */
function startWorker(url: string, n: number) {
  return startProcess(['worker'], {
    DATABASE_URL: url,
    THROWDOWN_DATA_DIR: path.join(scratch, `worker-${n}`),
  });
}

/** A service instance as `npm start` runs it: Discord over the HTTP interactions endpoint, matches on the queue. */
function startService(url: string, n: number) {
  return startProcess([], {
    DATABASE_URL: url,
    THROWDOWN_DATA_DIR: path.join(scratch, `service-${n}`),
    THROWDOWN_MATCH_QUEUE: 'pgboss',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_REST_URL: fake.restUrl,
    DISCORD_ATTACHMENT_HOSTS: fake.cdnOrigin(),
    DISCORD_INTERACTIONS: 'http',
    DISCORD_PUBLIC_KEY: fake.publicKey,
    THROWDOWN_HTTP_PORT: '0',
  });
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
  it('two service processes (Discord over HTTP) and three worker processes (one SIGKILLed) store every match once, announce the results once, with the ratings of a single process', async () => {
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

    // The distributed run: the bots and the tournament (pending) are stored first; a service
    // process claims the tournament when it starts, as it would one a crashed process left.
    const url = distributed.url!;
    const base = engineDeps(distributed.db, sandbox);
    const bots = await sixteenBots(base);
    expect(bots.map((b) => b.id)).toEqual(refBots.map((b) => b.id));
    const created = await createTournament(base, {
      guildId: GUILD.id,
      channelId: CHANNEL,
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
    // This test's own view of the queue (the findJobs at the end).
    const queue = await openPgBossQueue({ url, logger: base.logger });
    queues.push(queue);

    const running = [0, 1, 2].map((n) => startWorker(url, n));
    const services = [0, 1].map((n) => startService(url, n));
    const endpoints: string[] = [];
    for (const service of services) {
      const line = await fake.waitFor(
        () => /interactions endpoint listening .*url=(\S+)/.exec(service.output()),
        60_000,
        'the endpoint to listen',
      );
      endpoints.push(line[1]!);
    }
    fake.useInteractionsEndpoint(...endpoints);
    // 20 challenges at once, delivered alternately to the two processes: 60-round practice
    // matches (unrated).
    const handles = Array.from({ length: 20 }, (_, i) =>
      fake.sendChatInput({
        name: 'challenge',
        guildId: GUILD.id,
        user: users[i % 16],
        options: { opponent: users[(i + 5) % 16]!, rounds: 60 },
      }),
    );
    const challenges = Promise.all(handles.map((h) => answered(fake, h, 240_000)));

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
    const answers = await challenges;
    const delivered = await Promise.all(handles.map((h) => h.delivered()));
    // Both processes answered challenges (the fake's load balancer alternates).
    expect(new Set(delivered.map((d) => d.url))).toEqual(new Set(endpoints));
    for (const [i, answer] of answers.entries()) {
      expect(embedText(answer.message), `challenge ${i}`).toContain(`b${(i % 16) + 1}`);
      expect(embedText(answer.message), `challenge ${i}`).toContain(`b${((i + 5) % 16) + 1}`);
    }
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
    const jobs = await queue.boss.findJobs<MatchBundle>('throwdown-tournament', { limit: 100_000 });
    expect(jobs.filter((j) => j.data.jobs[0]?.key === held).map((j) => j.retryCount)).toEqual([1]);

    // The results were announced once, by whichever process finished the tournament.
    await vi.waitFor(
      () =>
        expect(
          fake
            .channelMessages(CHANNEL)
            .filter((m) => /tournament #\d+: results$/.test(m.embeds[0]?.title ?? '')),
        ).toHaveLength(1),
      { timeout: 30_000, interval: 100 },
    );

    // `throwdown worker --status`: both queues, drained.
    const status = startProcess(['worker', '--status'], {
      DATABASE_URL: url,
      THROWDOWN_DATA_DIR: path.join(scratch, 'status'),
    });
    expect(await status.exit, status.output()).toEqual({ code: 0, signal: null });
    expect(status.output()).toMatch(/^throwdown-challenge +queued +0 in +0 jobs +active/m);
    expect(status.output()).toMatch(/^throwdown-tournament +queued +0 in +0 jobs +active/m);

    // Everyone stops cleanly on SIGTERM.
    fake.useInteractionsEndpoint();
    for (const p of [...services, ...running.slice(1)]) killGroup(p.child, 'SIGTERM');
    for (const p of [...services, ...running.slice(1)])
      expect(await p.exit, p.output()).toEqual({ code: 0, signal: null });
    for (const p of services) expect(p.output()).not.toContain(fake.token);
  }, 600_000);
});
