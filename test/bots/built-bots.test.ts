import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../scripts/bots/build.js';
import { botTargets } from '../../scripts/bots/catalog.js';
import type { BotEntry, Manifest } from '../../scripts/bots/manifest.js';
import { detectNative, missingNative } from '../../scripts/bots/native.js';
import { findRoot } from '../../scripts/bots/root.js';
import { BOTS_DIR } from '../../scripts/build-bots.js';
import { wasmLayer } from './wasm-kind.js';

const root = findRoot();
const manifest = JSON.parse(
  await readFile(join(root, BOTS_DIR, 'manifest.json'), 'utf8'),
) as Manifest<BotEntry>;
const read = (entry: BotEntry) => readFile(join(root, BOTS_DIR, entry.file));

describe('bots/dist manifest', () => {
  it('buildBots(): should list every target of the catalog, once', async () => {
    const expected = botTargets(await detectNative()).map((t) => t.entry.file);
    expect(manifest.entries.map((e) => e.file)).toEqual(expected);
    expect(manifest.format).toBe(1);
    expect(Object.keys(manifest.toolchains)).toContain('componentize-qjs');
  });

  it('buildBots(): should write files whose sha256 and size match the manifest', async () => {
    for (const entry of manifest.entries) {
      const bytes = await read(entry);
      expect(sha256Hex(bytes), entry.file).toBe(entry.sha256);
      expect(bytes.length, entry.file).toBe(entry.bytes);
    }
  });

  it('catalog: should cover every strategy, and both interfaces with several strategies', async () => {
    const strategies = new Set(manifest.entries.map((e) => e.strategy));
    expect([...strategies].sort()).toEqual(['beatlast', 'cycle', 'frequency', 'random', 'rock']);
    for (const kind of ['component', 'command'] as const) {
      const covered = new Set(manifest.entries.filter((e) => e.kind === kind).map((e) => e.strategy));
      expect(covered.size, kind).toBeGreaterThanOrEqual(3);
    }
    const flavours = new Set(manifest.entries.map((e) => `${e.language}/${e.kind}`));
    const native = missingNative(await detectNative()).length === 0;
    expect([...flavours].sort()).toEqual([
      'assemblyscript/command',
      // C and Rust, both interfaces, wherever their compilers are installed (always in CI).
      ...(native ? ['c/command', 'c/component'] : []),
      'javascript/component',
      ...(native ? ['rust/command', 'rust/component'] : []),
      'wat/command',
      'wat/component',
    ]);
  });
});

describe.each(manifest.entries.filter((e) => e.kind === 'command'))('command bot $name', (entry) => {
  it('should be a valid core module exporting _start and memory, importing only WASI preview1', async () => {
    const bytes = await read(entry);
    expect(wasmLayer(bytes)).toBe('module');
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports).toContain('_start');
    expect(exports).toContain('memory');
    for (const imp of WebAssembly.Module.imports(module)) expect(imp.module).toBe('wasi_snapshot_preview1');
  });
});

describe.each(manifest.entries.filter((e) => e.kind === 'component'))('component bot $name', (entry) => {
  it('should be a component exporting play(round-state) -> hand and importing only allowed interfaces', async () => {
    const bytes = await read(entry);
    expect(wasmLayer(bytes)).toBe('component');
    const wit = await componentWit(bytes);
    expect(wit).toContain('export play: func(state: round-state) -> hand;');
    const imports = [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => m[1] as string);
    for (const name of imports)
      expect(name, entry.file).toMatch(/^(throwdown:rps\/(types|arena)|wasi:[a-z-]+\/[a-z-]+)@/);
    expect(
      imports.some((i) => /^wasi:(sockets|http)\//.test(i)),
      entry.file,
    ).toBe(false);
    // Only the random bots need the host's randomness; the others import no WASI at all.
    const wasi = imports.filter((i) => i.startsWith('wasi:'));
    if (entry.strategy !== 'random') expect(wasi, entry.file).toEqual([]);
    else
      expect(
        wasi.some((i) => i.startsWith('wasi:random/random@')),
        entry.file,
      ).toBe(true);
  });
});
