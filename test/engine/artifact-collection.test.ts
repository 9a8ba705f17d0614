import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectUnusedArtifacts } from '../../src/engine/artifacts.js';
import { makeRules } from '../../src/games/rps.js';
import { createSandbox } from '../../src/sandbox/sandbox.js';
import { useTestDatabase } from '../support/database.js';
import { uid } from '../support/db-fixtures.js';
import { botBytes, wasmSource } from '../support/sandbox.js';
import { engineDeps, guildWithBots } from '../support/tournaments.js';

const { db } = await useTestDatabase();
const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-gc-'));
const artifactsDir = path.join(dir, 'artifacts');
const sandbox = createSandbox({ artifactsDir, workers: 1 });
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});
const deps = engineDeps(db, sandbox);
const artifacts = () => readdirSync(artifactsDir).filter((f) => !f.includes('.tmp-'));

describe('artifact collection', () => {
  it('removes the artifacts no stored version refers to, keeps the others, and re-prepares on demand', async () => {
    await guildWithBots(deps, ['rock.component', 'cycle.command']);
    // Checked but never stored (as `throwdown validate` or a refused /submit would leave them).
    for (const file of ['beatlast.component', 'random.command']) {
      expect((await sandbox.check(botBytes(file))).ok).toBe(true);
    }
    expect(artifacts()).toHaveLength(4);

    // Within the grace period nothing goes: an upload being checked has no version yet.
    expect(await collectUnusedArtifacts(deps)).toMatchObject({ removed: 0, kept: 4 });
    const report = await collectUnusedArtifacts(deps, { graceMs: 0 });
    expect(report).toMatchObject({ removed: 2, kept: 2 });
    expect(report!.bytes).toBeGreaterThan(0);
    expect(artifacts()).toHaveLength(2);

    // A collected bot plays again: prepared afresh from its bytes, not served from memory.
    const played = await sandbox.play({
      seed: uid('s'),
      rules: makeRules({ rounds: 10 }),
      bots: [wasmSource('b', botBytes('beatlast.component')), wasmSource('r', botBytes('rock.component'))],
    });
    expect(played.ok && played.value.faults).toEqual([]);
    expect(artifacts()).toHaveLength(3);
  });
});
