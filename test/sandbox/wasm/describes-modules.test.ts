import { describe, expect, it } from 'vitest';
import { describeModule } from '../../../src/sandbox/wasm/index.js';
import { wat } from './helpers/wat.js';

describe('describeModule lists a module interface without compiling it', () => {
  it('imports, exports, memories, tables, start and custom sections', async () => {
    const bytes = await wat(`(module
      (@custom "producers" "clang")
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "env" "mem" (memory 1 4 shared))
      (import "env" "g" (global i32))
      (table (export "t") 3 funcref)
      (func $main (export "_start") (param f64 v128) (result i64 externref) i64.const 0 ref.null extern)
      (global (export "answer") i32 (i32.const 42))
      (start $s)
      (func $s))`);
    const d = describeModule(bytes);
    if (!d.ok) return expect.fail(d.error.message);
    expect(d.value).toEqual({
      imports: [
        {
          module: 'wasi_snapshot_preview1',
          name: 'fd_write',
          kind: 'function',
          signature: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
        },
        { module: 'env', name: 'mem', kind: 'memory' },
        { module: 'env', name: 'g', kind: 'global' },
      ],
      exports: [
        { name: 't', kind: 'table' },
        {
          name: '_start',
          kind: 'function',
          signature: { params: ['f64', 'v128'], results: ['i64', 'externref'] },
        },
        { name: 'answer', kind: 'global' },
      ],
      memories: [{ minPages: 1, maxPages: 4, shared: true, memory64: false, imported: true }],
      tables: [{ min: 3, max: undefined, imported: false }],
      hasStart: true,
      customSections: ['producers', 'name'],
    });
  });

  it('reads proposals the engine does not run (memory64, GC types, tables with initialisers)', async () => {
    const d = describeModule(
      await wat(`(module (type $s (struct (field i32))) (memory i64 1) (table 2 7 funcref (ref.null func)))`),
    );
    if (!d.ok) return expect.fail(d.error.message);
    expect(d.value.memories).toEqual([
      { minPages: 1, maxPages: undefined, shared: false, memory64: true, imported: false },
    ]);
    expect(d.value.tables).toEqual([{ min: 2, max: 7, imported: false }]);
  });

  it('says where a module is malformed', () => {
    const d = describeModule(
      new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x03, 0x01, 0x05, 0x61]),
    );
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.message).toMatch(/at byte 0x[0-9a-f]+ \(in the import section\)/);
  });
});
