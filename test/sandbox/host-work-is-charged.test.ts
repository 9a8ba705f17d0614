import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostileEntry, Manifest } from '../../scripts/bots/manifest.js';
import { deterministicPart, type MatchRecord } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import type { BotSource, MatchRequest } from '../../src/sandbox/types.js';
import { botBytes, hostileBytes, useSandbox, wasmSource } from '../support/sandbox.js';

/**
 * Issue 10: host work and every core module's work come out of the bot's one fuel counter.
 * Each bot below makes the host (or several core modules) work far beyond its budget: it must
 * end out of fuel (never by the wall clock), the same way on three runs, and a normal match
 * played alongside must come out as it does alone.
 */
const manifest = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../hostile/dist/manifest.json'), 'utf8'),
) as Manifest<HostileEntry>;
const sandbox = useSandbox();
const referee: BotSource = { kind: 'builtin', name: 'referee', strategy: 'cycle' };
const normal: MatchRequest = {
  seed: 'bystander',
  rules: makeRules({ rounds: 300 }),
  bots: [
    wasmSource('frequency.component', botBytes('frequency.component')),
    wasmSource('cycle.command', botBytes('cycle.command')),
  ],
};
let baseline: MatchRecord;

async function played(request: MatchRequest): Promise<MatchRecord> {
  const result = await sandbox.play(request);
  if (!result.ok) throw new Error(`match failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function entry(name: string): HostileEntry {
  const found = manifest.entries.find((e) => e.name === name);
  if (!found) throw new Error(`no hostile entry ${name}`);
  return found;
}

const hostile = (name: string): MatchRequest => ({
  seed: 'host-work',
  rules: makeRules({ rounds: 1000 }),
  bots: [wasmSource(name, hostileBytes(entry(name).file)), referee],
});

beforeAll(async () => {
  baseline = await played(normal);
});

const CASES: Array<{ name: string; round: (r: number) => boolean; what: string }> = [
  { name: 'random-flood.command', round: (r) => r === 1, what: 'random_get of 16 MiB' },
  { name: 'iovec-flood.command', round: (r) => r === 1, what: 'fd_write with 1024 iovecs' },
  { name: 'poll-flood.command', round: (r) => r === 1, what: 'poll_oneoff with 4096 subscriptions' },
  { name: 'random-flood.component', round: (r) => r === 1, what: 'get-random-bytes of 1 MiB' },
  { name: 'clock-flood.component', round: (r) => r === 1, what: '200,000 clock reads' },
  // Charged by its byte length before decoding: out of fuel, not a trap for invalid UTF-8.
  { name: 'debug-decode.component', round: (r) => r === 1, what: 'arena.debug of 64 MiB not UTF-8' },
  { name: 'split-move.component', round: (r) => r === 1, what: 'a move split across core modules' },
  { name: 'startup-burners.component', round: (r) => r === 0, what: 'start functions in four modules' },
  // Charged by pages every move, the 64 MiB memory exhausts the match's fuel, not a move's.
  { name: 'big-memory.command', round: (r) => r > 1 && r < 1000, what: 'a 64 MiB memory reset every move' },
];

describe('host work and every core module charge the bot’s one fuel counter', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.what} ends out of fuel, identically on three runs`, async () => {
      const [a, b, c3, bystander] = await Promise.all([
        played(hostile(c.name)),
        played(hostile(c.name)),
        played(hostile(c.name)),
        played(normal),
      ]);
      expect(a.faults[0]).toMatchObject({ seat: 0, kind: 'out-of-fuel' });
      expect(c.round(a.faults[0]!.round)).toBe(true);
      expect(a.outcome.winner).toBe(1);
      expect(deterministicPart(b)).toEqual(deterministicPart(a));
      expect(deterministicPart(c3)).toEqual(deterministicPart(a));
      expect(deterministicPart(bystander)).toEqual(deterministicPart(baseline));
    });
  }

  it('counts start-up fuel in the match: start plus moves never exceed the match budget', async () => {
    const record = await played(hostile('big-memory.command'));
    const spent = record.startFuel[0] + record.log.fuel[0].reduce((s, f) => s + f, 0);
    // The faulting move may overdraw by what its last charge asked for, never by a whole move more.
    const { fuelPerMatch, fuelPerMove } = sandbox.limits;
    expect(spent).toBeGreaterThan(fuelPerMatch - fuelPerMove);
  });
});
