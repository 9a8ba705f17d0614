import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { matches, ratings } from '../../../src/db/schema.js';
import { nextPairings } from '../../../src/engine/formats/index.js';
import { createTournament } from '../../../src/engine/tournaments/create.js';
import { initialState } from '../../../src/engine/tournaments/rebuild.js';
import { useTestDatabase } from '../../support/database.js';
import { useSandbox } from '../../support/sandbox.js';
import { engineDeps, FAST_BOTS, guildWithBots, ratingHistoryOf } from '../../support/tournaments.js';

// A service process is killed (SIGKILL: no clean-up of any kind, its sandbox workers die with
// it) in the middle of a tournament; another process resumes it. The final set of matches must
// be exactly the format's pairings, each once, with the ones stored before the kill untouched.
const { db, url, driver } = await useTestDatabase();
const sandbox = useSandbox();
const deps = engineDeps(db, sandbox);
const CHILD = fileURLToPath(new URL('./fixtures/tournament-process.ts', import.meta.url));
const LEASE_MS = 1500;
const artifacts = mkdtempSync(path.join(tmpdir(), 'throwdown-resume-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) killGroup(child);
  rmSync(artifacts, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a service process in its own process group, so its sandbox workers can be killed with it. */
function startProcess(tournamentId: number): Running {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, url!, String(tournamentId), artifacts, String(LEASE_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Pids of the live processes in a process group (the service and its sandbox workers). */
function groupMembers(pgid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

describe.skipIf(driver !== 'postgres')('kill and resume', () => {
  it('a tournament whose process is SIGKILLed mid-way is finished by a new process: every pairing once, none lost', async () => {
    // Six bots (15 pairings) are enough to kill it mid-way: the test's work is what the property
    // needs, so a loaded machine does not push it past its timeout.
    const { guild, bots } = await guildWithBots(deps, FAST_BOTS.slice(0, 6));
    // 5000-round matches (the command bots take ~0.1 s each): long enough to kill it in the middle.
    const created = await createTournament(deps, {
      guildId: guild.id,
      channelId: 'c',
      rounds: 5000,
      startedBy: 'admin',
    });
    if (!created.ok) throw new Error(created.error.message);
    const t = created.value;
    const allKeys = nextPairings(initialState(t))
      .map((p) => p.key)
      .sort();
    expect(allKeys).toHaveLength(15);

    // First process: let it store a few results, then kill it and everything it started.
    const first = startProcess(t.id);
    await vi.waitFor(
      async () => expect(await deps.repos.tournaments.resultCount(t.id)).toBeGreaterThanOrEqual(3),
      { timeout: 60_000, interval: 10 },
    );
    // The service and its match workers (the sandbox pool has started by now).
    expect(groupMembers(first.child.pid!).length).toBeGreaterThan(1);
    killGroup(first.child);
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    await vi.waitFor(() => expect(groupMembers(first.child.pid!)).toEqual([]));

    const atKill = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    expect(atKill.length).toBeGreaterThanOrEqual(3);
    expect(atKill.length).toBeLessThan(15);
    const row = (await deps.repos.tournaments.get(t.id))!;
    expect(row.status).toBe('running');
    expect(row.leaseOwner).toBe(`process-${first.child.pid}`);

    // Second process: waits out the dead process's lease, claims the tournament and finishes it.
    const second = startProcess(t.id);
    const ended = await Promise.race([
      second.exit,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 240_000)),
    ]);
    expect(ended, second.output()).toEqual({ code: 0, signal: null });
    expect(second.output()).toMatch(/tournament resumed/);

    const final = await db.select().from(matches).where(eq(matches.tournamentId, t.id));
    const keys = final.map((m) => m.pairingKey!).sort();
    expect(keys).toEqual(allKeys);
    // What was stored before the kill is untouched; the rest was played once, after it.
    const before = new Map(atKill.map((m) => [m.pairingKey, m.id]));
    for (const m of final) {
      if (before.has(m.pairingKey)) expect(m.id).toBe(before.get(m.pairingKey));
      else expect(m.id).toBeGreaterThan(Math.max(...atKill.map((x) => x.id)));
    }
    // Rated exactly once per match: 15 matches, 2 bots each; 5 matches per bot.
    const history = await ratingHistoryOf(
      db,
      final.map((m) => m.id),
    );
    expect(history).toHaveLength(30);
    const rated = await db
      .select()
      .from(ratings)
      .where(
        inArray(
          ratings.botId,
          bots.map((b) => b.bot.id),
        ),
      );
    expect(rated.map((r) => r.played)).toEqual(Array(6).fill(5));
    expect(await deps.repos.tournaments.get(t.id)).toMatchObject({ status: 'finished', leaseOwner: null });
  }, 420_000); // its own waits allow 60 s + 240 s (5000-round matches on a loaded machine): the test's limit must not cut them short
});
