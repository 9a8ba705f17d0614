import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watToWasm } from '../../scripts/bots/compile.js';
import { deterministicPart, type MatchRecord } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import { artifactDir, artifactKey, readManifest, sha256Hex } from '../../src/sandbox/prepare/artifact.js';
import { TOOLCHAIN } from '../../src/sandbox/prepare/toolchain.js';
import { bakedLimits, createSandbox } from '../../src/sandbox/sandbox.js';
import type { BotSource, MatchRequest } from '../../src/sandbox/types.js';
import { COUNTER_IMPORTS } from '../../src/sandbox/wasm/index.js';
import { probeGlue, tamperGlue } from '../hostile/glue.js';
import { componentWithName, NAME_POSITIONS } from '../hostile/names.js';
import { botBytes, wasmSource } from '../support/sandbox.js';

/**
 * Defence in depth for the day an injection gets through jco's glue anyway (issue 9): prepared
 * bindings are overwritten with hostile JavaScript, as if the upload had injected it, and played
 * in a real match worker. The script reports each capability it tries; none may be reached. A
 * second script tries to change what later matches see; the clean matches played after it in the
 * same worker process must come out exactly as before it.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-glue-'));
const artifactsDir = path.join(dir, 'artifacts');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const referee: BotSource = { kind: 'builtin', name: 'referee', strategy: 'cycle' };
const cleanMatches: MatchRequest[] = [
  {
    seed: 'clean-direct',
    rules: makeRules({ rounds: 300 }),
    bots: [
      wasmSource('frequency', botBytes('frequency.component')),
      wasmSource('beatlast', botBytes('beatlast.command')),
    ],
  },
  {
    seed: 'clean-bindings',
    rules: makeRules({ rounds: 300 }),
    bots: [wasmSource('random-js', botBytes('random.js')), wasmSource('cycle', botBytes('cycle.component'))],
  },
];

/** Small bots wired through bindings (a nested component), whose glue the test replaces. */
async function nestedBot(label: string): Promise<Uint8Array> {
  const position = NAME_POSITIONS.find((p) => p.id === 'nested-custom-section');
  if (!position) throw new Error('no nested template');
  return componentWithName(position, new TextEncoder().encode(`harmless-${label}`), watToWasm);
}

/** Prepares `bytes` (in a sandbox of its own) and replaces its bindings with `glue(moduleName)`. */
async function tampered(bytes: Uint8Array, glue: (moduleName: string) => string): Promise<BotSource> {
  const sandbox = createSandbox({ artifactsDir, workers: 1 });
  try {
    const checked = await sandbox.check(bytes);
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.callPath).toBe('bindings');
    const at = artifactDir(
      artifactsDir,
      artifactKey(sha256Hex(bytes), bakedLimits(sandbox.limits), TOOLCHAIN),
    );
    const manifest = await readManifest(at);
    if (!manifest?.glue) throw new Error('no bindings in the artifact');
    // A core module with no imports of its own (the player links the shared fuel and stack
    // counters, `throwdown.*`, into every instance), which the hostile script instantiates to
    // get wasm objects.
    const standalone = readdirSync(at).find(
      (f) =>
        f.endsWith('.wasm') &&
        WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path.join(at, f)))).every(
          (i) => i.module === COUNTER_IMPORTS.module,
        ),
    );
    if (!standalone) throw new Error('no core module without imports');
    writeFileSync(path.join(at, manifest.glue), glue(standalone));
  } finally {
    await sandbox.close();
  }
  return wasmSource('tampered', bytes);
}

function reports(record: MatchRecord): Array<{ what: string; verdict: string }> {
  const text = record.stderr[0] ?? '';
  return [...text.matchAll(/^(?:\[(?:round \d+|start)\] )?(.+?): (blocked|REACHED)(.*)$/gm)].map((m) => ({
    what: m[1] as string,
    verdict: `${m[2]}${m[3]}`,
  }));
}

// One worker, so every match below runs in the same process, one after the other.
const sandbox = createSandbox({ artifactsDir, workers: 1 });
afterAll(() => sandbox.close());
let references: MatchRecord[] = [];

async function play(request: MatchRequest): Promise<MatchRecord> {
  const result = await sandbox.play(request);
  if (!result.ok) throw new Error(`match failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

beforeAll(async () => {
  references = [];
  for (const match of cleanMatches) references.push(await play(match));
}, 120_000);

describe('bindings that run hostile JavaScript', () => {
  it('reach no Node API, no code generation, no timer and no module loader', async () => {
    const bot = await tampered(await nestedBot('probe'), probeGlue);
    const record = await play({ seed: 'probe', rules: makeRules({ rounds: 10 }), bots: [bot, referee] });
    expect(record.faults).toEqual([]);
    const seen = reports(record);
    // Every attempt reported (the script really ran), and none got anything.
    expect(seen.length).toBeGreaterThanOrEqual(30);
    expect(seen.filter((r) => r.verdict.startsWith('REACHED'))).toEqual([]);
    const whats = seen.map((r) => r.what);
    for (const expected of ['process', 'require', 'fetch', 'setTimeout', 'Function', 'import() settled'])
      expect(whats).toContain(expected);
    expect(whats).toContain('process through the Function of the host function');
    expect(whats).toContain('microtasks that outlive a move');
  }, 120_000);

  it('cannot change the next match: clean matches after it in the same worker are identical', async () => {
    const bot = await tampered(await nestedBot('tamper'), tamperGlue);
    const record = await play({ seed: 'tamper', rules: makeRules({ rounds: 10 }), bots: [bot, referee] });
    const seen = reports(record);
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(seen.filter((r) => r.verdict.startsWith('REACHED'))).toEqual([]);
    for (const [i, match] of cleanMatches.entries()) {
      const after = await play(match);
      expect(deterministicPart(after)).toEqual(deterministicPart(references[i] as MatchRecord));
    }
  }, 120_000);
});
