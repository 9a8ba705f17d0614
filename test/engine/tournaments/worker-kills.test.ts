import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { matches } from '../../../src/db/schema.js';
import { nextPairings } from '../../../src/engine/formats/index.js';
import { MemoryAnnouncer } from '../../../src/engine/tournaments/memory-announcer.js';
import { initialState } from '../../../src/engine/tournaments/rebuild.js';
import { createTournamentService } from '../../../src/engine/tournaments/service.js';
import { createSandbox } from '../../../src/sandbox/sandbox.js';
import { useTestDatabase } from '../../support/database.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, FAST_BOTS, guildWithBots, memoryLogger } from '../../support/tournaments.js';

// Sandbox worker processes are SIGKILLed from outside (as the kernel's OOM killer or an
// operator would) at random moments while a tournament runs: idle and busy, match and prepare
// workers. The service must not go down, and the tournament must finish with every pairing
// stored exactly once.
const { db } = await useTestDatabase();
const uploads = useSandbox();
const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-kills-'));
// The tournament's own sandbox starts with no artifacts, so its prepare workers work too.
const logger = memoryLogger();
const sandbox = createSandbox({ artifactsDir: path.join(dir, 'artifacts'), workers: 2, logger });
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function tryKill(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false; // It exited on its own in between.
  }
}

/** A seeded generator, so a failing run can be repeated (the seed is in the test's name). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('worker deaths during a tournament', () => {
  const seed = Date.now() % 100_000;
  it(`SIGKILLs of idle and busy match and prepare workers at random moments (seed ${seed}): every pairing stored once`, {
    timeout: 300_000,
  }, async () => {
    const random = rng(seed);
    const setup = engineDeps(db, uploads);
    const bots = FAST_BOTS.slice(0, 6);
    const { guild } = await guildWithBots(setup, bots);
    const deps = engineDeps(db, sandbox, { logger });
    const service = createTournamentService({
      deps,
      announcer: new MemoryAnnouncer(),
      concurrency: 2,
      progressIntervalMs: 0,
      pollMs: 200,
      leaseMs: 5_000,
    });
    await service.start();
    const started = await service.startNow({
      guildId: guild.id,
      channelId: 'c',
      rounds: 5_000,
      startedBy: 'a',
    });
    if (!started.ok) throw new Error(started.error.message);
    const t = started.value;
    const keys = nextPairings(initialState(t)).map((p) => p.key);
    expect(keys).toHaveLength(15);

    const kills = { matchBusy: 0, matchIdle: 0, prepare: 0 };
    let finished = false;
    const killer = (async () => {
      // First a prepare worker, busy preparing a bot for the first matches.
      while (!finished && kills.prepare === 0 && (await deps.repos.tournaments.resultCount(t.id)) === 0) {
        const pid = sandbox.pools().prepare?.pids().busy[0];
        if (pid !== undefined && tryKill(pid)) kills.prepare++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      while (!finished && kills.matchBusy + kills.matchIdle < 10) {
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 300));
        const match = sandbox.pools().match;
        const busy = match?.pids().busy ?? [];
        const idle = match?.pids().idle ?? [];
        const [kind, pids] =
          random() < 0.7 && busy.length > 0 ? (['matchBusy', busy] as const) : (['matchIdle', idle] as const);
        const pid = pids[Math.floor(random() * pids.length)];
        if (pid !== undefined && tryKill(pid)) kills[kind]++;
      }
    })();

    // A pause (three losses of one match in a row) resumes on the next poll: wait for the row.
    await vi.waitFor(async () => expect((await deps.repos.tournaments.get(t.id))?.status).toBe('finished'), {
      timeout: 240_000,
      interval: 100,
    });
    finished = true;
    await killer;
    await service.stop();

    const stored = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    const results = await deps.repos.tournaments.results(t.id);
    expect(results.map((r) => r.key).sort()).toEqual([...keys].sort());
    expect(stored.map((m) => m.pairingKey).sort()).toEqual([...keys].sort());
    expect(new Set(stored.map((m) => m.pairingKey)).size).toBe(stored.length);
    // Nothing was settled without a match: no host failure became a verdict.
    expect(results.filter((r) => r.unplayedReason !== null)).toEqual([]);
    // The kills happened, and the service saw them as worker losses, not as its own errors.
    expect(kills.matchBusy).toBeGreaterThan(0);
    expect(kills.prepare).toBe(1);
    expect(logger.lines.some((l) => l.message === 'match worker lost its match')).toBe(true);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
