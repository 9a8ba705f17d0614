import { describe, expect, it } from 'vitest';
import { classifyTrap, meterHost } from '../../../src/sandbox/wasm/index.js';
import { instantiate, instantiateMetered } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

describe('the host side of metering', () => {
  it('sets budgets and reads what is left', async () => {
    const m = instantiateMetered(await wat(`(module (func (export "f") nop nop))`));
    m.host.setBudget(2_000_000_000, 4096);
    expect(m.host.fuelLeft()).toBe(2_000_000_000);
    expect(m.host.stackLeft()).toBe(4096);
    m.exports.f!();
    expect(m.host.fuelLeft()).toBe(2_000_000_000 - 3);
    expect(m.host.stackLeft()).toBe(4096);
  });

  it('refuses an instance that was not instrumented', async () => {
    const bytes = await wat(`(module (func (export "f")))`);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect(() => meterHost(instance)).toThrow(/not instrumented/);
    expect(instantiate(bytes).f).toBeTypeOf('function');
  });

  it('classifies by the counters first, then by the error', () => {
    const trap = new WebAssembly.RuntimeError('unreachable');
    expect(classifyTrap(trap, { fuel: -3, stack: 100 }).kind).toBe('out-of-fuel');
    expect(classifyTrap(trap, { fuel: 5, stack: -1 }).kind).toBe('stack-exhausted');
    expect(classifyTrap(new RangeError('Maximum call stack size exceeded'), { fuel: 5, stack: 5 }).kind).toBe(
      'stack-exhausted',
    );
    expect(
      classifyTrap(
        new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance'),
      ).kind,
    ).toBe('out-of-memory');
    const divide = classifyTrap(new WebAssembly.RuntimeError('divide by zero'), { fuel: 5, stack: 5 });
    expect(divide).toEqual({ kind: 'trap', message: 'The bot trapped: divide by zero' });
    expect(classifyTrap('thrown string').message).toBe('The bot trapped: thrown string');
  });

  it('a host import that throws is a trap, not a metering verdict', async () => {
    const m = instantiateMetered(
      await wat(`(module (import "env" "boom" (func $boom)) (func (export "f") call $boom))`),
      {},
      {
        env: {
          boom: () => {
            throw new Error('host says no');
          },
        },
      },
    );
    m.host.setBudget(1000, 65536);
    let error: unknown;
    try {
      m.exports.f!();
    } catch (e) {
      error = e;
    }
    expect(m.host.classifyTrap(error)).toEqual({ kind: 'trap', message: 'The bot trapped: host says no' });
  });
});
