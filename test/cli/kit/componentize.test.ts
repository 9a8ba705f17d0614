import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentWit, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, describe, expect, it } from 'vitest';
import { componentize, playerWit } from '../../../src/cli/kit/componentize.js';
import { makeRules } from '../../../src/games/rps.js';
import { createSandbox } from '../../../src/sandbox/sandbox.js';
import { runThrowdown } from '../../support/cli.js';
import { root } from '../../support/shell.js';

const wit = await playerWit(root);
const work = await mkdtemp(path.join(tmpdir(), 'throwdown-componentize-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const PLAY = '(func (export "play") (param i32 i32 i32 i32 i32 i32) (result i32)';
const BEATLAST = `(module ${PLAY}
  (if (result i32) (local.get 4)
    (then (i32.rem_u (i32.add (local.get 5) (i32.const 1)) (i32.const 3)))
    (else (i32.const 1)))))`;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('componentize()', () => {
  it('should wrap a core module exporting play into a player component that the sandbox plays', async () => {
    const result = await componentize(await parse(BEATLAST), wit);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const world = await componentWit(result.value);
    expect(world).toContain('export play: func(state: round-state) -> hand;');
    // Only what the module uses is imported: no arena, no WASI.
    expect(world).not.toMatch(/import (throwdown:rps\/arena|wasi:)/);

    const sandbox = createSandbox({ artifactsDir: path.join(work, 'artifacts'), workers: 1 });
    try {
      const checked = await sandbox.check(result.value);
      expect(checked.ok && checked.value.callPath).toBe('direct');
      const match = await sandbox.play({
        seed: 'c',
        rules: makeRules({ rounds: 30 }),
        bots: [
          {
            kind: 'wasm',
            name: 'beatlast',
            sha256: checked.ok ? checked.value.sha256 : '',
            bytes: async () => result.value,
          },
          { kind: 'builtin', name: 'builtin:rock', strategy: 'rock' },
        ],
      });
      expect(match.ok && match.value.wins).toEqual([30, 0]);
    } finally {
      await sandbox.close();
    }
  });

  it('should take WAT text as well as a binary', async () => {
    const fromText = await componentize(bytes(BEATLAST), wit);
    const fromBinary = await componentize(await parse(BEATLAST), wit);
    expect(fromText.ok && fromBinary.ok).toBe(true);
    if (fromText.ok && fromBinary.ok) expect(fromText.value).toEqual(fromBinary.value);
  });

  it('should import wasi:random and the arena only when the module does', async () => {
    const result = await componentize(
      bytes(`(module
        (import "wasi:random/random@0.2.3" "get-random-u64" (func $r (result i64)))
        (import "throwdown:rps/arena@0.1.0" "debug" (func $debug (param i32 i32)))
        (memory (export "memory") 1)
        ${PLAY} (i32.wrap_i64 (i64.rem_u (call $r) (i64.const 3)))))`),
      wit,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const world = await componentWit(result.value);
    expect(world).toMatch(/import wasi:random\/random@0\.2\.3;/);
    expect(world).toMatch(/import throwdown:rps\/arena@0\.1\.0;/);
  });

  it.each([
    [
      'a WASI preview1 import, with what to do instead',
      `(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1) ${PLAY} (i32.const 0)))`,
      /imports WASI preview1 \(fd_write\).*wasm32-unknown-unknown.*command bot/,
    ],
    [
      'any other import, listing the allowed ones',
      `(module (import "env" "now" (func)) ${PLAY} (i32.const 0)))`,
      /imports env\.now, which a component bot cannot have; allowed: throwdown:rps\/arena@0\.1\.0\.debug/,
    ],
    [
      'no play export',
      '(module (func (export "move") (result i32) (i32.const 0)))',
      /does not export a function named `play`/,
    ],
    [
      'the wrong signature, in wasm-tools words',
      '(module (func (export "play") (param i32) (result i32) (i32.const 0)))',
      /type mismatch for function `play`: expected `\[I32, I32, I32, I32, I32, I32\] -> \[I32\]`/,
    ],
    ['text that is not WAT', 'this is not wat', /neither a wasm binary nor WAT text/],
  ])('should refuse %s', async (_what, wat, message) => {
    const result = await componentize(bytes(wat), wit);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('should refuse a component (it is ready to submit)', async () => {
    const done = await componentize(bytes(BEATLAST), wit);
    if (!done.ok) throw new Error(done.error);
    expect(await componentize(done.value, wit)).toEqual({
      ok: false,
      error: 'this is already a component; submit it as it is',
    });
  });
});

describe('throwdown componentize', () => {
  it('should write the component and say what to do next; refuse in one line with exit 1', async () => {
    await writeFile(path.join(work, 'bot.wat'), BEATLAST);
    const ok = await runThrowdown(['componentize', 'bot.wat', '-o', 'bot.wasm'], { cwd: work });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /^bot\.wasm: a component bot exporting play \(\d+ bytes\)\. Check it with: throwdown validate bot\.wasm$/m,
    );
    expect(await componentWit(await readFile(path.join(work, 'bot.wasm')))).toContain('export play');

    await writeFile(path.join(work, 'bad.wat'), '(module)');
    const bad = await runThrowdown(['componentize', 'bad.wat', '-o', 'bad.wasm'], { cwd: work });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'throwdown: bad.wat: the module does not export a function named `play` (C: __attribute__((export_name("play"))); Rust: #[no_mangle] pub extern "C" fn play)\n',
    );

    const usage = await runThrowdown(['componentize', 'bot.wat'], { cwd: work });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      "throwdown: required option '-o, --output <bot.wasm>' not specified (see 'throwdown componentize --help')\n",
    );
  });
});
