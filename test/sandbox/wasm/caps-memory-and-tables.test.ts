import { describe, expect, it } from 'vitest';
import { describeModule } from '../../../src/sandbox/wasm/index.js';
import { instantiateMetered, metered } from './helpers/meter.js';
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
