import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext, Target } from '../../scripts/bots/build.js';
import {
  assemblyScriptToCommand,
  combinedWit,
  javaScriptToComponent,
  watToComponent,
  watToWasm,
} from '../../scripts/bots/compile.js';
import type { BotKind, BotLanguage, Expectation, HostileEntry } from '../../scripts/bots/manifest.js';
import {
  aliasFuelExportWat,
  elementCountBomb,
  functionCountBomb,
  identicalModulesWat,
  malformed,
  notWasm,
  PLAYER_TYPES_WAT,
  setFuelImportWat,
  splitMoveWat,
  startupBurnersWat,
  truncated,
  typeBombWat,
  withBigDataSegment,
} from './generate.js';
import { componentWithName, HOSTILE_NAMES, NAME_POSITIONS } from './names.js';

/**
 * The hostile corpus: every bot here attacks the sandbox or breaks a rule, and says what the
 * sandbox must answer. test/hostile/README.md explains each choice. Rounds count from 1; a
 * component's round 0 is its start-up (instantiation), before the first move.
 */

interface Spec {
  /** File stem: `<what>.<component|command>`. */
  name: string;
  kind: BotKind;
  language: BotLanguage;
  source: string;
  description: string;
  expected: Expectation;
  /** The expectation in words, with the reason. */
  expectText: string;
  /** World for WAT components (default `player`). */
  world?: string;
  /** Extra input files for `bytes` specs. */
  inputs?: string[];
  /** How to make a `bytes` spec. */
  make?: (ctx: BuildContext) => Promise<Uint8Array>;
}

const RPS_WIT = 'wit/rps.wit';
const HOSTILE_WIT = 'test/hostile/wit/extras.wit';
const GENERATE = 'test/hostile/generate.ts';

const fault = (kind: Extract<Expectation, { expect: 'fault' }>['kind'], round: number): Expectation => ({
  expect: 'fault',
  kind,
  round,
});
const rejected = (messageIncludes: string, code?: string): Expectation =>
  code ? { expect: 'rejected', code, messageIncludes } : { expect: 'rejected', messageIncludes };
const plays = (note: string): Expectation => ({ expect: 'plays', note });

function watComponent(
  stem: string,
  description: string,
  expected: Expectation,
  expectText: string,
  world = 'player',
): Spec {
  return {
    name: `${stem}.component`,
    kind: 'component',
    language: 'wat',
    source: `test/hostile/wat/${stem}.component.wat`,
    description,
    expected,
    expectText,
    world,
  };
}

function watCommand(stem: string, description: string, expected: Expectation, expectText: string): Spec {
  return {
    name: `${stem}.command`,
    kind: 'command',
    language: 'wat',
    source: `test/hostile/wat/${stem}.command.wat`,
    description,
    expected,
    expectText,
  };
}

function asCommand(stem: string, description: string, expected: Expectation, expectText: string): Spec {
  return {
    name: `${stem}.command`,
    kind: 'command',
    language: 'assemblyscript',
    source: `test/hostile/as/${stem}.ts`,
    description,
    expected,
    expectText,
  };
}

function jsComponent(stem: string, description: string, expected: Expectation, expectText: string): Spec {
  return {
    name: `${stem}.js`,
    kind: 'component',
    language: 'javascript',
    source: `test/hostile/js/${stem}.js`,
    description,
    expected,
    expectText,
  };
}

function bytes(
  stem: string,
  kind: BotKind,
  description: string,
  expected: Expectation,
  expectText: string,
  make: (ctx: BuildContext) => Promise<Uint8Array>,
  inputs: string[] = [],
): Spec {
  return {
    name: `${stem}.${kind}`,
    kind,
    language: 'bytes',
    source: GENERATE,
    description,
    expected,
    expectText,
    make,
    inputs,
  };
}

const readText = (root: string, file: string) => readFile(join(root, file), 'utf8');
const NAMES = 'test/hostile/names.ts';

/** A component of the generated name corpus (test/hostile/names.ts): `position` holding `name`. */
async function named(positionId: string, nameId: string): Promise<Uint8Array> {
  const position = NAME_POSITIONS.find((p) => p.id === positionId);
  const name = HOSTILE_NAMES.find((n) => n.id === nameId);
  if (!position || !name) throw new Error(`no ${positionId} or ${nameId} in test/hostile/names.ts`);
  return componentWithName(position, name.bytes, watToWasm);
}

