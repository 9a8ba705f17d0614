import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { deterministicPart, type MatchRecord } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import type { MatchRequest } from '../../src/sandbox/types.js';
import { botBytes, useSandbox, wasmSource } from '../support/sandbox.js';

/**
 * The same match gives the same moves and the same fuel figures whatever V8 does: whichever
 * compiler tier runs the bots, and with other processes competing for the CPUs.
 */
const request: MatchRequest = {
  seed: 'determinism',
  rules: makeRules({ rounds: 300 }),
  bots: [
    wasmSource('frequency.js', botBytes('frequency.js')),
    wasmSource('beatlast.command', botBytes('beatlast.command')),
  ],
};

const tiers = {
  default: useSandbox({ workers: 1 }),
  liftoff: useSandbox({ workers: 1, extraMatchFlags: ['--liftoff', '--no-wasm-tier-up'] }),
  turbofan: useSandbox({ workers: 1, extraMatchFlags: ['--no-liftoff'] }),
};

async function play(sandbox: (typeof tiers)['default']): Promise<MatchRecord> {
  const result = await sandbox.play(request);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const hogs: ChildProcess[] = [];
afterAll(() => {
  for (const h of hogs) h.kill('SIGKILL');
});

describe('fuel figures are deterministic', () => {
  it('are identical in every V8 tier and under CPU contention', async () => {
    const baseline = await play(tiers.default);
    expect(baseline.log.fuel[0].every((f) => f > 0)).toBe(true);
    expect(deterministicPart(await play(tiers.liftoff))).toEqual(deterministicPart(baseline));
    expect(deterministicPart(await play(tiers.turbofan))).toEqual(deterministicPart(baseline));

    for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    const loaded = await play(tiers.default);
    expect(deterministicPart(loaded)).toEqual(deterministicPart(baseline));
  });
});
