import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../scripts/bots/build.js';
import type { HostileEntry, Manifest } from '../../scripts/bots/manifest.js';
import { findRoot } from '../../scripts/bots/root.js';
import { HOSTILE_DIR } from '../../scripts/build-bots.js';
import { FAULT_KINDS } from '../../src/games/match-record.js';
import { HOSTILE_SPECS } from '../hostile/corpus.js';
import { wasmLayer } from './wasm-kind.js';

/**
 * The corpus itself, not the sandbox: every entry is built, its expectation is well formed,
 * and each binary is what it claims to be (invalid ones invalid, policy rejections valid wasm).
 * Running the corpus against the sandbox is the sandbox's test.
 */
const root = findRoot();
const manifest = JSON.parse(
  await readFile(join(root, HOSTILE_DIR, 'manifest.json'), 'utf8'),
) as Manifest<HostileEntry>;
const byName = new Map(manifest.entries.map((e) => [e.name, e]));
const read = (name: string) => readFile(join(root, HOSTILE_DIR, `${name}.wasm`));

describe('test/hostile/dist manifest', () => {
  it('should list every spec of the corpus with matching bytes', async () => {
    expect(manifest.entries.map((e) => e.name)).toEqual(HOSTILE_SPECS.map((s) => s.name));
    for (const entry of manifest.entries) {
      const bytes = await read(entry.name);
      expect(sha256Hex(bytes), entry.name).toBe(entry.sha256);
    }
  });

  it('should give every entry a well-formed expectation and its reason in words', () => {
    for (const { name, expected, expectText } of manifest.entries) {
      expect(expectText.length, name).toBeGreaterThan(10);
      if (expected.expect === 'fault') {
        expect(FAULT_KINDS, name).toContain(expected.kind);
        expect(Number.isInteger(expected.round) && (expected.round ?? -1) >= 0, name).toBe(true);
      } else if (expected.expect === 'rejected') {
        expect(expected.messageIncludes.length, name).toBeGreaterThan(0);
      } else {
        expect(expected.note.length, name).toBeGreaterThan(10);
      }
    }
  });

  it('should cover every fault kind the corpus can provoke deterministically', () => {
    const kinds = new Set(
      manifest.entries.flatMap((e) => (e.expected.expect === 'fault' ? [e.expected.kind] : [])),
    );
    // 'timeout' is the wall-clock safety net: no deterministic bot should ever need it.
    expect([...kinds].sort()).toEqual(FAULT_KINDS.filter((k) => k !== 'timeout').sort());
  });
});

describe('hostile binaries are what they claim', () => {
  it('invalid ones: should fail WebAssembly.validate', async () => {
    for (const name of [
      'not-wasm.command',
      'malformed.command',
      'truncated.command',
      'function-count-bomb.command',
      'element-count-bomb.command',
    ]) {
      expect(WebAssembly.validate(await read(name)), name).toBe(false);
    }
  });

  it('policy rejections and faults of core modules: should be valid wasm', async () => {
    for (const entry of manifest.entries) {
      if (entry.language === 'bytes' && entry.name !== 'big.command') continue;
      const bytes = await read(entry.name);
      if (entry.kind === 'command') {
        expect(wasmLayer(bytes), entry.name).toBe('module');
        expect(WebAssembly.validate(bytes), entry.name).toBe(true);
      } else {
        expect(wasmLayer(bytes), entry.name).toBe('component');
        await expect(componentWit(bytes), entry.name).resolves.toContain('world root');
      }
    }
  });

  it('big.command: should be over 16 MiB', () => {
    expect(byName.get('big.command')?.bytes).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('forbidden-import components: should really import what they are refused for', async () => {
    for (const [name, iface] of [
      ['sockets.component', 'wasi:sockets/tcp@0.2.3'],
      ['http.component', 'wasi:http/outgoing-handler@0.2.3'],
      ['unknown-interface.component', 'acme:evil/missiles@1.0.0'],
    ] as const) {
      expect(await componentWit(await read(name)), name).toContain(`import ${iface};`);
    }
  });

  it('unknown-import commands: should really import them', async () => {
    const imports = async (name: string) =>
      WebAssembly.Module.imports(new WebAssembly.Module(await read(name))).map(
        (i) => `${i.module}.${i.name}`,
      );
    expect(await imports('launch-missiles.command')).toEqual(['env.launch_missiles']);
    expect(await imports('sock-open.command')).toEqual(['wasi_snapshot_preview1.sock_open']);
  });
});