const INVALID_WASM = 'malformed';
const NOT_VALID = 'is refused as invalid WebAssembly before anything is compiled or run';

export const HOSTILE_SPECS: readonly Spec[] = [
  // --- Runaway computation -------------------------------------------------------------
  watComponent(
    'loop-move',
    'Infinite loop inside play, round 1.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: fuel metering stops the loop deterministically (the wall-clock net is only a backstop)',
  ),
  watCommand(
    'loop-move',
    'Infinite loop inside _start, its first move.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1 (the move fuel budget)',
  ),
  watComponent(
    'throw-catch-loop',
    'Infinite loop in play whose every iteration throws from a callee and catches with try_table.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: try_table is metered, and what a callee burned before it threw is charged',
  ),
  // Loops of operations that call into the engine: each must cost fuel in proportion to its
  // time, or the move deadline (sized from fuel) decides instead of fuel under load.
  watComponent(
    'grow-zero-loop',
    'memory.grow 0 in an endless loop inside play.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: every memory.grow pays a flat charge for the call into the engine, even one that grows nothing',
  ),
  watComponent(
    'grow-fail-loop',
    'memory.grow past the memory cap in an endless loop inside play, ignoring the -1.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1, not out of memory: a failed grow costs its flat charge, and no trap follows it',
  ),
  watComponent(
    'table-fill-loop',
    'table.fill of a 20,000-element table with a function reference, in an endless loop inside play.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: table operations are charged per element, at a rate that keeps their time per fuel unit near ordinary code',
  ),
  watComponent(
    'memory-copy-loop',
    'memory.copy of 1 MiB in an endless loop inside play.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: memory operations are charged per 4 bytes',
  ),
  watComponent(
    'loop-start',
    "Infinite loop in the core module's start function, which runs at instantiation.",
    fault('out-of-fuel', 0),
    'out of fuel in round 0: the instantiation budget runs out before the first move',
  ),
  watCommand(
    'loop-start',
    'Infinite loop in the start function, which runs when each fresh instance is created.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: a command has no start-up of its own, its first move instantiates it',
  ),
  // --- Host work is charged (issue 10): each ends out of fuel, never by the wall clock -----
  watCommand(
    'random-flood',
    'Calls random_get for 16 MiB in a loop within one move.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: random_get is charged per byte, so 16 MiB costs more than a move holds',
  ),
  watCommand(
    'iovec-flood',
    'Calls fd_write with 1024 empty iovecs in a loop within one move.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: fd_write is charged per iovec, written or not',
  ),
  watCommand(
    'poll-flood',
    'Calls poll_oneoff with 4096 clock subscriptions in a loop within one move.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: poll_oneoff is charged per subscription',
  ),
  watCommand(
    'big-memory',
    'Declares a 64 MiB memory and plays Rock.',
    fault('out-of-fuel', 257),
    'out of fuel in round 257: the 1024 pages the host zero-fills for every fresh instance cost 8,388,608 fuel a move, so the 2 billion match budget (plus the input allowance, which grows with the history) lasts 256 moves',
  ),
  watComponent(
    'random-flood',
    'Calls wasi:random get-random-bytes for 1 MiB in a loop within one move.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: get-random-bytes is charged per byte',
    'throwdown:hostile/with-random',
  ),
  watComponent(
    'clock-flood',
    'Reads wasi:clocks/monotonic-clock now 200,000 times in one move (about 2M fuel of its own instructions).',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: every preview2 call is charged as a host call, clock reads included',
    'throwdown:hostile/with-clocks',
  ),
  watComponent(
    'debug-decode',
    'Spends about half a move, then passes arena.debug 64 MiB of bytes that are not UTF-8.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: a string is charged by the byte length the guest passes before the host decodes it (decoding first would find invalid UTF-8: a trap)',
  ),
  bytes(
    'startup-burners',
    'component',
    'Four core modules, each with a start function using about 175M fuel: each fits the 500M start-up budget, together they do not.',
    fault('out-of-fuel', 0),
    'out of fuel in round 0: one start-up budget for the whole bot, not one per core module',
    async () => watToWasm(startupBurnersWat(4, 25_000_000)),
  ),
  bytes(
    'split-move',
    'component',
    'A move split over three core modules, each using about 8M fuel of the 20M per-move budget.',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: all core modules of a bot charge one counter, so splitting work gains nothing',
    async () => watToWasm(splitMoveWat(1_200_000)),
  ),
  // --- The shared fuel counter is the sandbox's alone (issue 10) ----------------------------
  watCommand(
    'set-fuel',
    "Imports throwdown.fuel, the sandbox's fuel counter, and sets it to the largest i64 while looping.",
    rejected('throwdown.fuel', 'unknown-import'),
    "rejected at load: a command may import only WASI preview1 functions, so the sandbox's counter is an unknown import",
  ),
  bytes(
    'set-fuel',
    'component',
    'A core module importing throwdown.fuel (satisfied in the component by a decoy global), which the host would replace with the shared counter; sets it to the largest i64 while looping.',
    rejected('"throwdown" "fuel"', 'unsupported-feature'),
    'rejected at load: a core import from the module "throwdown" is refused, so the host never hands the shared counter to bot code',
    async () => watToWasm(setFuelImportWat()),
  ),
  bytes(
    'alias-fuel',
    'component',
    'Aliases the throwdown_fuel export that metering adds to one core instance and passes it, renamed, to a module that sets it while looping.',
    rejected('no export named `throwdown_fuel`', 'malformed'),
    'rejected at load: the uploaded module has no such export, so the component is invalid as uploaded',
    async () => watToWasm(aliasFuelExportWat()),
  ),
  watComponent(
    'loop-late',
    'Plays rock for 20 rounds (the smoke match), then spins forever inside play.',
    fault('out-of-fuel', 21),
    'out of fuel in round 21: metering stops it; with metering out of the way the move deadline does, and it forfeits by timeout (test/sandbox/play/deadline.test.ts)',
  ),
  asCommand(
    'smoke-detect',
    "Plays only where it thinks it is in the upload's smoke match (20 rounds, named your-bot, opponent reference/...), prints nothing elsewhere.",
    { expect: 'fault', kind: 'invalid-move', round: 1 },
    'invalid move in round 1: the smoke match looks like a real one (names, standard length, fresh seed), so it cannot tell and fails the upload check',
  ),
  watComponent(
    'trap-start',
    'Traps (unreachable) in the start function.',
    fault('crashed-at-start', 0),
    'crashed at start, round 0: it never got to play',
  ),
  jsComponent(
    'loop',
    'JavaScript `for (;;) {}` inside play (QuickJS interpreter loop).',
    fault('out-of-fuel', 1),
    'out of fuel in round 1: the QuickJS core module is metered like any other',
  ),

  // --- Memory and tables -------------------------------------------------------------------
  watComponent(
    'memory-grow',
    'memory.grow by one page in a loop until it fails, then traps like an allocator.',
    fault('out-of-memory', 1),
    'out of memory in round 1: memory.grow fails at the memory cap and the bot then traps; the host attributes a trap that follows a failed grow in the same move to memory',
  ),
  asCommand(
    'memory-bomb',
    'AssemblyScript allocating 1 MiB arrays forever and keeping them all.',
    fault('out-of-memory', 1),
    "out of memory in round 1: AssemblyScript's allocator traps once memory.grow fails at the cap",
  ),
  watCommand(
    'huge-memory',
    'Declares a minimum memory of 60,000 pages (3.75 GiB).',
    rejected('memory', 'memory-too-large'),
    'rejected at load: its declared minimum memory is over the cap, so it could never be instantiated within it',
  ),
  watCommand(
    'gc-alloc',
    'Allocates 64 MiB GC arrays in a loop (wasm GC objects live outside linear memory).',
    rejected('GC', 'unsupported-feature'),
    'rejected at load: GC objects would escape the memory cap, so modules using wasm GC types are refused',
  ),
  watCommand(
    'huge-table',
    'Declares a table of 5,000,000 elements.',
    rejected('table', 'table-too-large'),
    'rejected at load: the declared minimum table size is over the table cap',
  ),
  watCommand(
    'table-grow',
    'table.grow by 1,000 in a loop until it fails; prints "table elements: N"; Rock.',
    plays(
      'every move is Rock; stdout has "table elements: N" with N <= limits.tableElements (table.grow returns -1 at the cap instead of growing or crashing the host)',
    ),
    'plays: a failed table.grow is an ordinary result (-1) the bot handles, so it goes on',
  ),

  // --- Stack ------------------------------------------------------------------------------
  watComponent(
    'recursion-small',
    'Unbounded recursion with tiny frames.',
    fault('stack-exhausted', 1),
    'stack exhausted in round 1, deterministically (the call-depth/stack budget, not V8 stack overflow, decides)',
  ),
  watComponent(
    'recursion-big',
    'Unbounded recursion with big frames (256 i64 and 64 v128 locals each).',
    fault('stack-exhausted', 1),
    'stack exhausted in round 1, after far fewer calls than the small-frame one if the budget counts bytes',
  ),

  // --- Output -------------------------------------------------------------------------------
  watCommand(
    'stdout-flood',
    'Writes 1 MiB of "x" to stdout, then a valid last line "Rock".',
    fault('output-too-large', 1),
    'output too large in round 1: stdout went over its cap; the valid last line does not save it',
  ),
  watCommand(
    'stderr-flood',
    'Writes 1 MiB of "x" to stderr, then "Rock" to stdout.',
    fault('output-too-large', 1),
    'output too large in round 1: stderr went over its cap',
  ),
  watComponent(
    'debug-flood',
    'Calls arena.debug with 4 KiB lines until 1 MiB is logged.',
    fault('output-too-large', 1),
    'output too large in round 1: debug shares the per-move stderr cap',
  ),

  // --- Exits and traps ----------------------------------------------------------------------
  watCommand(
    'exit-0',
    'Prints Rock, then proc_exit(0) mid-move; code after the exit would print Paper.',
    plays('every move is Rock and stdout is exactly "Rock\\n": proc_exit(0) ends the move cleanly'),
    'plays: exiting with 0 after printing a move is a valid move (Snippy agrees)',
  ),
  watCommand(
    'exit-3',
    'Prints Rock, then proc_exit(3).',
    fault('exit-nonzero', 1),
    'exit non-zero in round 1: Snippy too counts a non-zero exit as a failed run, whatever was printed',
  ),
  asCommand(
    'throw',
    'AssemblyScript `throw`: the WASI shim prints the error to stderr and calls proc_exit(255).',
    fault('exit-nonzero', 1),
    "exit non-zero in round 1 (exit code 255, AssemblyScript's abort)",
  ),
  watComponent(
    'trap-500',
    'Plays rock for 499 rounds, then traps in round 500.',
    fault('trap', 500),
    'trap in round 500; rounds 1-499 stand as played',
  ),
  watCommand(
    'trap-500',
    'Plays Rock until stdin says "round":499 (its 500th move), then traps.',
    fault('trap', 500),
    'trap in round 500 (the input round 499 means 499 rounds were played)',
  ),
  watCommand(
    'stderr-nul',
    'Plays Rock, writing a NUL byte, a code fence, mentions and a right-to-left override to stderr every move.',
    plays('every move is Rock; stderr holds a NUL byte, which the service must still store'),
    "plays every round: stderr is the bot's own business (the service makes it storable and shows it safely)",
  ),
  watCommand(
    'trap-nul-name',
    'Plays Rock, then traps in round 100 in a function whose name holds a NUL byte, a code fence and a mention.',
    fault('trap', 100),
    "trap in round 100 (it passes the upload's test match): the fault message names the function, NUL and all; the service makes it storable",
  ),
  watComponent(
    'div-overflow',
    'i32.div_s(INT_MIN, -1): integer overflow.',
    fault('trap', 1),
    'trap in round 1 (integer overflow)',
  ),
  watCommand(
    'trunc-nan',
    'i32.trunc_f32_s(NaN): invalid conversion to integer.',
    fault('trap', 1),
    'trap in round 1 (invalid conversion to integer)',
  ),
  watComponent(
    'nan-sign',
    'Plays by the sign bits of NaNs from 0/0, inf-inf and sqrt(-1), folded and computed.',
    plays('moves identical in every V8 tier (NaNs are canonicalised)'),
    'plays: every NaN it sees is the canonical one, so its moves do not depend on the compiler tier or the CPU',
  ),
  watComponent(
    'nan-payload',
    'Plays by the payload bits of NaNs flowing through add, min, max, conversions and SIMD.',
    plays('moves identical in every V8 tier (NaNs are canonicalised)'),
    'plays: every NaN it sees is the canonical one, so its moves do not depend on the compiler tier or the CPU',
  ),
  jsComponent(
    'throw',
    'JavaScript play throws in round 3.',
    fault('trap', 3),
    'trap in round 3: componentize-qjs turns an uncaught exception into a wasm trap',
  ),

  // --- Invalid moves -------------------------------------------------------------------------
  watCommand('lizard', 'Prints "lizard".', fault('invalid-move', 1), 'invalid move in round 1'),
  watCommand(
    'no-output',
    'Prints nothing, exits 0.',
    fault('invalid-move', 1),
    'invalid move in round 1: no last line',
  ),
  watCommand(
    'crlf',
    'Prints "Rock\\r\\n".',
    fault('invalid-move', 1),
    'invalid move in round 1: only one trailing "\\n" is removed, so the last line is "Rock\\r" (Snippy\'s rule, kept for compatibility)',
  ),
  watComponent(
    'enum-7',
    'Returns discriminant 7 for the three-case hand enum.',
    fault('invalid-move', 1),
    'invalid move in round 1: jco refuses the out-of-range discriminant; that is the bot returning a non-hand, not a host error',
  ),

  // --- What the host lets a bot see ----------------------------------------------------------
  asCommand(
    'env',
    'Prints every environment variable ("env: K=V", "env-count: N"): tries to read a host secret.',
    plays('every move is Rock; stdout has "env-count: 0" and no "env:" line: the environment is empty'),
    'plays: reading the environment is allowed and finds nothing',
  ),
  watComponent(
    'env',
    'Calls wasi:cli/environment get-environment; rock if empty, paper otherwise.',
    plays('every move is rock: get-environment returns an empty list'),
    'plays: the interface is provided (componentize-qjs bots built with WASI import it) and empty',
    'throwdown:hostile/with-environment',
  ),
  asCommand(
    'args',
    'Prints its arguments ("arg: A", "arg-count: N").',
    plays('every move is Rock; stdout has "arg-count: 1" and "arg: <the bot\'s name>"'),
    'plays: args are exactly [bot name]',
  ),
  asCommand(
    'clocks',
    'Prints the wall and monotonic clocks twice ("wall: A B", "monotonic: C D").',
    plays(
      'every move is Rock; the printed times are virtual: the same seed prints the same numbers, and nothing depends on the real time',
    ),
    'plays: clocks are allowed and virtual',
  ),
  watCommand(
    'read-file',
    'path_open of /etc/passwd and etc/passwd relative to fds 3..9; prints each errno.',
    plays(
      'every move is Rock; every "path_open fd F: errno N" line has N != 0 (8, badf: there is no preopened directory)',
    ),
    'plays: filesystem calls are allowed and fail',
  ),
  watCommand(
    'preopens',
    'fd_prestat_get for fds 3..9; prints each errno.',
    plays('every move is Rock; every "prestat fd F: errno N" line has N = 8 (badf): no preopens'),
    'plays: there are no preopened directories to discover',
  ),
  watCommand(
    'random',
    'Prints the 16 bytes random_get returns as hex ("random: ..."), then Rock.',
    plays(
      'every move is Rock; the "random:" line is identical for the same match seed and round, and differs for another seed',
    ),
    "plays: random_get is the host's seeded generator",
  ),
  watCommand(
    'sleep',
    'Sleeps 10 s with poll_oneoff on the monotonic clock, then Rock.',
    plays(
      'every move is Rock and each takes milliseconds: the virtual clock advances, nothing really sleeps',
    ),
    'plays: poll_oneoff on a clock returns at once',
  ),
  watCommand(
    'sockets-preview1',
    "Imports preview1's sock_accept/recv/send/shutdown; calls sock_accept on fds 3..9.",
    plays('every move is Rock; every "sock_accept fd F: errno N" line has N != 0 (no socket exists)'),
    'plays: these four are standard preview1 imports (wasmtime links them for Snippy too); with no socket fds they can only fail',
  ),
  watCommand(
    'sock-open',
    'Imports wasi_snapshot_preview1.sock_open (a WasmEdge extension, not preview1).',
    rejected('sock_open', 'forbidden-import'),
    'rejected at load: a socket call that opens connections is network use',
  ),
  watCommand(
    'launch-missiles',
    'Imports env.launch_missiles.',
    rejected('launch_missiles', 'unknown-import'),
    'rejected at load: unknown import',
  ),
  watComponent(
    'sockets',
    'Imports wasi:sockets/tcp and tcp-create-socket and opens a socket.',
    rejected('wasi:sockets', 'forbidden-import'),
    'rejected at load: no network interface is granted',
    'throwdown:hostile/with-sockets',
  ),
  watComponent(
    'http',
    'Imports wasi:http/outgoing-handler and sends a request.',
    rejected('wasi:http', 'forbidden-import'),
    'rejected at load: no network interface is granted',
    'throwdown:hostile/with-http',
  ),
  watComponent(
    'unknown-interface',
    'Imports acme:evil/missiles.',
    rejected('acme:evil/missiles', 'unknown-import'),
    'rejected at load: unknown interface',
    'throwdown:hostile/with-missiles',
  ),
  watComponent(
    'wrong-export',
    'Exports move(u32) -> u32 instead of play.',
    rejected('play', 'wrong-exports'),
    'rejected at load: it does not export play(round-state) -> hand',
    'throwdown:hostile/wrong-export',
  ),
  watCommand(
    'atomic-wait',
    'Shared memory plus memory.atomic.wait32 with an infinite timeout.',
    rejected('shared', 'unsupported-feature'),
    'rejected at load: shared memory (threads) is refused, since atomic.wait blocks without spending fuel',
  ),
  watCommand(
    'reactor',
    'A WASI reactor: exports _initialize, no _start.',
    rejected('_start', 'wrong-exports'),
    'rejected at load: a command bot must export _start',
  ),

  // --- Names and types that reach generated code (issue 9, issue 11) --------------------------
  bytes(
    'name-quote',
    'component',
    "A core import module name `a'+(globalThis.pwned=1)+'b`: jco pastes it into a string literal of its generated JavaScript unescaped.",
    rejected('name', 'bad-name'),
    'rejected at upload: names outside the grammar never reach a code generator (the whole generated corpus is in test/sandbox/component/hostile-names.test.ts)',
    async () => named('core-import-module', 'single-quote'),
    [NAMES],
  ),
  bytes(
    'name-template-nested',
    'component',
    `A core export named \`a\${globalThis.pwned=1}b\` (a template placeholder) inside a nested component (the bindings path).`,
    rejected('name', 'bad-name'),
    'rejected at upload: nested components and their core modules are read like the top level',
    async () => named('nested-core-export', 'template'),
    [NAMES],
  ),
  bytes(
    'name-proto',
    'component',
    'A core instance export named __proto__, which as an object-literal key sets a prototype.',
    rejected('__proto__', 'bad-name'),
    'rejected at upload: names JavaScript treats specially are refused like unsafe characters',
    async () => named('core-instance-export', 'proto'),
    [NAMES],
  ),
  bytes(
    'name-custom-script',
    'component',
    'A custom section named and filled with `</script><script>pwned()</script>`.',
    plays('every move is paper: custom sections are stripped before bindings are generated and never read'),
    'plays: custom sections are data no generator reads',
    async () => named('custom-section', 'script-tag'),
    [NAMES],
  ),
  bytes(
    'unknown-function',
    'component',
    'Imports wasi:cli/environment with an extra function `to-string` (toString to JavaScript), which the host object inherits but does not provide.',
    rejected('to-string', 'unknown-import'),
    'rejected at upload: every imported function must be one the host provides itself',
    async () =>
      watToWasm(`(component
  ${PLAYER_TYPES_WAT}
  (type $env (instance (type (func (result u32))) (export "to-string" (func (type 0)))))
  (import "wasi:cli/environment@0.2.3" (instance (type $env)))
  (core module $m (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $i (instantiate $m))
  (type $ft (func (param "state" $r) (result $h)))
  (alias core export $i "play" (core func $p))
  (func $play (type $ft) (canon lift (core func $p)))
  (export "play" (func $play)))`),
  ),
  bytes(
    'type-bomb',
    'component',
    'Exports, besides play, a function whose parameter type is 40 nested pairs: 2^41 parts described in 913 bytes.',
    rejected('too large', 'too-complex'),
    'rejected at upload, in milliseconds: type sizes are measured before any generator expands them (issue 11 measured 34 s and 38 MB of generated code for such an upload)',
    async () => watToWasm(typeBombWat(40)),
  ),
  bytes(
    'identical-modules',
    'component',
    'Two byte-identical core modules instantiated with different imports; play is lifted from the first instance, which answers scissors.',
    plays('every move is scissors: core instances are wired by index, never matched by content'),
    'plays scissors: matching modules by content would call the other instance and play paper',
    async () => watToWasm(identicalModulesWat(false)),
  ),

  // --- Broken or oversized binaries ---------------------------------------------------------
  bytes(
    'not-wasm',
    'command',
    'A text file.',
    rejected('WebAssembly', 'not-wasm'),
    `rejected: ${NOT_VALID}`,
    async () => notWasm(),
  ),
  bytes(
    'malformed',
    'command',
    'Correct magic and version, then a type section of garbage.',
    rejected('WebAssembly', INVALID_WASM),
    `rejected: ${NOT_VALID}`,
    async () => malformed(),
  ),
  bytes(
    'truncated',
    'command',
    "The first 60% of the repository's cycle command bot.",
    rejected('WebAssembly', INVALID_WASM),
    `rejected: ${NOT_VALID}`,
    async ({ root }) => truncated(await watToWasm(await readText(root, 'bots/wat/command/cycle.wat'))),
    ['bots/wat/command/cycle.wat'],
  ),
  bytes(
    'function-count-bomb',
    'command',
    'A function section claiming 4,294,967,280 functions in 5 bytes.',
    rejected('WebAssembly', INVALID_WASM),
    `rejected quickly and without a huge allocation: ${NOT_VALID}`,
    async () => functionCountBomb(),
  ),
  bytes(
    'element-count-bomb',
    'command',
    'An element section claiming 4,294,967,295 segments in 5 bytes.',
    rejected('WebAssembly', INVALID_WASM),
    `rejected quickly and without a huge allocation: ${NOT_VALID}`,
    async () => elementCountBomb(),
  ),
  bytes(
    'big',
    'command',
    'A valid command with a 16.5 MiB data segment.',
    rejected('MiB', 'too-large'),
    'rejected at upload: over the module size limit (limits.moduleBytes, 10 MiB by default); the message gives both sizes',
    async () =>
      withBigDataSegment(
        await watToWasm('(module (memory (export "memory") 300) (func (export "_start")))'),
        16.5 * 1024 * 1024,
      ),
  ),
];

