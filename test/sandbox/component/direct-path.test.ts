import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watToWasm } from '../../../scripts/bots/compile.js';
import { loadWasmTools } from '../../../scripts/bots/toolchains.js';
import { deterministicPart } from '../../../src/games/match-record.js';
import { readComponent } from '../../../src/sandbox/component/reader.js';
import { identicalModulesWat } from '../../hostile/generate.js';
import { botBytes, hostileBytes } from '../../support/sandbox.js';
import { playPrepared, useArtifacts } from './helpers.js';

/**
 * The direct path (issue 9): flat components are instantiated from their own wiring, with no
 * generated JavaScript, and play exactly as jco's bindings play them; core instances are chosen
 * by index, never by content (issue 11).
 */
const artifacts = useArtifacts();
const root = path.resolve(import.meta.dirname, '../../..');
const adapter = readFileSync(path.join(import.meta.dirname, 'fixtures/wasi_snapshot_preview1.reactor.wasm'));

async function bothPaths(bytes: Uint8Array, options: Parameters<typeof playPrepared>[1] = {}) {
  const direct = await artifacts.prepare(bytes);
  const bound = await artifacts.prepare(bytes, 'bindings');
  if (!direct.ok) throw new Error(direct.error.message);
  if (!bound.ok) throw new Error(bound.error.message);
  return {
    direct: { manifest: direct.value.manifest, record: await playPrepared(direct.value.dir, options) },
    bound: { manifest: bound.value.manifest, record: await playPrepared(bound.value.dir, options) },
  };
}

/**
 * A C-like library bot made the way C and Rust bots are (a core module importing WASI preview1,
 * wrapped with the preview1 adapter): it writes to stdout and stderr, reads random bytes, the
 * clocks, its environment, its arguments and its opponent's name, and plays from the random bytes.
 */
const ADAPTED_CORE = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "throwdown:rps/arena@0.1.0" "opponent-name" (func $opponent (param i32)))
  (import "throwdown:rps/arena@0.1.0" "debug" (func $debug (param i32 i32)))
  (memory (export "memory") 20)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 15)) (i32.const -16)))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  (data (i32.const 16) "hello from a C-like bot\\n")
  (func $print (param $fd i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 24))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $print (i32.const 1))
    (call $print (i32.const 2))
    (drop (call $random_get (i32.const 100) (i32.const 8)))
    (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 120)))
    (drop (call $env_sizes (i32.const 130) (i32.const 134)))
    (drop (call $args_sizes (i32.const 140) (i32.const 144)))
    (call $opponent (i32.const 200))
    ;; debug(the opponent's name)
    (call $debug (i32.load (i32.const 200)) (i32.load (i32.const 204)))
    (i32.rem_u (i32.load (i32.const 100)) (i32.const 3))))`;

async function adaptedComponent(): Promise<Uint8Array> {
  const tools = await loadWasmTools();
  const wit = readFileSync(path.join(root, 'wit/rps.wit'), 'utf8');
  const embedded = await tools.componentEmbed({
    binary: await watToWasm(ADAPTED_CORE),
    witSource: wit,
    world: 'player',
  });
  return tools.componentNew(embedded, [['wasi_snapshot_preview1', adapter]]);
}

describe('the direct path', () => {
  it('instantiates core modules by index: two identical modules wired differently stay different', async () => {
    for (const sameModule of [false, true]) {
      const { direct, bound } = await bothPaths(await watToWasm(identicalModulesWat(sameModule)));
      expect(direct.manifest.report.callPath).toBe('direct');
      expect(direct.record.faults).toEqual([]);
      expect(direct.record.log.moves[0]).toBe('S'.repeat(20));
      expect(deterministicPart(direct.record)).toEqual(deterministicPart(bound.record));
    }
  });

  it('runs a component made with the WASI preview1 adapter, exactly as the bindings do', async () => {
    const bytes = await adaptedComponent();
    // What the adapter's names look like, so the name grammar is known to admit them.
    const names: string[] = [];
    readComponent(bytes, undefined, (name) => names.push(name));
    for (const expected of [
      'wasi_snapshot_preview1',
      '__main_module__',
      '[method]output-stream.blocking-write-and-flush',
      '[resource-drop]output-stream',
      'cabi_import_realloc',
      '$imports',
      '0',
    ])
      expect(names).toContain(expected);
    const { direct, bound } = await bothPaths(bytes, { rounds: 30, seed: 'adapted' });
    expect(direct.manifest.report.callPath).toBe('direct');
    expect(direct.manifest.plan).toBeDefined();
    expect(direct.manifest.glue).toBeUndefined();
    expect(direct.record.faults).toEqual([]);
    expect(new Set(direct.record.log.moves[0]).size).toBe(3);
    expect(direct.record.stderr[0]).toContain('hello from a C-like bot');
    expect(direct.record.stderr[0]).toContain('them');
    // Fuel differs by design: jco's bindings call the guest's realloc twice per string (allocate
    // generously, then shrink), the direct path once with the exact size; both are metered.
    for (const key of ['moves', 'faults', 'stderr', 'outcome'] as const) {
      const pick = (r: typeof direct.record) => (key === 'moves' ? r.log.moves : r[key]);
      expect(pick(direct.record)).toEqual(pick(bound.record));
    }
  });

  it("plays every flat bot of the repository and the corpus move for move as jco's bindings do", async () => {
    const flat = [
      ...['rock', 'cycle', 'frequency', 'beatlast', 'random'].map((n) => botBytes(`${n}.component`)),
      ...['env', 'debug-flood', 'trap-500', 'enum-7', 'div-overflow', 'memory-grow', 'recursion-small'].map(
        (n) => hostileBytes(`${n}.component.wasm`),
      ),
    ];
    for (const bytes of flat) {
      const { direct, bound } = await bothPaths(bytes, { rounds: 600, opponent: 'random' });
      expect(direct.manifest.report.callPath).toBe('direct');
      expect(bound.manifest.report.callPath).toBe('bindings');
      const a = deterministicPart(direct.record);
      const b = deterministicPart(bound.record);
      // Fault messages may word a jco error differently; the verdict must be the same.
      expect({ ...a, faults: a.faults.map((f) => [f.kind, f.round]) }).toEqual({
        ...b,
        faults: b.faults.map((f) => [f.kind, f.round]),
      });
    }
  });

  it('runs no generated JavaScript: a flat component has a plan and no bindings in its artifact', async () => {
    const prepared = await artifacts.prepare(botBytes('frequency.component'));
    expect(prepared.ok && prepared.value.manifest).toMatchObject({
      plan: expect.any(Object),
      modules: ['core0.wasm'],
    });
    expect(prepared.ok && prepared.value.manifest.glue).toBeUndefined();
  });
});
