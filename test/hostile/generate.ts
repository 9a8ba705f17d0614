/**
 * Hostile binaries that no compiler writes: crafted bytes. Each function returns the whole
 * file. Kept free of I/O so the corpus can call them from the build.
 */

const MAGIC_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128, the integer encoding of every count and size in a wasm binary. */
export function leb128(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb128(body.length), ...body];
}

/** Plain text where a binary was expected. */
export function notWasm(): Uint8Array {
  return new TextEncoder().encode('This is a README, not a WebAssembly module.\n');
}

/** The right magic and version, then a type section of garbage (0x60 entries of nonsense). */
export function malformed(): Uint8Array {
  return Uint8Array.from([...MAGIC_VERSION, ...section(1, [0x60, 0x60, 0x60, 0xff, 0xfe])]);
}

/** A valid module cut short: the first `share` of its bytes. */
export function truncated(valid: Uint8Array, share = 0.6): Uint8Array {
  return valid.slice(0, Math.floor(valid.length * share));
}

/**
 * A module whose function section claims 4,294,967,280 functions in 5 bytes: a decoder that
 * allocates by the declared count before reading the entries (a "zip bomb") asks for ~16 GiB.
 */
export function functionCountBomb(): Uint8Array {
  return Uint8Array.from([
    ...MAGIC_VERSION,
    ...section(1, [0x01, 0x60, 0x00, 0x00]), // one type: func () -> ()
    ...section(3, leb128(0xfffffff0)), // function section: the count and nothing else
  ]);
}

/** Same idea for the element section: one table, then 4,294,967,295 claimed element segments. */
export function elementCountBomb(): Uint8Array {
  return Uint8Array.from([
    ...MAGIC_VERSION,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]), // one function of type 0
    ...section(4, [0x01, 0x70, 0x00, 0x01]), // one funcref table, min 1
    ...section(9, leb128(0xffffffff)), // element section: the count and nothing else
    ...section(10, [0x01, 0x02, 0x00, 0x0b]), // the function's body: no locals, end
  ]);
}

/**
 * A valid command of `totalBytes` or a little more: `module` (which must declare enough memory
 * and have no data section) plus one active data segment at address 0 filled with a pattern.
 */
export function withBigDataSegment(module: Uint8Array, totalBytes: number): Uint8Array {
  const payload = Math.max(0, totalBytes - module.length - 16);
  const head = [0x01, 0x00, 0x41, 0x00, 0x0b, ...leb128(payload)]; // 1 segment, memory 0, i32.const 0, end, size
  const sectionHead = [0x0b, ...leb128(head.length + payload)];
  const out = new Uint8Array(module.length + sectionHead.length + head.length + payload);
  out.set(module, 0);
  out.set(sectionHead, module.length);
  out.set(head, module.length + sectionHead.length);
  const start = module.length + sectionHead.length + head.length;
  for (let i = 0; i < payload; i++) out[start + i] = (i * 31 + 7) & 0xff;
  return out;
}

/**
 * A `player` component (it plays rock) that also exports `bomb: func(x: tN)`, where t0 is
 * tuple<u8, u8> and each t(i+1) is tuple<ti, ti>: a few hundred bytes describing a type of 2^(N+1)
 * leaves. Generators that expand types (jco writes code per leaf) take time and space exponential
 * in N; issue 11 measured 34 s and 38 MB of JavaScript for one such upload. Returns WAT.
 */
export function typeBombWat(levels: number, exports = 1): string {
  // From 4 levels on the parameter has more than 16 flat values, so `g` takes one pointer.
  if (levels < 4) throw new Error('a type bomb needs at least 4 levels');
  const types: string[] = ['(type $t0 (tuple u8 u8))'];
  for (let i = 1; i <= levels; i++) types.push(`(type $t${i} (tuple $t${i - 1} $t${i - 1}))`);
  const bombs: string[] = [];
  for (let e = 0; e < exports; e++) {
    bombs.push(`(func $bomb${e} (type $bft) (canon lift (core func $g) (memory $mem) (realloc $realloc)))
  (export "bomb${e}" (func $bomb${e}))`);
  }
  return `(component
  ${PLAYER_TYPES_WAT}
  (core module $m
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
    (func (export "g") (param i32))
    (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "g" (core func $g))
  (type $ft (func (param "state" $r) (result $h)))
  (alias core export $i "play" (core func $p))
  (func $play (type $ft) (canon lift (core func $p)))
  (export "play" (func $play))
  ${types.join('\n  ')}
  (type $bft (func (param "x" $t${levels})))
  ${bombs.join('\n  ')}
)`;
}

/** The imports every hand-written `player` component starts with: the types of wit/rps.wit. */
export const PLAYER_TYPES_WAT = `
  (type $types (instance
    (type (enum "rock" "paper" "scissors"))
    (export "hand" (type (eq 0)))
    (type (option 1))
    (type (record (field "round" u32) (field "total-rounds" u32) (field "my-last" 2) (field "their-last" 2)))
    (export "round-state" (type (eq 3)))))
  (import "throwdown:rps/types@0.1.0" (instance $t (type $types)))
  (alias export $t "hand" (type $hand))
  (import "hand" (type $h (eq $hand)))
  (alias export $t "round-state" (type $rs))
  (import "round-state" (type $r (eq $rs)))`;

