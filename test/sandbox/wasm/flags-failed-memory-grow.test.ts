import { describe, expect, it } from 'vitest';
import { instantiateMetered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

// Grows by `pages` and traps (like an allocator) when the grow fails; returns the new size otherwise.
const allocator = `(module
  (memory 1)
  (func (export "alloc") (param $pages i32) (result i32)
    (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then unreachable))
    memory.size))`;

describe('a failed memory.grow is flagged for the host', () => {
  it('tells a trap after a failed grow (out of memory) from other traps', async () => {
    const m = instantiateMetered(await wat(allocator));
    m.host.setBudget(1_000_000, OPTIONS.stackBytes);
    expect(m.exports.alloc!(1)).toBe(2);
    expect(m.host.growFailed()).toBe(false);

    let error: unknown;
    try {
      m.exports.alloc!(OPTIONS.memoryPages);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(m.host.growFailed()).toBe(true);
    expect(m.host.classifyTrap(error).kind).toBe('out-of-memory');

    // The flag belongs to one call: the next budget clears it, and a plain trap stays a trap.
    m.host.setBudget(1_000_000, OPTIONS.stackBytes);
    expect(m.host.growFailed()).toBe(false);
  });

  it('passes the grow result through unchanged, so the bot sees -1 at the cap', async () => {
    const m = instantiateMetered(
      await wat(
        `(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`,
      ),
    );
    m.host.setBudget(1_000_000, OPTIONS.stackBytes);
    expect(m.exports.grow!(2)).toBe(1);
    expect(m.exports.grow!(OPTIONS.memoryPages)).toBe(-1);
    expect(m.host.growFailed()).toBe(true);
  });
});
