import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRules } from '../../../src/games/rps.js';
import { DEFAULT_LIMITS } from '../../../src/sandbox/limits.js';
import { createBuiltinPlayer } from '../../../src/sandbox/play/builtin-player.js';
import { createComponentPlayer } from '../../../src/sandbox/play/component-player.js';
import { withLeanImports } from '../../../src/sandbox/play/lean-imports.js';
import { runMatch } from '../../../src/sandbox/play/run-match.js';
import { artifactDir, artifactKey, sha256Hex } from '../../../src/sandbox/prepare/artifact.js';
import { TOOLCHAIN } from '../../../src/sandbox/prepare/toolchain.js';
import { bakedLimits, createSandbox } from '../../../src/sandbox/sandbox.js';
import { loadArtifact } from '../../../src/sandbox/workers/loaded-artifact.js';
import { botBytes } from '../../support/sandbox.js';

describe('withLeanImports', () => {
  it('replaces only the scalar WASI imports it knows, calling the host function and wrapping to u64', () => {
    const trampoline = () => 0n;
    const other = () => 1;
    const host = {
      'wasi:random/random': { getRandomU64: () => 2n ** 64n + 5n },
      'wasi:clocks/monotonic-clock': { now: () => 7n, resolution: () => 1n },
    };
    const linked = withLeanImports(
      {
        'wasi:random/random@0.2.3': { 'get-random-u64': trampoline, 'get-random-bytes': other },
        'wasi:clocks/monotonic-clock@0.2.3': { now: trampoline },
        'throwdown:rps/arena@0.1.0': { 'my-name': other },
      },
      host,
    )!;
    const random = linked['wasi:random/random@0.2.3'] as Record<string, () => unknown>;
    expect(random['get-random-u64']).not.toBe(trampoline);
    expect(random['get-random-u64']!()).toBe(5n);
    expect(random['get-random-bytes']).toBe(other);
    expect((linked['wasi:clocks/monotonic-clock@0.2.3'] as Record<string, () => unknown>).now!()).toBe(7n);
    expect(linked['throwdown:rps/arena@0.1.0']).toEqual({ 'my-name': other });
    expect(withLeanImports(undefined, host)).toBeUndefined();
    const untouched = { env: { f: other } };
    expect(withLeanImports(untouched, host)).toBe(untouched);
  });
});

describe('a random component bot with lean imports', async () => {
  // Prepare the repo's random component bot as the sandbox does, then load it in this process.
  const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-lean-'));
  const sandbox = createSandbox({ artifactsDir: dir, workers: 1 });
  const bytes = botBytes('random.component');
  const checked = await sandbox.check(bytes);
  await sandbox.close();
  if (!checked.ok) throw new Error(checked.error.message);
  const artifact = await loadArtifact(
    artifactDir(dir, artifactKey(sha256Hex(bytes), bakedLimits(DEFAULT_LIMITS), TOOLCHAIN)),
  );

  function play(direct: boolean) {
    const player = createComponentPlayer({
      instantiate: artifact.instantiate!,
      modules: artifact.modules,
      traps: artifact.manifest.traps,
      direct: direct ? (artifact.manifest.direct ?? null) : null,
      name: 'random',
      opponentName: 'rock',
      limits: DEFAULT_LIMITS,
      seed: 'lean-imports',
      instantiationFuel: DEFAULT_LIMITS.fuelPerInstantiation,
    });
    return runMatch({
      seed: 'lean-imports',
      rules: makeRules({ rounds: 300 }),
      seats: [
        { bot: { name: 'random', sha256: 'x', kind: 'component' }, player },
        { bot: { name: 'rock', sha256: 'y', kind: 'command' }, player: createBuiltinPlayer('rock', 'r') },
      ],
      limits: DEFAULT_LIMITS,
      now: () => performance.now(),
    });
  }

  it("plays exactly the moves it plays through jco's trampolines, for the same seed", () => {
    expect(artifact.manifest.direct).toBeTruthy();
    const lean = play(true);
    const glued = play(false);
    expect(lean.faults).toEqual([]);
    expect(new Set(lean.log.moves[0]).size).toBe(3);
    expect(lean.log.moves[0]).toBe(glued.log.moves[0]);
    expect(lean.log.fuel[0]).toEqual(glued.log.fuel[0]);
  });
});