/**
 * A hand-written `player` component: the types of wit/rps.wit, then `parts` (its core modules and
 * instances), then `play` lifted from the export "play" of the core instance `instance`.
 */
function playerComponentWat(parts: string, instance: string): string {
  return `(component
  ${PLAYER_TYPES_WAT}
  ${parts}
  (type $ft (func (param "state" $r) (result $h)))
  (alias core export ${instance} "play" (core func $play-core))
  (func $play (type $ft) (canon lift (core func $play-core)))
  (export "play" (func $play))
)`;
}

/**
 * Two byte-identical core modules, instantiated with different imports (the first instance's
 * answers scissors, the second's paper); `play` is lifted from the first instance. Matching core
 * modules to files by content (as the direct path once did) finds the second module's file and
 * plays paper; the right answer is scissors every round. With `sameModule`, one module is
 * instantiated twice instead. Returns WAT.
 */
export function identicalModulesWat(sameModule = false): string {
  const body =
    '(import "env" "f" (func $g (result i32))) (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (call $g))';
  return playerComponentWat(
    `(core module $paper (func (export "f") (result i32) (i32.const 1)))
  (core module $scissors (func (export "f") (result i32) (i32.const 2)))
  (core instance $p (instantiate $paper))
  (core instance $s (instantiate $scissors))
  (core module ${body})
  (core module ${body})
  (core instance $a (instantiate 2 (with "env" (instance $s))))
  (core instance $b (instantiate ${sameModule ? '2' : '3'} (with "env" (instance $p))))`,
    '$a',
  );
}

/** A core function body that counts to `n` (about 7 fuel per count). */
function burn(n: number): string {
  return `(local $i i32) (loop $l (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const ${n}))))`;
}

/**
 * A component of `modules` core modules, each with a start function that counts to
 * `iterations` (~7 fuel per count): each alone fits the start-up budget, together they do not.
 */
export function startupBurnersWat(modules: number, iterations: number): string {
  const burners = Array.from(
    { length: modules },
    (_, i) => `(core module $m${i} (func $s ${burn(iterations)}) (start $s))
  (core instance $i${i} (instantiate $m${i}))`,
  ).join('\n  ');
  return playerComponentWat(
    `${burners}
  (core module $main (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $main (instantiate $main))`,
    '$main',
  );
}

/**
 * A component whose move splits its work across three core modules, each counting to
 * `iterations` (~7 fuel per count): each part fits the per-move budget, the move does not.
 */
export function splitMoveWat(iterations: number): string {
  const worker = `(func (export "work") ${burn(iterations)})`;
  return playerComponentWat(
    `(core module $w ${worker})
  (core instance $a (instantiate $w))
  (core module $v ${worker})
  (core instance $b (instantiate $v))
  (core module $main
    (import "a" "work" (func $a))
    (import "b" "work" (func $b))
    (func $mine ${burn(iterations)})
    (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32)
      (call $mine) (call $a) (call $b) (i32.const 0)))
  (core instance $main (instantiate $main (with "a" (instance $a)) (with "b" (instance $b))))`,
    '$main',
  );
}

/**
 * A component whose core module imports the sandbox's shared fuel counter by its own name
 * (`throwdown` `fuel`), satisfied in the component by a global of its own, and sets it to the
 * largest i64 before looping forever. The host wires `throwdown` to the real counter for
 * metered modules, so without the upload check this bot would give itself unlimited fuel.
 */
export function setFuelImportWat(): string {
  return playerComponentWat(
    `(core module $decoy (global (export "fuel") (mut i64) (i64.const 0)))
  (core instance $decoy (instantiate $decoy))
  (core module $main
    (import "throwdown" "fuel" (global $fuel (mut i64)))
    (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32)
      (loop $l (global.set $fuel (i64.const 0x7fffffffffffffff)) (br $l))
      (i32.const 0)))
  (core instance $main (instantiate $main (with "throwdown" (instance $decoy))))`,
    '$main',
  );
}

/**
 * A component that aliases the `throwdown_fuel` export metering gives one core instance and
 * hands it, under an innocent name, to another module that sets it. The export does not exist
 * in the module as uploaded (exports with the prefix are refused), so the component is invalid
 * as uploaded; metering must not make it valid.
 */
export function aliasFuelExportWat(): string {
  return playerComponentWat(
    `(core module $victim (func (export "f")))
  (core instance $victim (instantiate $victim))
  (alias core export $victim "throwdown_fuel" (core global $stolen))
  (core instance $env (export "g" (global $stolen)))
  (core module $main
    (import "env" "g" (global $fuel (mut i64)))
    (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32)
      (loop $l (global.set $fuel (i64.const 0x7fffffffffffffff)) (br $l))
      (i32.const 0)))
  (core instance $main (instantiate $main (with "env" (instance $env))))`,
    '$main',
  );
}
