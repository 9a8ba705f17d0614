import { describe, expect, it } from 'vitest';
import { instantiateMetered, OPTIONS, run } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * try_table (the exception handling toolchains now emit for C++) is metered: a catch lands at a
 * label outside the try_table, which ordinary branches also reach, so a function with try_table
 * counts its fuel in the global, and every such landing resets the stack budget to the frame's
 * own value (the exception skipped the restores of the frames it unwound).
 */

const SPIN = `(module
  (tag $e)
  (func $burn (param $n i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (throw $e))
  (func $dive (param i32)
    (if (i32.eqz (local.get 0)) (then (throw $e)))
    (call $dive (i32.sub (local.get 0) (i32.const 1))))
  ;; Forever: every iteration burns fuel in a callee that throws; the catch lands at the loop.
  (func (export "atLoop")
    (loop $l (try_table (catch_all $l) (call $burn (i32.const 100)))))
  ;; Forever: the catch lands after a block, then the loop goes round.
  (func (export "atBlock")
    (loop $l
      (block $h (try_table (catch $e $h) (call $burn (i32.const 100))))
      (br $l)))
  ;; n iterations through a try_table that never throws; its catch label is the block's end.
  (func (export "quiet") (param $n i32)
    (loop $l
      (block $h (try_table (catch_all $h)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))))
      (br_if $l (local.get $n))))
  ;; n exceptions, each unwinding $depth frames, caught at a loop header and after a block.
  (func (export "unwind") (param $depth i32) (param $n i32) (result i32) (local $caught i32)
    (loop $l
      (if (local.get $n)
        (then
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
          (block $h (try_table (catch_all $h) (call $dive (local.get $depth))))
          (try_table (catch_all $l) (call $dive (local.get $depth))))))
    (local.get $caught)))`;

describe('try_table under metering', () => {
  it('runs out of fuel when every iteration throws and is caught (landing at a loop or after a block)', async () => {
    const m = instantiateMetered(await wat(SPIN));
    for (const f of ['atLoop', 'atBlock']) {
      for (const budget of [1_000, 1_000_000]) {
        m.host.setBudget(budget, OPTIONS.stackBytes);
        let error: unknown;
        try {
          m.exports[f]!();
        } catch (e) {
          error = e;
        }
        expect(error, f).toBeInstanceOf(WebAssembly.RuntimeError);
        expect(m.host.classifyTrap(error).kind, f).toBe('out-of-fuel');
      }
    }
  });

  it('charges what the callees did before they threw', async () => {
    const m = instantiateMetered(await wat(SPIN));
    const used = (n: number) => run(m, () => m.exports.unwind!(10, n)).used;
    // Each round trip dives 10 frames twice (~7 instructions per frame): far more than the
    // caller's own dozen instructions per iteration.
    const perIteration = used(11) - used(10);
    expect(perIteration).toBeGreaterThan(2 * 10 * 5);
    expect(used(21) - used(20)).toBe(perIteration);
  });

  it('charges the work on paths that never throw, through the labels catches land at', async () => {
    const m = instantiateMetered(await wat(SPIN));
    // Per iteration: block, try_table, local.get, i32.const, i32.sub, local.set, end, end,
    // local.get, br_if: 10 instructions.
    expect(run(m, () => m.exports.quiet!(100_000)).used).toBeGreaterThanOrEqual(100_000 * 10);
  });

  it('keeps the stack budget right across caught exceptions', async () => {
    const m = instantiateMetered(await wat(SPIN));
    // 1000 x 2 exceptions, each unwinding 100 frames: without the reset at each landing,
    // 200,000 frames' worth of budget would leak and the budget would run out.
    m.host.setBudget(1e9, 64 * 1024);
    expect(m.exports.unwind!(100, 1000)).toBe(1000);
    expect(m.host.stackLeft()).toBe(64 * 1024);
  });
});
