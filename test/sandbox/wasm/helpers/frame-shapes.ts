/**
 * Recursive WAT modules whose native stack frames stress different parts of V8's frame layout:
 * many locals, deep operand stacks, many parameters or results, v128 values, values live across
 * a call inside a loop, and the loop operations TurboFan gives extra slots. Each module exports
 * `go` (recurses until something stops it) and `depth` (calls entered so far).
 *
 * Used by bench/meter.ts (measureFrames) to calibrate the stack budget's frame cost and by the tests
 * that check the budget, not V8's own limit, is what stops recursion in every tier.
 */

const HEAD = `(global $depth (export "depth") (mut i32) (i32.const 0))`;
const BUMP = `(global.set $depth (i32.add (global.get $depth) (i32.const 1)))`;

const repeat = (n: number, f: (i: number) => string, sep = ' ') =>
  Array.from({ length: n }, (_, i) => f(i)).join(sep);

function recursive(params: string, result: string, body: string, args: string, extra = ''): string {
  return `(module (memory 1) ${HEAD} ${extra}
    (func $r (param ${params}) (result ${result}) ${BUMP} ${body})
    (func (export "go") (drop (call $r ${args}))))`;
}

/** Locals loaded from memory (so no compiler can rematerialise them) and used after the call. */
function liveLocals(n: number, type: 'i64' | 'f64' | 'v128', inLoop: boolean, convert = ''): string {
  const load = `${type}.load`;
  const stride = type === 'v128' ? 16 : 8;
  const acc = type === 'v128' ? 'v128' : 'i64';
  const add = type === 'v128' ? 'i32x4.add' : 'i64.add';
  const use = (i: number) => {
    const v = `(local.get ${i + 2})`;
    const asAcc = type === 'f64' ? `(${convert || 'i64.reinterpret_f64'} ${v})` : v;
    return `(local.set 1 (${add} (local.get 1) ${asAcc}))`;
  };
  const set = repeat(n, (i) => `(local.set ${i + 2} (${load} offset=${stride * i} (local.get 0)))`);
  const call = `(local.set 1 (${add} (local.get 1) (call $r (local.get 0))))`;
  const exit = type === 'v128' ? '(v128.any_true (local.get 1))' : '(i64.eqz (local.get 1))';
  const body = inLoop
    ? `${set} (loop $l ${call} ${repeat(n, use)} (br_if $l ${exit})) (local.get 1)`
    : `${set} ${call} ${repeat(n, use)} (local.get 1)`;
  return `(module (memory 1) ${HEAD}
    (func $r (param i32) (result ${acc}) (local ${acc} ${repeat(n, () => type)}) ${BUMP} ${body})
    (func (export "go") (drop (call $r (i32.const 0)))))`;
}

export function frameShapes(): Record<string, string> {
  const s: Record<string, string> = {};
  s.tiny = recursive('i32', 'i32', 'local.get 0 call $r', '(i32.const 0)');
  s.indirect = `(module ${HEAD} (type $t (func (param i32) (result i32))) (table 1 funcref) (elem (i32.const 0) $r)
    (func $r (type $t) ${BUMP} (call_indirect (type $t) (local.get 0) (i32.const 0)))
    (func (export "go") (drop (call $r (i32.const 0)))))`;
  s.mutual = `(module ${HEAD}
    (func $a (param i32) (result i32) ${BUMP} (call $b (local.get 0)))
    (func $b (param i32) (result i32) (local i64 i64 i64 i64) ${BUMP} (call $a (local.get 0)))
    (func (export "go") (drop (call $a (i32.const 0)))))`;
  for (const n of [64, 512]) s[`locals${n}`] = liveLocals(n, 'i64', false);
  for (const n of [64, 256]) s[`v128locals${n}`] = liveLocals(n, 'v128', false);
  for (const k of [64, 512]) {
    s[`stack${k}`] = recursive(
      'i32',
      'i64',
      `${repeat(k, (i) => `(i64.load offset=${8 * i} (local.get 0))`)} (call $r (local.get 0)) ${repeat(k, () => 'i64.add')}`,
      '(i32.const 0)',
    );
  }
  for (const p of [16, 128]) {
    s[`params${p}`] = recursive(
      repeat(p, () => 'i64'),
      'i64',
      `(call $r ${repeat(p, (i) => `(i64.add (local.get ${i}) (i64.const 1))`)})`,
      repeat(p, () => '(i64.const 0)'),
    );
  }
  s.results32 = `(module (memory 1) ${HEAD}
    (func $r (param i32) (result ${repeat(32, () => 'i64')}) ${BUMP}
      (call $r (local.get 0)) ${repeat(31, () => 'i64.add')} drop ${repeat(32, (i) => `(i64.load offset=${8 * i} (local.get 0))`)})
    (func (export "go") (call $r (i32.const 0)) ${repeat(32, () => 'drop')}))`;
  s.nested128 = recursive(
    'i32',
    'i64',
    `${repeat(128, (i) => `(block (result i64) (i64.load offset=${8 * i} (local.get 0))`)} (call $r (local.get 0)) ${repeat(128, () => 'i64.add)')}`,
    '(i32.const 0)',
  );
  for (const n of [16, 128]) s[`loopF64Trunc${n}`] = liveLocals(n, 'f64', true, 'i64.trunc_sat_f64_s');
  s.loopF64Reinterpret128 = liveLocals(128, 'f64', true);
  s.loopI64x128 = liveLocals(128, 'i64', true);
  // TurboFan gives every bulk memory instruction its own argument slot.
  s.bulkCopies64 = recursive(
    'i32',
    'i32',
    `${repeat(64, (i) => `(memory.copy (i32.const ${64 * i}) (i32.const 4096) (i32.const 40))`)} (call $r (local.get 0))`,
    '(i32.const 0)',
  );
  s.loopV128x64 = liveLocals(64, 'v128', true);
  return s;
}