export function hostileTargets(): Target<HostileEntry>[] {
  return HOSTILE_SPECS.map((spec) => {
    const entry: Omit<HostileEntry, 'sha256' | 'bytes' | 'inputHash'> = {
      file: `${spec.name}.wasm`,
      name: spec.name,
      kind: spec.kind,
      language: spec.language,
      source: spec.source,
      description: spec.description,
      expectText: spec.expectText,
      expected: spec.expected,
    };
    switch (spec.language) {
      case 'wat': {
        const world = spec.world ?? 'player';
        return {
          entry,
          inputs: [spec.source, RPS_WIT, HOSTILE_WIT],
          recipe: { tool: spec.kind === 'component' ? 'wat-component' : 'wat-command', world },
          build: async ({ root }) => {
            const wat = await readText(root, spec.source);
            if (spec.kind === 'command') return watToWasm(wat);
            return watToComponent(wat, await combinedWit(root, [HOSTILE_WIT]), world);
          },
        };
      }
      case 'assemblyscript':
        return {
          entry,
          inputs: [spec.source, 'node_modules/@assemblyscript/wasi-shim/asconfig.json'],
          recipe: { tool: 'assemblyscript' },
          build: ({ root }) => assemblyScriptToCommand(root, spec.source),
        };
      case 'javascript':
        return {
          entry,
          inputs: [spec.source, RPS_WIT],
          recipe: { tool: 'componentize-qjs', world: 'player', stubWasi: true },
          build: async ({ root }) =>
            javaScriptToComponent(await readText(root, spec.source), await combinedWit(root, []), {
              world: 'player',
              stubWasi: true,
            }),
        };
    }
    // 'bytes': crafted by a function of generate.ts.
    const make = spec.make;
    if (!make) throw new Error(`${spec.name}: a bytes spec needs make()`);
    return { entry, inputs: [GENERATE, ...(spec.inputs ?? [])], recipe: { tool: 'bytes' }, build: make };
  });
}
