import { describe, expect, it } from 'vitest';
import { describeModule, MEMORY_IMPORT, meterHost } from '../../../src/sandbox/wasm/index.js';
import { metered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

const program = `(module
  (memory (export "memory") 2 4000)
  (data (i32.const 16) "hi")
  (func (export "poke") (param i32) (result i32)
    (i32.store8 (i32.const 100) (local.get 0))
    (i32.add (i32.load8_u (i32.const 16)) (i32.load8_u (i32.const 100)))))`;

describe('importMemory: a memory the host can recycle between fresh instances', () => {
  it('turns the defined memory into a capped import and keeps the export', async () => {
    const out = metered(await wat(program), { importMemory: true });
    const d = describeModule(out.bytes);
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.imports).toContainEqual(expect.objectContaining({ ...MEMORY_IMPORT, kind: 'memory' }));
    expect(d.value.memories).toEqual([
      { minPages: 2, maxPages: OPTIONS.memoryPages, shared: false, memory64: false, imported: true },
    ]);
    expect(d.value.exports).toContainEqual({ name: 'memory', kind: 'memory' });
  });

  it('writes the data segments into the memory it is given, which then behaves as a fresh one', async () => {
    const module = new WebAssembly.Module(metered(await wat(program), { importMemory: true }).bytes);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: OPTIONS.memoryPages });
    const run = (value: number) => {
      const instance = new WebAssembly.Instance(module, {
        [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory },
      });
      meterHost(instance).setBudget(10_000, OPTIONS.stackBytes);
      return (instance.exports.poke as (v: number) => number)(value);
    };
    expect(run(1)).toBe('h'.charCodeAt(0) + 1);
    // Zeroed and instantiated again: the previous move's store is gone, the data is back.
    new Uint8Array(memory.buffer).fill(0);
    expect(new Uint8Array(memory.buffer)[16]).toBe(0);
    expect(run(2)).toBe('h'.charCodeAt(0) + 2);
    expect(() => memory.grow(OPTIONS.memoryPages)).toThrow(RangeError);
  });
});
