import { describe, expect, it } from 'vitest';
import { instantiate, instantiateMetered, OPTIONS } from './helpers/meter.js';
import { program } from './helpers/programs.js';

type Call = [name: string, ...args: unknown[]];

/** Runs the same calls on the original and the metered module; results and throws must match. */
async function compare(name: string, calls: Call[]): Promise<unknown[]> {
  const bytes = await program(name);
  const plain = instantiate(bytes);
  const m = instantiateMetered(bytes);
  const outcomes: unknown[] = [];
  for (const [fn, ...args] of calls) {
    const outcome = (e: Record<string, (...a: unknown[]) => unknown>) => {
      try {
        return { value: e[fn]!(...args) };
      } catch (error) {
        return { threw: (error as Error).constructor.name, message: (error as Error).message };
      }
    };
    const expected = outcome(plain);
    m.host.setBudget(1e12, OPTIONS.stackBytes);
    const actual = outcome(m.exports);
    expect(actual, `${fn}(${args.join(', ')})`).toEqual(expected);
    // Metering really ran: the call was charged.
    expect(m.host.fuelLeft()).toBeLessThan(1e12);
    outcomes.push(expected);
  }
  return outcomes;
}

describe('a metered module computes what the original computes', () => {
  it('loops, recursion, br_table, multi-value blocks, indirect calls, globals, bulk memory, tables', async () => {
    const outcomes = await compare('compute', [
      ['sum', 0],
      ['sum', 1],
      ['sum', 100_000],
      ['fib', 0],
      ['fib', 1],
      ['fib', 20],
      ['ack', 2, 3],
      ['ack', 3, 3],
      ...[0, 1, 2, 3, 4, -1].map((x): Call => ['classify', x]),
      ...[0, 1, 2, 3].map((x): Call => ['pick', x]),
      ['divmod', 17, 5],
      ['mv', 17, 5],
      ['mv', 5, 17],
      ['mvloop', 1],
      ['mvloop', 10],
      ...[0, 1, 2, 3].map((x): Call => ['indirect', x, 12, 5]),
      ['indirect', 9, 1, 1],
      ['counter'],
      ['counter'],
      ['select', 0],
      ['select', 1],
      ['floats', 2.5],
      ['floats', 1e300],
      ['signext', 0x1f0ff],
      ['bulk', 7],
      ['bulk', 200],
      ['tables', 3],
      ['grow', 1],
      ['grow', 0],
    ]);
    // The programs really ran (not just failed the same way).
    expect(outcomes).toContainEqual({ value: 6765 });
    expect(outcomes).toContainEqual({ value: 5000050000n });
  });

  it('exceptions: catch, catch_all, rethrow, delegate, in loops, and uncaught', async () => {
    const outcomes = await compare('exceptions', [
      ['catchIt', 3],
      ['catchIt', 50],
      ['catchAll', 3],
      ['catchAll', 4],
      ['catchAll', 40],
      ['rethrown', 4],
      ['rethrown', 44],
      ['delegated', 4],
      ['delegated', 44],
      ['loopy', 20],
      ['uncaught', 2],
      ['uncaught', 20],
    ]);
    expect(outcomes).toContainEqual({ value: 1050 });
    expect(outcomes.filter((o) => (o as { threw?: string }).threw)).toHaveLength(1);
  });

  it('exceptions with try_table and exnref: catch, catch_ref, catch_all(_ref), throw_ref, loops', async () => {
    const outcomes = await compare('try-table', [
      ['catchIt', 3],
      ['catchIt', 50],
      ['catchAll', 3],
      ['catchAll', 4],
      ['catchAll', 40],
      ['rethrown', 4],
      ['rethrown', 44],
      ['loopy', 20],
      ['toFunction', 1],
      ['toFunction', 11],
      ['uncaught', 2],
      ['uncaught', 20],
    ]);
    expect(outcomes).toContainEqual({ value: 1050 });
    expect(outcomes).toContainEqual({ value: 20 });
    expect(outcomes.filter((o) => (o as { threw?: string }).threw)).toHaveLength(1);
  });

  it('tail calls, a million deep, without exhausting the stack budget', async () => {
    const outcomes = await compare('tailcalls', [
      ['count', 10n, 0n],
      ['count', 1_000_000n, 0n],
      ['countIndirect', 1_000_000n, 0n],
      ['even', 1_000_001],
      ['even', 1_000_000],
    ]);
    expect(outcomes).toContainEqual({ value: 500000500000n });
  });

  it('SIMD', async () => {
    const outcomes = await compare('simd', [
      ['dot', 3],
      ['vsum', 0],
      ['vsum', 1000],
      ['shuffle', 0x01020304],
      ['floats', 16],
    ]);
    expect(outcomes).toContainEqual({ value: 499500n });
  });
});
