import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNode } from '../../scripts/runtimes.js';
import { deterministicPart, type MatchRecord } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import { botBytes, hostileBytes, useSandbox, wasmSource } from '../support/sandbox.js';
import { wat } from './wasm/helpers/wat.js';

/**
 * Bots that look at NaN bits play the same whichever V8 tier runs them: Liftoff only, TurboFan
 * only, or V8's own tiering (which switches at a load-dependent moment), with two CPU hogs
 * competing for the CPUs. Without NaN canonicalisation the hardware's NaN (negative on x86)
 * and the optimiser's NaN gave these bots different moves: measured on Node 20 and 22 (V8 11.3
 * and 12.4), where `nan-sign` plays differently under --liftoff-only and --no-liftoff. Node 24
 * and 26 happen to agree on x86, so the second test also runs the probes on Node 22.
 */
const PROBES = ['nan-sign', 'nan-payload'];
const ROUNDS = 1000;
const root = path.resolve(import.meta.dirname, '../..');
const TIER_FLAGS = [['--liftoff-only'], ['--no-liftoff'], []];

const tiers = {
  default: useSandbox({ workers: 1 }),
  liftoff: useSandbox({ workers: 1, extraMatchFlags: ['--liftoff-only'] }),
  turbofan: useSandbox({ workers: 1, extraMatchFlags: ['--no-liftoff'] }),
};

async function play(sandbox: (typeof tiers)['default'], probe: string): Promise<MatchRecord> {
  const file = `${probe}.component`;
  const result = await sandbox.play({
    seed: 'nan-bits',
    rules: makeRules({ rounds: ROUNDS }),
    bots: [wasmSource(file, hostileBytes(`${file}.wasm`)), wasmSource('rock', botBytes('rock.component'))],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/** Plays a probe's core module for 20,000 rounds, metered or not; prints the moves. */
const CHILD = `
const { instrument, meterHost } = await import(process.argv[1]);
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
let bytes = Buffer.from(Buffer.concat(chunks).toString(), 'base64');
const meter = process.argv[2] === 'metered';
if (meter) bytes = instrument(bytes, { memoryPages: 16, tableElements: 16, stackBytes: 1 << 19 }).value.bytes;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
const host = meter ? meterHost(instance) : undefined;
let moves = '';
for (let round = 1; round <= 20000; round++) {
  host?.setBudget(1e9, 1 << 19);
  moves += instance.exports.play(round, 20000, 0, 0, 0, 0);
}
console.log(moves);
`;

async function movesOn(node: string, flags: string[], core: Uint8Array, mode: 'plain' | 'metered') {
  const child = execFile(
    node,
    [...flags, '--input-type=module', '-e', CHILD, path.join(root, 'dist/src/sandbox/wasm/index.js'), mode],
    { maxBuffer: 1 << 20 },
  );
  child.stdin!.end(Buffer.from(core).toString('base64'));
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  return out.trim();
}

const hogs: ChildProcess[] = [];
beforeAll(() => {
  for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
});
afterAll(() => {
  for (const h of hogs) h.kill('SIGKILL');
});

describe('NaN-probing bots', () => {
  it('play identically under --liftoff-only, --no-liftoff and default tiering, under load', {
    timeout: 180_000,
  }, async () => {
    for (const probe of PROBES) {
      const baseline = await play(tiers.liftoff, probe);
      expect(baseline.faults, probe).toEqual([]);
      // The probe's moves vary (it is not stuck on one move), so a difference would show.
      expect(new Set(baseline.log.moves[0]).size, probe).toBeGreaterThan(1);
      for (const tier of ['turbofan', 'default'] as const) {
        expect(deterministicPart(await play(tiers[tier], probe)), `${probe} ${tier}`).toEqual(
          deterministicPart(baseline),
        );
      }
    }
  });

  it('play identically metered on Node 22 and this Node in every tier, where unmetered they do not', {
    timeout: 300_000,
  }, async () => {
    const nodes = [process.execPath, await ensureNode(22, root)];
    const plain = new Set<string>();
    for (const probe of PROBES) {
      const core = await wat(
        readFileSync(path.join(root, `test/hostile/wat/${probe}.component.wat`), 'utf8'),
      );
      const metered = new Set<string>();
      for (const node of nodes) {
        for (const flags of TIER_FLAGS) {
          metered.add(await movesOn(node, flags, core, 'metered'));
          plain.add(await movesOn(node, flags, core, 'plain'));
        }
      }
      expect(metered.size, probe).toBe(1);
    }
    // Unmetered, the NaN bits and so the moves differ between tiers or lines: the probes see them.
    expect(plain.size).toBeGreaterThan(PROBES.length);
  });
});
