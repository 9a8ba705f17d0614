import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal.js';
import { runThrowdown } from '../support/cli.js';

const work = await mkdtemp(path.join(tmpdir(), 'throwdown-terminal-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('terminalSafe()', () => {
  it('should show control and bidi characters as escapes, keeping newlines and tabs', () => {
    expect(terminalSafe('a\u001b[2Jb\r\nc\td\u009b31m\u202eevil\u0007')).toBe(
      'a\\u001b[2Jb\\u000d\nc\td\\u009b31m\\u202eevil\\u0007',
    );
    expect(terminalSafe('Rock, paper — scissors ✂ 石')).toBe('Rock, paper — scissors ✂ 石');
  });
});

describe('a bot that writes terminal escapes', () => {
  it('match --trace prints its stderr with the escapes made visible, none raw', async () => {
    // Each move: "Rock" on stdout; ESC[2J (clear screen), ESC]0;owned BEL (window title) and a
    // carriage return on stderr.
    const wat = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "Rock\\n")
      (data (i32.const 80) "\\1b[2J\\1b]0;owned\\07\\0dhidden")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 5))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.store (i32.const 0) (i32.const 80)) (i32.store (i32.const 4) (i32.const 22))
        (drop (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))`;
    await writeFile(path.join(work, 'escapes.wasm'), await parse(wat));
    const r = await runThrowdown(
      ['match', path.join(work, 'escapes.wasm'), 'builtin:rock', '--rounds', '3', '--trace'],
      { env: { THROWDOWN_DATA_DIR: path.join(work, 'data') } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\\u001b[2J\\u001b]0;owned\\u0007\\u000dhidden');
    expect(r.stdout).not.toMatch(/[\u001b\u0007\r]/);
  });
});
