import { describe, expect, it } from 'vitest';
import { classifyInstantiationTrap } from '../../../src/sandbox/wasm/index.js';
import { instantiateMetered, metered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

describe('running out of fuel', () => {
  it('stops an infinite loop with a trap and the counter below zero', async () => {
    const m = instantiateMetered(await wat(`(module (func (export "spin") (loop br 0)))`));
    for (const budget of [0, 1, 1000, 1_000_000]) {
      m.host.setBudget(budget, OPTIONS.stackBytes);
      let error: unknown;
      try {
        m.exports.spin!();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
      // A loop iteration is `br 0` (1 instruction): the counter stops just below zero.
      expect(m.host.fuelLeft()).toBe(-1);
      expect(m.host.classifyTrap(error).kind).toBe('out-of-fuel');
    }
  });

  it('cannot be caught by the bot', async () => {
    const m = instantiateMetered(
      await wat(`(module
        (func $spin (loop br 0))
        (func (export "f") (result i32)
          try (result i32) call $spin i32.const 1 catch_all i32.const 2 end))`),
    );
    m.host.setBudget(10_000, OPTIONS.stackBytes);
    expect(() => m.exports.f!()).toThrow(WebAssembly.RuntimeError);
    expect(m.host.fuelLeft()).toBeLessThan(0);
  });

  it('may also show as a normal return with the counter below zero (checks are at entries and loops)', async () => {
    const m = instantiateMetered(
      await wat(`(module (func (export "f") (result i32)
        i32.const 1
        if (result i32)
          i32.const 1 i32.const 1 i32.add i32.const 1 i32.add i32.const 1 i32.add i32.const 1 i32.add
        else
          i32.const 0
        end))`),
    );
    m.host.setBudget(5, OPTIONS.stackBytes);
    expect(m.exports.f!()).toBe(5);
    expect(m.host.fuelLeft()).toBeLessThan(0);
  });

  it('runs out of fuel after a bulk operation whose length exceeds the budget', async () => {
    const m = instantiateMetered(
      await wat(`(module (memory 1) (func (export "fill") (param i32)
        i32.const 0 i32.const 7 local.get 0 memory.fill))`),
    );
    m.host.setBudget(100, OPTIONS.stackBytes);
    expect(() => m.exports.fill!(65_536)).toThrow(WebAssembly.RuntimeError);
    expect(m.host.classifyTrap(new WebAssembly.RuntimeError('unreachable')).kind).toBe('out-of-fuel');
  });

  it('meters start functions with the instantiation budget', async () => {
    const spin = await wat(`(module (func $start (loop br 0)) (start $start))`);
    const info = metered(spin, { instantiationFuel: 50_000 });
    let error: unknown;
    try {
      new WebAssembly.Instance(new WebAssembly.Module(info.bytes));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(classifyInstantiationTrap(error, info).kind).toBe('out-of-fuel');

    // A start function that finishes leaves its budget minus what it used.
    const finite = await wat(`(module
      (global $g (mut i32) (i32.const 0))
      (func $start (global.set $g (i32.const 42)))
      (start $start)
      (func (export "g") (result i32) global.get $g))`);
    const ok = metered(finite, { instantiationFuel: 1000 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(ok.bytes));
    const exports = instance.exports as Record<string, unknown>;
    // start: i32.const, global.set, end = 3
    expect((exports.throwdown_fuel as WebAssembly.Global).value).toBe(997n);
    expect((exports.g as () => number)()).toBe(42);
  });

  it('tells the bot trapping on its own from running out of fuel', async () => {
    const m = instantiateMetered(await wat(`(module (func (export "f") unreachable))`));
    m.host.setBudget(1000, OPTIONS.stackBytes);
    let error: unknown;
    try {
      m.exports.f!();
    } catch (e) {
      error = e;
    }
    const c = m.host.classifyTrap(error);
    expect(c.kind).toBe('trap');
    expect(c.message).toMatch(/unreachable/);
  });
});
