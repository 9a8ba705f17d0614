import { describe, expect, it } from 'vitest';
import { makeRules } from '../../../src/games/rps.js';
import { DEFAULT_LIMITS, deadlineMs } from '../../../src/sandbox/limits.js';
import { driveWithDeadlines, fitsBatch, runWatched } from '../../../src/sandbox/play/deadline.js';
import { botBytes, hostileBytes, useSandbox, wasmSource } from '../../support/sandbox.js';

// (module (func (export "loop") (loop (br 0))))
const LOOP = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 8, 1, 4, 108, 111, 111, 112, 0, 0, 10, 9, 1,
  7, 0, 3, 64, 12, 0, 11, 11,
]);

describe('the watchdog', () => {
  it('stops a wasm loop and a JavaScript loop that never return, skipping their catch and finally', () => {
    const loop = new WebAssembly.Instance(new WebAssembly.Module(LOOP)).exports.loop as () => void;
    expect(runWatched(50, loop)).toEqual({ ok: false });
    let handled = false;
    let spin = true;
    const js = () => {
      try {
        while (spin) spin = !handled;
      } catch {
        handled = true;
      } finally {
        handled = true;
      }
    };
    expect(runWatched(50, js)).toEqual({ ok: false });
    expect(handled).toBe(false);
    // The thread carries on.
    expect(runWatched(1000, () => 42)).toEqual({ ok: true, value: 42 });
    // A deadline past what vm accepts (fuel 1e15 asks for ~10^11 ms) runs, unwatched in effect.
    expect(runWatched(3e11, () => 43)).toEqual({ ok: true, value: 43 });
  });

  it('blames the call that was running, however many quick calls ran before it in its batch', () => {
    const loop = new WebAssembly.Instance(new WebAssembly.Module(LOOP)).exports.loop as () => void;
    function* steps() {
      for (let i = 0; i < 50; i++) yield { deadlineMs: 1_000, id: i };
      yield { deadlineMs: 20, id: 'stuck' };
      loop();
    }
    // A clock that never moves: every quick step fits the open batch.
    const stuck = driveWithDeadlines(steps(), () => 0);
    expect(stuck).toMatchObject({ id: 'stuck' });
  });

  it("opens a move its own batch after a start-up's: a stuck move is stopped within twice its deadline", () => {
    function* steps() {
      // A start-up's deadline is minutes, a move's seconds: in the start-up's batch a stuck
      // move would be stopped only when that batch ends, minutes late.
      yield { deadlineMs: 600_000 };
      yield { deadlineMs: 8_000 };
      yield { deadlineMs: 8_000 };
    }
    const batches: number[] = [];
    const recording = <T>(ms: number, body: () => T) => {
      batches.push(ms);
      return { ok: true as const, value: body() };
    };
    expect(driveWithDeadlines(steps(), () => 0, recording)).toBeNull();
    expect(batches).toEqual([1_200_000, 16_000]);
  });

  it('lets a call join the open batch only when the time left is between its deadline and twice it', () => {
    expect(fitsBatch(100, 150)).toBe(true);
    expect(fitsBatch(100, 200)).toBe(true);
    expect(fitsBatch(100, 99)).toBe(false);
    expect(fitsBatch(100, 201)).toBe(false);
  });

  it('sizes deadlines from fuel: the fixed part plus the per-fuel rate', () => {
    expect(deadlineMs(DEFAULT_LIMITS, 0)).toBe(DEFAULT_LIMITS.moveWallMs);
    expect(deadlineMs(DEFAULT_LIMITS, 20_000_000)).toBe(
      DEFAULT_LIMITS.moveWallMs + (20_000_000 * DEFAULT_LIMITS.wallNsPerFuel) / 1e6,
    );
  });
});

describe('a move that never returns', () => {
  const sandbox = useSandbox({ workers: 1 });
  // Fuel out of the way (as if metering were defeated): only the move deadline can stop it.
  const unmetered = { fuelPerMove: 1e15, fuelPerMatch: 1e15, wallNsPerFuel: 1e-9 };

  it('is stopped while it runs: the moving bot forfeits by timeout in that round, and the worker plays on', async () => {
    for (const seat of [0, 1] as const) {
      const late = wasmSource('loop-late', hostileBytes('loop-late.component.wasm'));
      const rock = wasmSource('rock', botBytes('rock.component'));
      const result = await sandbox.play({
        seed: `deadline-${seat}`,
        rules: makeRules({ rounds: 100 }),
        bots: seat === 0 ? [late, rock] : [rock, late],
        limits: unmetered,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const record = result.value;
      expect(record.faults).toEqual([
        expect.objectContaining({
          seat,
          round: 21,
          kind: 'timeout',
          message: expect.stringMatching(/deadline/),
        }),
      ]);
      expect(record.outcome).toMatchObject({ winner: 1 - seat, reason: 'forfeit' });
      expect(record.log.moves[seat]).toBe(`${'R'.repeat(20)}-`);
    }
    const after = await sandbox.play({
      seed: 'after',
      rules: makeRules({ rounds: 30 }),
      bots: [
        wasmSource('rock', botBytes('rock.component')),
        wasmSource('cycle', botBytes('cycle.component')),
      ],
    });
    expect(after.ok && after.value.faults).toEqual([]);
  });

  it('in a JavaScript bot (QuickJS through its jco bindings) is stopped the same way: it forfeits by timeout', async () => {
    // loop.js spins in `for (;;) {}` inside play: the QuickJS interpreter's wasm loop, called
    // from the bindings' JavaScript, so the watchdog has to stop it across both.
    const result = await sandbox.play({
      seed: 'deadline-js',
      rules: makeRules({ rounds: 100 }),
      bots: [
        wasmSource('loop.js', hostileBytes('loop.js.wasm')),
        wasmSource('rock', botBytes('rock.component')),
      ],
      limits: unmetered,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.faults).toEqual([
      expect.objectContaining({
        seat: 0,
        round: 1,
        kind: 'timeout',
        message: expect.stringMatching(/deadline/),
      }),
    ]);
    expect(result.value.outcome).toMatchObject({ winner: 1, reason: 'forfeit' });
    // The next JavaScript bot in this (one-worker) sandbox plays a whole match.
    const after = await sandbox.play({
      seed: 'after-js',
      rules: makeRules({ rounds: 30 }),
      bots: [wasmSource('cycle.js', botBytes('cycle.js')), wasmSource('rock', botBytes('rock.component'))],
    });
    expect(after.ok && after.value.faults).toEqual([]);
    expect(after.ok && after.value.roundsPlayed).toBe(30);
  });
});
