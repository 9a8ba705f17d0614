import { describe, expect, it } from 'vitest';
import { describeModule, instrument } from '../../../src/sandbox/wasm/index.js';
import { instantiateMetered, metered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

const GROWER = `(module
  (memory (export "memory") 1)
  (table $t 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) memory.size)
  (func (export "growTable") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))`;

describe('memory and table caps', () => {
  it('memory.grow past the cap returns -1 to the bot; growing up to it works', async () => {
    const m = instantiateMetered(await wat(GROWER), { memoryPages: 4, tableElements: 10 });
    m.host.setBudget(1e6, 1e5);
    expect(m.exports.grow!(4)).toBe(-1);
    expect(m.exports.grow!(3)).toBe(1);
    expect(m.exports.size!()).toBe(4);
    expect(m.exports.grow!(1)).toBe(-1);
    expect(m.exports.grow!(0)).toBe(4);
    // The host cannot grow it past the cap either.
    expect(() => (m.exports.memory as unknown as WebAssembly.Memory).grow(1)).toThrow(RangeError);
  });

  it('table.grow past the cap returns -1', async () => {
    const m = instantiateMetered(await wat(GROWER), { memoryPages: 4, tableElements: 10 });
    m.host.setBudget(1e6, 1e5);
    expect(m.exports.growTable!(10)).toBe(-1);
    expect(m.exports.growTable!(9)).toBe(1);
    expect(m.exports.growTable!(1)).toBe(-1);
  });

  it('rewrites every maximum to min(declared, cap), the cap when absent', async () => {
    const cases: [string, number | undefined][] = [
      ['(memory 1)', 8],
      ['(memory 1 100)', 8],
      ['(memory 1 2)', 2],
      ['(memory 8 8)', 8],
    ];
    for (const [decl, max] of cases) {
      const bytes = metered(await wat(`(module ${decl} (table 2 5 funcref) (table 3 externref))`), {
        memoryPages: 8,
        tableElements: 4,
      }).bytes;
      const d = describeModule(bytes);
      if (!d.ok) expect.fail(d.error.message);
      expect(d.value.memories, decl).toEqual([
        {
          minPages: Number(decl.match(/\d+/)![0]),
          maxPages: max,
          shared: false,
          memory64: false,
          imported: false,
        },
      ]);
      expect(d.value.tables).toEqual([
        { min: 2, max: 4, imported: false },
        { min: 3, max: 4, imported: false },
      ]);
    }
  });
});

describe("imported memories and tables in 'cap' mode (dynamically linked toolchains)", () => {
  const IMPORTER = `(module
    (import "env" "memory" (memory 1))
    (import "env" "table" (table 1 funcref))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;

  it('are refused by default', async () => {
    const res = instrument(await wat(IMPORTER), OPTIONS);
    expect(!res.ok && res.error.code).toBe('imported-memory');
  });

  it('are accepted with the cap as their declared maximum, so only a capped memory links', async () => {
    const info = metered(await wat(IMPORTER), {
      memoryPages: 4,
      tableElements: 10,
      importedMemoryAndTables: 'cap',
    });
    const d = describeModule(info.bytes);
    expect(d.ok && d.value.memories).toEqual([
      { minPages: 1, maxPages: 4, shared: false, memory64: false, imported: true },
    ]);
    expect(d.ok && d.value.tables).toEqual([{ min: 1, max: 10, imported: true }]);
    const module = new WebAssembly.Module(info.bytes);
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: 10 });
    const link = (memory: WebAssembly.Memory) => new WebAssembly.Instance(module, { env: { memory, table } });
    expect(() => link(new WebAssembly.Memory({ initial: 1 }))).toThrow(WebAssembly.LinkError);
    expect(() => link(new WebAssembly.Memory({ initial: 1, maximum: 100 }))).toThrow(WebAssembly.LinkError);
    const instance = link(new WebAssembly.Memory({ initial: 1, maximum: 4 }));
    const grow = instance.exports.grow as (n: number) => number;
    (instance.exports.throwdown_fuel as WebAssembly.Global).value = 100_000n;
    expect(grow(4)).toBe(-1);
    expect(grow(3)).toBe(1);
  });

  it('are still refused above the cap, shared, or as a second memory', async () => {
    const caps = { memoryPages: 4, tableElements: 10, importedMemoryAndTables: 'cap' as const };
    const big = instrument(await wat(`(module (import "env" "memory" (memory 5)))`), { ...OPTIONS, ...caps });
    expect(!big.ok && big.error.message).toMatch(
      /The imported memory "env" "memory" declares a minimum memory of 320 KiB; bots may use at most 256 KiB/,
    );
    const shared = instrument(await wat(`(module (import "env" "memory" (memory 1 1 shared)))`), {
      ...OPTIONS,
      ...caps,
    });
    expect(!shared.ok && shared.error.code).toBe('shared-memory');
    const two = instrument(await wat(`(module (import "env" "memory" (memory 1)) (memory 1))`), {
      ...OPTIONS,
      ...caps,
    });
    expect(!two.ok && two.error.code).toBe('multiple-memories');
  });
});
