import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostileEntry, Manifest } from '../../scripts/bots/manifest.js';
import { deterministicPart, type MatchRecord } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import type { BotSource, MatchRequest } from '../../src/sandbox/types.js';
import { botBytes, hostileBytes, useSandbox, wasmSource } from '../support/sandbox.js';

/**
 * Every bot in test/hostile against the real sandbox: each gets the verdict its manifest
 * entry expects, no secret of the host reaches it, and a normal match played alongside comes
 * out exactly as it does alone.
 */
const SECRET = 'hunter2-not-for-bots';
process.env.THROWDOWN_HOSTILE_SECRET = SECRET;

const manifest = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../hostile/dist/manifest.json'), 'utf8'),
) as Manifest<HostileEntry>;
const sandbox = useSandbox();
// One worker: a hostile bot and the bystander match after it run in the same process.
const sequential = useSandbox({ workers: 1 });
const referee: BotSource = { kind: 'builtin', name: 'referee', strategy: 'cycle' };
const normal: MatchRequest = {
  seed: 'bystander',
  rules: makeRules({ rounds: 500 }),
  bots: [
    wasmSource('frequency.component', botBytes('frequency.component')),
    wasmSource('cycle.command', botBytes('cycle.command')),
  ],
};
let baseline: MatchRecord;

async function played(request: MatchRequest, on = sandbox): Promise<MatchRecord> {
  const result = await on.play(request);
  if (!result.ok) throw new Error(`match failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function hostileMatch(entry: HostileEntry, seed = 'hostile'): MatchRequest {
  return {
    seed,
    rules: makeRules({ rounds: 1000 }),
    bots: [wasmSource(entry.name, hostileBytes(entry.file)), referee],
  };
}

beforeAll(async () => {
  baseline = await played(normal);
});

describe('hostile bots get the verdict their manifest expects', () => {
  for (const entry of manifest.entries) {
    const expected = entry.expected;
    it(`${entry.name}: ${entry.expectText}`, async () => {
      if (expected.expect === 'rejected') {
        const result = await sandbox.check(hostileBytes(entry.file));
        expect(result.ok).toBe(false);
        if (result.ok) return;
        if (expected.code) expect(result.error.code).toBe(expected.code);
        expect(result.error.message.toLowerCase()).toContain(expected.messageIncludes.toLowerCase());
        return;
      }
      // A normal match alongside must not notice anything.
      const [record, bystander] = await Promise.all([played(hostileMatch(entry)), played(normal)]);
      expect(deterministicPart(bystander)).toEqual(deterministicPart(baseline));
      expect(JSON.stringify(record)).not.toContain(SECRET);
      if (expected.expect === 'fault') {
        expect(record.faults[0]).toMatchObject({
          seat: 0,
          kind: expected.kind,
          ...(expected.round !== undefined ? { round: expected.round } : {}),
        });
        expect(record.outcome.winner).toBe(1);
      } else {
        expect(record.faults).toEqual([]);
        expect(record.roundsPlayed).toBe(1000);
        const every = /every move is (rock|paper|scissors)/i.exec(expected.note)?.[1];
        if (every) expect(record.log.moves[0]).toBe(every[0]?.toUpperCase().repeat(1000));
      }
      // Nothing it did survives it: a normal match played next in the same worker process.
      await played(hostileMatch(entry), sequential);
      expect(deterministicPart(await played(normal, sequential))).toEqual(deterministicPart(baseline));
    });
  }
});

describe('what a bot can see of the host', () => {
  const entry = (name: string) => {
    const found = manifest.entries.find((e) => e.name === name);
    if (!found) throw new Error(`no hostile entry ${name}`);
    return found;
  };

  it('sees an empty environment, so no service secret', async () => {
    const record = await played(hostileMatch(entry('env.command')));
    expect(record.stderr[0]).toContain('env-count: 0');
    expect(record.stderr[0]).not.toContain('env: ');
  });

  it("sees only the host's seeded randomness: same seed, same numbers; another seed, others", async () => {
    const line = (r: MatchRecord) => /random: .*/.exec(r.stderr[0])?.[0];
    const [a, b, c] = await Promise.all([
      played(hostileMatch(entry('random.command'), 's1')),
      played(hostileMatch(entry('random.command'), 's1')),
      played(hostileMatch(entry('random.command'), 's2')),
    ]);
    expect(line(a)).toBeDefined();
    expect(line(b)).toBe(line(a));
    expect(line(c)).not.toBe(line(a));
  });

  it('sees virtual clocks that read the same on every run', async () => {
    const [a, b] = await Promise.all([
      played(hostileMatch(entry('clocks.command'))),
      played(hostileMatch(entry('clocks.command'))),
    ]);
    expect(a.stderr[0]).toMatch(/\d/);
    expect(b.stderr[0]).toBe(a.stderr[0]);
  });

  it('cannot grow a table past the cap', async () => {
    const record = await played(hostileMatch(entry('table-grow.command')));
    const sizes = [...record.stderr[0].matchAll(/table elements: (\d+)/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(sandbox.limits.tableElements);
  });

  it('gets no file, preopen or socket: the probes all play Rock', async () => {
    for (const name of [
      'read-file.command',
      'preopens.command',
      'sockets-preview1.command',
      'args.command',
    ]) {
      const record = await played(hostileMatch(entry(name)));
      expect(record.log.moves[0]).toBe('R'.repeat(1000));
    }
  });
});

describe('the wall-clock safety net', () => {
  it('kills a stuck worker, replaces it, and the next match plays normally', async () => {
    const stuck = useSandbox({ startupGraceMs: 500 });
    const loop = manifest.entries.find((e) => e.name === 'loop-move.command')!;
    const result = await stuck.play({
      ...hostileMatch(loop),
      // No fuel limit worth the name: only the wall clock can stop this bot.
      limits: { fuelPerMove: 1e15, fuelPerMatch: 1e15, matchWallMs: 1_000 },
    });
    // The bot that ran past the wall clock loses (worker-loss.ts: stopped the same way on two
    // fresh processes); it is never a host failure that spares it.
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.outcome).toMatchObject({ winner: 1, reason: 'forfeit' });
    expect(result.value.faults).toMatchObject([{ seat: 0, kind: 'timeout' }]);
    const after = await stuck.play(normal);
    expect(after.ok && deterministicPart(after.value)).toEqual(deterministicPart(baseline));
  });
});
