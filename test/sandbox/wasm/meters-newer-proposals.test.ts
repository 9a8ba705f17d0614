import { describe, expect, it } from 'vitest';
import { instantiateMetered, OPTIONS } from './helpers/meter.js';
import { wat } from './helpers/wat.js';

/**
 * The WebAssembly that Node 26's V8 runs by default and the sandbox accepts is metered: each
 * of these loops forever through one proposal's instructions and must stop out of fuel (not
 * by V8's stack limit or the wall clock). What the sandbox refuses instead (GC, memory64,
 * table64, multi-memory, relaxed SIMD, stringref, shared memory) is in rejects-with-reasons.
 */
const FOREVER: [proposal: string, module: string][] = [
  ['tail calls: return_call', '(module (func $f (export "go") return_call $f))'],
  [
    'tail calls: return_call_indirect',
    `(module (type $v (func)) (table 1 funcref) (elem (i32.const 0) $f)
      (func $f (export "go") (return_call_indirect (type $v) (i32.const 0))))`,
  ],
  [
    'typed function references: call_ref in a loop',
    `(module (type $v (func)) (func $g) (elem declare func $g)
      (func (export "go") (loop $l (call_ref $v (ref.func $g)) (br $l))))`,
  ],
  [
    'typed function references: return_call_ref',
    `(module (type $v (func)) (elem declare func $f)
      (func $f (export "go") (return_call_ref $v (ref.func $f))))`,
  ],
  [
    'typed function references: br_on_null',
    `(module (func (export "go") (loop $l (br_on_null $l (ref.null func)) drop)))`,
  ],
  [
    'typed function references: br_on_non_null',
    `(module (type $v (func)) (func $g) (elem declare func $g)
      (func (export "go") (block $b (result (ref $v)) (loop $l (br_on_non_null $b (ref.null $v)) (br $l)) unreachable) drop))`,
  ],
  [
    'legacy exceptions: try/catch_all around a throw',
    `(module (tag $e) (func $t (throw $e))
      (func (export "go") loop $l try call $t catch_all br 1 end end))`,
  ],
  [
    'exnref: catch_all_ref and throw_ref',
    `(module (tag $e) (func $t (throw $e))
      (func $rethrow (param exnref) (throw_ref (local.get 0)))
      (func (export "go")
        (loop $l
          (block $h (result exnref) (try_table (catch_all_ref $h) (call $t)) (return))
          (block $h2 (param exnref) (result exnref)
            (try_table (param exnref) (catch_all_ref $h2) (call $rethrow)) (return))
          drop (br $l))))`,
  ],
  [
    'multi-value: a loop with parameters',
    `(module (func (export "go") (i32.const 1) (i64.const 2)
      (loop $l (param i32 i64) (br $l)) unreachable))`,
  ],
];

describe('newer proposals under metering', () => {
  for (const [proposal, text] of FOREVER) {
    it(`${proposal}: runs out of fuel`, async () => {
      const m = instantiateMetered(await wat(text));
      for (const budget of [100, 1_000_000]) {
        m.host.setBudget(budget, OPTIONS.stackBytes);
        let error: unknown;
        try {
          m.exports.go!();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
        expect(m.host.classifyTrap(error).kind).toBe('out-of-fuel');
      }
    });
  }
});
