import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheStats, loadArtifact, setCacheBudget } from '../../../src/sandbox/workers/loaded-artifact.js';
import { botBytes, useSandbox } from '../../support/sandbox.js';

const artifactsDir = path.join(mkdtempSync(path.join(tmpdir(), 'throwdown-cache-')), 'artifacts');
const sandbox = useSandbox({ workers: 1, artifactsDir });
const bytesOf = (dir: string) =>
  readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);

describe("a match worker's cache of loaded artifacts", () => {
  it('is bounded by bytes, not by count: one large artifact pushes out the others', async () => {
    for (const file of ['rock.component', 'cycle.command', 'frequency.js']) {
      expect((await sandbox.check(botBytes(file))).ok).toBe(true);
    }
    // Smallest first, the large QuickJS artifact last.
    const dirs = readdirSync(artifactsDir)
      .map((d) => path.join(artifactsDir, d))
      .sort((a, b) => bytesOf(a) - bytesOf(b));
    expect(dirs).toHaveLength(3);
    const large = bytesOf(dirs[2]!);
    setCacheBudget(large / 2);
    await loadArtifact(dirs[0]!);
    await loadArtifact(dirs[1]!);
    // Two small ones fit together.
    expect(cacheStats().entries).toBe(2);
    await loadArtifact(dirs[2]!);
    // The large one alone is over the budget: it is kept (it was just loaded), the others go.
    expect(cacheStats().entries).toBe(1);
  });
});
