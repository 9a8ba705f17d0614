import { describe, expect, it } from 'vitest';
import { instrument, type MeterRejectionCode } from '../../../src/sandbox/wasm/index.js';
import { OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

async function rejection(text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? await wat(text) : text;
  const res = instrument(bytes, OPTIONS);
  if (res.ok) return expect.fail('the module was accepted');
  return res.error;
}

const cases: [MeterRejectionCode, string, RegExp][] = [
  ['invalid', '(module (func (result i32)))', /not valid WebAssembly: .*expected 1 elements on the stack/],
  ['multiple-memories', '(module (memory 1) (memory 1))', /has 2 memories; bots may use only one/],
  ['shared-memory', '(module (memory 1 1 shared))', /shared memory \(threads\); bots run single-threaded/],
  ['memory64', '(module (memory i64 1))', /64-bit memory \(memory64\)/],
  [
    'relaxed-simd',
    '(module (func (param v128) (result v128) local.get 0 local.get 0 local.get 0 f32x4.relaxed_madd))',
    /Function 0 \(at byte 0x[0-9a-f]+\) uses a relaxed SIMD instruction.*differ between CPUs/,
  ],
  [
    'atomic-wait',
    '(module (memory 1 1) (func (param i32 i32 i64) (result i32) local.get 0 local.get 1 local.get 2 memory.atomic.wait32))',
    /uses memory\.atomic\.wait32, which would block the host thread/,
  ],
  [
    'atomic-wait',
    '(module (memory 1 1) (func (param i32 i64 i64) (result i32) local.get 0 local.get 1 local.get 2 memory.atomic.wait64))',
    /memory\.atomic\.wait64/,
  ],
  [
    'memory-too-large',
    '(module (memory 32768))',
    /declares a minimum memory of 2 GiB; bots may use at most 64 MiB/,
  ],
  [
    'table-too-large',
    '(module (table 10001 funcref))',
    /Table 0 declares a minimum of 10001 elements; bots may use at most 10000/,
  ],
  ['imported-memory', '(module (import "env" "memory" (memory 1)))', /imports its memory \("env" "memory"\)/],
  ['imported-table', '(module (import "env" "t" (table 1 funcref)))', /imports a table \("env" "t"\)/],
  [
    'reserved-name',
    '(module (global (export "throwdown_fuel") i64 (i64.const 0)))',
    /exports "throwdown_fuel"; names starting with "throwdown_" are reserved/,
  ],
  ['reserved-name', '(module (func (export "throwdown_anything")))', /reserved for the sandbox/],
  ['unsupported-feature', '(module (type (struct (field i32))))', /GC types .* cannot bound/],
  ['unsupported-feature', '(module (type (array (mut i8))))', /GC types/],
  ['unsupported-feature', '(module (rec (type (func)) (type (struct))))', /GC types/],
  ['unsupported-feature', '(module (func (param anyref)))', /GC types/],
  ['unsupported-feature', '(module (func (result i31ref) i32.const 1 ref.i31))', /GC types/],
  ['unsupported-feature', '(module (type $t (sub (func))))', /GC types/],
  ['unsupported-feature', '(module (table i64 1 funcref))', /64-bit indices \(table64\)/],
  ['memory64', '(module (memory i64 1 1))', /64-bit memory \(memory64\); bots must use a 32-bit memory/],
  // A module that imported the sandbox's shared counters (or another module's metering
  // exports, which a component can wire to it) could set its own fuel.
  [
    'reserved-name',
    '(module (import "throwdown" "fuel" (global (mut i64))))',
    /imports "throwdown" "fuel"; the module "throwdown" and names starting with "throwdown_" are reserved for the sandbox/,
  ],
  [
    'reserved-name',
    '(module (import "throwdown" "anything" (func)))',
    /imports "throwdown" "anything"; the module "throwdown" .* reserved/,
  ],
  [
    'reserved-name',
    '(module (import "env" "throwdown_fuel" (global (mut i64))))',
    /imports "env" "throwdown_fuel"; .* reserved for the sandbox/,
  ],
  [
    'multiple-memories',
    '(module (memory 1) (memory $m2 1) (data (memory $m2) (i32.const 0) "x"))',
    /2 memories/,
  ],
];

/** A module whose one type is `(func (param stringref))`, in V8's encoding (0x67). */
const STRINGREF_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, 0x67, 0x00,
]);

describe('modules the sandbox refuses get a typed reason in plain words', () => {
  for (const [code, text, message] of cases) {
    it(`${code}: ${text.slice(0, 70)}`, async () => {
      const e = await rejection(text);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    });
  }

  it('not-core-module: a component', async () => {
    const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    const e = await rejection(component);
    expect(e.code).toBe('not-core-module');
    expect(e.message).toMatch(/component/);
  });

  it('unsupported-feature: string references (stringref)', async () => {
    const e = await rejection(STRINGREF_MODULE);
    expect(e.code).toBe('unsupported-feature');
    expect(e.message).toMatch(/string references \(stringref\)/);
  });

  it('malformed: says where', async () => {
    const e = await rejection(
      new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01]),
    );
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/the type section claims 5 bytes but only 1 follow at byte 0x9/);
  });
});
