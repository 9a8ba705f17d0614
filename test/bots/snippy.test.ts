import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemblyScriptToCommand } from '../../scripts/bots/compile.js';
import { detectNative, rustToWasm } from '../../scripts/bots/native.js';
import { isMissing } from '../../src/cli/kit/toolchains.js';
import { makeRules } from '../../src/games/rps.js';
import { sha256Hex } from '../../src/sandbox/prepare/artifact.js';
import { createSandbox } from '../../src/sandbox/sandbox.js';
import { root } from '../support/shell.js';

/**
 * Snippy compatibility kept honest: bots written for Snippy, in the languages of its samples
 * (Rust for wasm32-wasip1; AssemblyScript with @assemblyscript/wasi-shim), built as their authors
 * build them and run here unchanged. They check Snippy's protocol themselves (both names
 * present, "round" = the length of "history", history = their own hands) and play an invalid
 * move on any mismatch, so the whole match proves the host speaks Snippy.
 */
const work = await mkdtemp(path.join(tmpdir(), 'throwdown-snippy-'));
const sandbox = createSandbox({ artifactsDir: path.join(work, 'artifacts'), workers: 1 });
afterAll(async () => {
  await sandbox.close();
  await rm(work, { recursive: true, force: true });
});
const native = await detectNative();

async function playAgainstRock(bytes: Uint8Array) {
  const checked = await sandbox.check(bytes);
  expect(checked.ok, checked.ok ? '' : checked.error.message).toBe(true);
  const sha256 = sha256Hex(bytes);
  const match = await sandbox.play({
    seed: 'snippy',
    rules: makeRules({ rounds: 60 }),
    bots: [
      { kind: 'wasm', name: 'author/follow', sha256, bytes: async () => bytes },
      { kind: 'builtin', name: 'builtin:rock', strategy: 'rock' },
    ],
  });
  if (!match.ok) throw new Error(JSON.stringify(match.error));
  expect(match.value.faults).toEqual([]);
  expect(match.value.log.moves[0]).toBe('RPS'.repeat(20));
}

describe('bots written for Snippy run unchanged', () => {
  it('AssemblyScript with @assemblyscript/wasi-shim', async () => {
    await playAgainstRock(await assemblyScriptToCommand(root, 'test/bots/snippy/follow.ts'));
  });

  it.skipIf(isMissing(native.rustCommand))(
    'Rust for wasm32-wasip1 (wasm32-wasi before Rust 1.78)',
    async () => {
      if (isMissing(native.rustCommand)) return;
      await playAgainstRock(
        await rustToWasm(native.rustCommand, 'command', path.join(root, 'test/bots/snippy/follow.rs'), ''),
      );
    },
  );
});
