import { describe, expect, it } from 'vitest';
import { BULK_FLAT_COST, BULK_MEMORY_SHIFT } from '../../../src/sandbox/wasm/index.js';
import { instantiateMetered, run } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * Fuel is the number of original instructions in the basic blocks entered. A block is charged
 * in full when entered; blocks start at function entry and after loop, if, else, end, br_if,
 * catch and delegate. Unreachable code (after br, return, ...) is not counted.
 */
describe('fuel counts the instructions of the blocks a call enters', () => {
  it('straight-line functions cost their instruction count, `end` included', async () => {
    const m = instantiateMetered(
      await wat(`(module
        (func (export "empty"))
        (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
        (func $one (result i32) i32.const 1)
        (func (export "calls") (result i32) call $one call $one i32.add))`),
    );
    expect(run(m, () => m.exports.empty!()).used).toBe(1);
    expect(run(m, () => m.exports.add!(2, 3)).used).toBe(4);
    // caller: call, call, i32.add, end = 4; callee twice: i32.const, end = 2 each
    expect(run(m, () => m.exports.calls!()).used).toBe(8);
  });

  it('if/else charges only the arm taken', async () => {
    const m = instantiateMetered(
      await wat(`(module (func (export "f") (param i32) (result i32)
        local.get 0
        if (result i32)
          i32.const 1
          i32.const 2
          i32.add
        else
          i32.const 5
        end))`),
    );
    // entry: local.get, if (2); then: 3 + else (4); else arm: i32.const + end (2); after: end (1)
    expect(run(m, () => m.exports.f!(1)).used).toBe(2 + 4 + 1);
    expect(run(m, () => m.exports.f!(0)).used).toBe(2 + 2 + 1);
  });

  it('a loop costs its header block on every iteration', async () => {
    const m = instantiateMetered(
      await wat(`(module (func (export "count") (param i32) (result i32) (local i32)
        block
          loop
            local.get 0
            i32.eqz
            br_if 1
            local.get 0
            i32.const 1
            i32.sub
            local.set 0
            local.get 1
            i32.const 3
            i32.add
            local.set 1
            br 0
          end
        end
        local.get 1))`),
    );
    // entry: block, loop (2); header: local.get, i32.eqz, br_if (3); body after br_if: 9;
    // exit: local.get, end (2). The dead `end` after `br 0` is never counted.
    for (const n of [0, 1, 10, 1000]) {
      expect(run(m, () => m.exports.count!(n)).used).toBe(2 + 3 * (n + 1) + 9 * n + 2);
    }
  });

  it('recursion: fib(n) fuel follows the recurrence of its blocks', async () => {
    const m = instantiateMetered(
      await wat(`(module (func $fib (export "fib") (param i32) (result i32)
        local.get 0
        i32.const 2
        i32.lt_u
        if (result i32)
          local.get 0
        else
          local.get 0
          i32.const 1
          i32.sub
          call $fib
          local.get 0
          i32.const 2
          i32.sub
          call $fib
          i32.add
        end))`),
    );
    // entry 4; then-arm: local.get, else (2); else-arm: 9 + end (10); after the if: end (1)
    const fuel = (n: number): number => (n < 2 ? 4 + 2 + 1 : 4 + 10 + 1 + fuel(n - 1) + fuel(n - 2));
    for (const n of [0, 1, 2, 10, 20]) expect(run(m, () => m.exports.fib!(n)).used).toBe(fuel(n));
  });

  it('br_table and returns: only blocks entered are charged', async () => {
    const m = instantiateMetered(
      await wat(`(module (func (export "f") (param i32) (result i32)
        block
          block
            local.get 0
            br_table 0 1
          end
          i32.const 10
          return
        end
        i32.const 20))`),
    );
    // entry: block, block, local.get, br_table (4); after inner end: end was dead, so the
    // continuation is [i32.const, return] (2); after outer end: the `end` before it is dead,
    // so [i32.const 20, end] (2)
    expect(run(m, () => m.exports.f!(0)).used).toBe(4 + 2);
    expect(run(m, () => m.exports.f!(1)).used).toBe(4 + 2);
  });

  it('exceptions: the throwing path and the catch landing are charged', async () => {
    const m = instantiateMetered(
      await wat(`(module
        (tag $e)
        (func $maybe (param i32) local.get 0 if throw $e end)
        (func (export "f") (param i32) (result i32)
          try (result i32)
            local.get 0
            call $maybe
            i32.const 1
          catch $e
            i32.const 2
          end))`),
    );
    // $maybe: entry local.get, if (2); then: throw (1); after if: end (1)
    // f: entry try, local.get, call, i32.const, catch (5); landing: i32.const, end (2); after: end (1)
    expect(run(m, () => m.exports.f!(0)).used).toBe(5 + 1 + (2 + 1));
    expect(run(m, () => m.exports.f!(1)).used).toBe(5 + 2 + 1 + (2 + 1));
  });

  it('bulk memory operations are charged a flat cost and by length', async () => {
    const m = instantiateMetered(
      await wat(`(module (memory 1) (func (export "fill") (param i32)
        i32.const 0 i32.const 7 local.get 0 memory.fill))`),
    );
    for (const len of [0, 63, 64, 65_536]) {
      // local.get, i32.const, local.get, end, and memory.fill's flat cost.
      expect(run(m, () => m.exports.fill!(len)).used).toBe(4 + BULK_FLAT_COST + (len >> BULK_MEMORY_SHIFT));
    }
  });
});
