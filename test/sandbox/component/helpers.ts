import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { MatchRecord } from '../../../src/games/match-record.js';
import { makeRules } from '../../../src/games/rps.js';
import { DEFAULT_LIMITS } from '../../../src/sandbox/limits.js';
import { createBuiltinPlayer } from '../../../src/sandbox/play/builtin-player.js';
import { createComponentPlayer } from '../../../src/sandbox/play/component-player.js';
import { runMatch } from '../../../src/sandbox/play/run-match.js';
import { type PrepareInput, prepareBot } from '../../../src/sandbox/prepare/prepare.js';
import { bakedLimits } from '../../../src/sandbox/sandbox.js';
import { loadArtifact } from '../../../src/sandbox/workers/loaded-artifact.js';
import { prepareTools } from '../../../src/sandbox/workers/prepare-worker.js';

/**
 * Preparing and playing component bots in the test process, with the real prepare pipeline
 * (reader, jco, metering) and the real players: fast enough to run hundreds of generated bots.
 * The worker-process tests (test/sandbox/*.test.ts) cover the same code inside match workers.
 */
export function useArtifacts() {
  const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-components-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    prepare(bytes: Uint8Array, wiring: PrepareInput['wiring'] = 'auto', tools = prepareTools) {
      return prepareBot(
        {
          bytes,
          maxModuleBytes: DEFAULT_LIMITS.moduleBytes,
          baked: bakedLimits(DEFAULT_LIMITS),
          artifactsDir: dir,
          wiring,
        },
        tools,
      );
    },
  };
}

/** A match of the prepared bot in `artifactDir` (seat 0) against a built-in strategy. */
export async function playPrepared(
  artifactDir: string,
  options: { rounds?: number; seed?: string; opponent?: 'rock' | 'cycle' | 'random' } = {},
): Promise<MatchRecord> {
  const artifact = await loadArtifact(artifactDir);
  if (!artifact.code) throw new Error('no code in the artifact');
  const seed = options.seed ?? 'components';
  return runMatch({
    seed,
    rules: makeRules({ rounds: options.rounds ?? 20 }),
    seats: [
      {
        bot: { name: 'bot', sha256: 'x', kind: 'component' },
        player: createComponentPlayer({
          code: artifact.code,
          modules: artifact.modules,
          traps: artifact.manifest.traps,
          name: 'bot',
          opponentName: 'them',
          limits: DEFAULT_LIMITS,
          seed,
          instantiationFuel: DEFAULT_LIMITS.fuelPerInstantiation,
        }),
      },
      {
        bot: { name: 'them', sha256: 'y', kind: 'command' },
        player: createBuiltinPlayer(options.opponent ?? 'rock', seed),
      },
    ],
    limits: DEFAULT_LIMITS,
    now: () => 0,
  });
}
