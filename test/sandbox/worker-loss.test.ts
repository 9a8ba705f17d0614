import { describe, expect, it, vi } from 'vitest';
import { makeRules } from '../../src/games/rps.js';
import { blame, parseTrace } from '../../src/sandbox/worker-loss.js';
import type { WorkerLoss } from '../../src/sandbox/workers/process-pool.js';
import { createLogger } from '../../src/util/logger.js';
import { hostileBytes, useSandbox, wasmSource } from '../support/sandbox.js';

const died = (trace: string | null): WorkerLoss => ({ kind: 'died', message: 'killed by SIGKILL', trace });

describe('who is to blame for a lost worker', () => {
  it('reads the trace lines the match worker writes', () => {
    expect(parseTrace('move 1 17')).toEqual({ phase: 'move', seat: 1, round: 17 });
    expect(parseTrace('load 0')).toEqual({ phase: 'load', seat: 0, round: 0 });
    expect(parseTrace('after 0 3')).toEqual({ phase: 'after', seat: 0, round: 3 });
    for (const junk of [null, '', 'move 2 1', 'move 1 17 extra', 'MOVE 1 1'])
      expect(parseTrace(junk)).toBeNull();
  });

  it('blames a seat only when both traced losses point at it', () => {
    expect(blame([died('move 1 3'), died('move 1 3')])).toMatchObject({ seat: 1, round: 3 });
    expect(blame([died('move 1 3'), died('after 1 5')])).toMatchObject({ seat: 1, round: 5 });
    expect(blame([died('move 1 3'), died('move 0 3')])).toBeNull();
    expect(blame([died('move 1 3'), died(null)])).toBeNull();
    expect(blame([died('move 1 3')])).toBeNull();
    const failedStart: WorkerLoss = { kind: 'start-failed', message: 'x', trace: 'move 1 3' };
    expect(blame([died('move 1 3'), failedStart])).toBeNull();
  });
});

type TestSandbox = ReturnType<typeof useSandbox>;
const looper = wasmSource('looper', hostileBytes('loop-move.command.wasm'));

/** A match of a built-in against a bot that loops in its first move, under these limits. */
function againstLooper(sandbox: TestSandbox, seed: string, limits: Record<string, number>) {
  return sandbox.play({
    seed,
    rules: makeRules({ rounds: 10 }),
    bots: [{ kind: 'builtin', name: 'reference', strategy: 'rock' }, looper],
    limits,
  });
}

/** The pid of the busy match process, once there is one not in `killed`. */
async function busyPid(sandbox: TestSandbox, killed: readonly number[] = []): Promise<number> {
  let pid = 0;
  await vi.waitFor(
    () => {
      pid = sandbox.pools().match?.pids().busy[0] ?? 0;
      expect(pid !== 0 && !killed.includes(pid)).toBe(true);
    },
    { timeout: 60_000, interval: 20 },
  );
  return pid;
}

describe('a bot whose worker dies while it runs, again and again', () => {
  const sandbox = useSandbox({ workers: 1 });

  it('forfeits: the match is retried on fresh processes, and the bot running each time loses', async () => {
    // Only the wall clock could stop this bot; the test kills its process first, three times.
    const playing = againstLooper(sandbox, 'blame', {
      fuelPerMove: 1e15,
      fuelPerMatch: 1e15,
      matchWallMs: 600_000,
      moveWallMs: 600_000,
    });
    const killed: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pid = await busyPid(sandbox, killed);
      // Seat 0 (a built-in) moves in microseconds; after a while, the looping seat 1 is running.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    }
    const result = await playing;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.outcome).toMatchObject({ winner: 0, reason: 'forfeit' });
    expect(result.value.faults).toEqual([
      expect.objectContaining({
        seat: 1,
        // In its first move; on a very loaded machine the kill may land while it is still loading.
        kind: expect.stringMatching(/^(trap|crashed-at-start)$/),
        message: expect.stringMatching(/crashed its sandbox process/),
      }),
    ]);
  });
});

describe('a match sent ahead to a process that a bot then crashes', () => {
  const lines: string[] = [];
  const sandbox = useSandbox({
    workers: 1,
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
  });

  it('is played on a fresh process, whole, and nobody is blamed for it', async () => {
    // Seconds of looping: the first attempt is killed long before, the retry runs out of fuel.
    const crashing = againstLooper(sandbox, 'crasher', { fuelPerMove: 2e9, fuelPerMatch: 1e12 });
    const pid = await busyPid(sandbox);
    // Sent ahead to the same process (the pool has only one), behind the looping match.
    const innocent = sandbox.play({
      seed: 'innocent',
      rules: makeRules({ rounds: 50 }),
      bots: [
        { kind: 'builtin', name: 'a', strategy: 'rock' },
        { kind: 'builtin', name: 'b', strategy: 'cycle' },
      ],
    });
    await vi.waitFor(() => expect(sandbox.pools().match?.sentAhead).toBe(1), {
      timeout: 30_000,
      interval: 5,
    });
    process.kill(pid, 'SIGKILL');
    const played = await innocent;
    expect(played.ok).toBe(true);
    if (!played.ok) return;
    expect(played.value.roundsPlayed).toBe(50);
    expect(played.value.faults).toEqual([]);
    // Not even a lost attempt: it never started on the dead process, so it was not retried.
    const lost = lines.filter((l) => l.includes('match worker lost its match'));
    expect(lost.some((l) => l.includes('seed=crasher'))).toBe(true);
    expect(lost.filter((l) => l.includes('seed=innocent'))).toEqual([]);
    const crashed = await crashing;
    expect(crashed.ok).toBe(true);
    if (crashed.ok) expect(crashed.value.outcome.winner).toBe(0);
  });
});

describe('a host failure is never a verdict', () => {
  const broken = useSandbox({ workers: 1, extraMatchFlags: ['--no-such-node-flag'] });

  it('workers that cannot start: the match fails as a host failure, saying why', async () => {
    const result = await broken.play({
      seed: 'host',
      rules: makeRules({ rounds: 10 }),
      bots: [
        { kind: 'builtin', name: 'a', strategy: 'rock' },
        { kind: 'builtin', name: 'b', strategy: 'cycle' },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'worker-lost',
        message: expect.stringMatching(/failed to start.*bad option: --no-such-node-flag/),
      },
    });
  });
});
