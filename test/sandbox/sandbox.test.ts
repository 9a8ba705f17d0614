import { describe, expect, it } from 'vitest';
import { deterministicPart } from '../../src/games/match-record.js';
import { makeRules } from '../../src/games/rps.js';
import { botBytes, useSandbox, wasmSource } from '../support/sandbox.js';

const sandbox = useSandbox();
const bot = (file: string) => wasmSource(file, botBytes(file));

describe('sandbox: real matches between real bots', () => {
  it('plays a component bot against a command bot move for move', async () => {
    const result = await sandbox.play({
      seed: 'known',
      rules: makeRules(),
      bots: [bot('rock.component'), bot('cycle.command')],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const r = result.value;
    expect(r.faults).toEqual([]);
    expect(r.roundsPlayed).toBe(1000);
    expect(r.log.moves[0]).toBe('R'.repeat(1000));
    expect(r.log.moves[1]).toBe('RPS'.repeat(333) + 'R');
    // Rock ties rock (334), loses to paper (333), beats scissors (333).
    expect(r.wins).toEqual([333, 333]);
    expect(r.ties).toBe(334);
    expect(r.outcome).toEqual({ winner: null, reason: 'within-margin', score: 0 });
    expect(r.bots.map((b) => b.kind)).toEqual(['component', 'command']);
    // Every move was metered: the command bot pays for parsing its JSON every move.
    expect(r.log.fuel[1].every((f) => f > 1000)).toBe(true);
    expect(r.log.fuel[0].every((f) => f > 0)).toBe(true);
  });

  it('plays JavaScript components (QuickJS) and AssemblyScript commands', async () => {
    const result = await sandbox.play({
      seed: 'js',
      rules: makeRules({ rounds: 200 }),
      bots: [bot('frequency.js'), bot('rock.command')],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Against a rock-only bot the frequency counter plays paper from round 2 on.
    expect(result.value.log.moves[0].slice(1)).toBe('P'.repeat(199));
    expect(result.value.outcome).toMatchObject({ winner: 0, reason: 'points' });
  });

  it('replays the same match from the same seed, and a different seed gives a different game', async () => {
    const play = (seed: string) =>
      sandbox.play({
        seed,
        rules: makeRules({ rounds: 300 }),
        bots: [bot('random.command'), bot('random.component')],
      });
    const [a, b, c] = await Promise.all([play('seed-1'), play('seed-1'), play('seed-2')]);
    if (!a.ok || !b.ok || !c.ok) throw new Error('a match failed');
    expect(deterministicPart(b.value)).toEqual(deterministicPart(a.value));
    expect(c.value.log.moves).not.toEqual(a.value.log.moves);
    // Randomness comes from the host, so both bots' choices vary: not one repeated hand.
    for (const seat of [0, 1] as const) expect(new Set(a.value.log.moves[seat]).size).toBe(3);
  });

  it('matches built-in reference bots too (the smoke test opponent)', async () => {
    const result = await sandbox.play({
      seed: 's',
      rules: makeRules({ rounds: 10 }),
      bots: [bot('beatlast.component'), { kind: 'builtin', name: 'reference', strategy: 'rock' }],
    });
    expect(result.ok && result.value.log.moves).toEqual(['PPPPPPPPPP', 'RRRRRRRRRR']);
  });
});

describe('sandbox: validation', () => {
  it('accepts a good bot with a report and a test match', async () => {
    const report = await sandbox.check(botBytes('beatlast.component'));
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value).toMatchObject({ kind: 'component', callPath: 'direct', exports: ['play'] });
    expect(report.value.smoke?.rounds).toBe(20);
    const command = await sandbox.check(botBytes('cycle.command'));
    expect(command.ok && command.value.kind).toBe('command');
    expect(command.ok && command.value.imports).toContain('wasi_snapshot_preview1.fd_write');
  });

  it('rejects bytes that are not wasm, truncated modules and oversize files in plain words', async () => {
    const notWasm = await sandbox.check(new TextEncoder().encode('print("rock")\n'));
    expect(notWasm).toMatchObject({ ok: false, error: { code: 'not-wasm' } });
    const good = botBytes('cycle.command');
    const truncated = await sandbox.check(good.subarray(0, Math.floor(good.length / 2)));
    expect(truncated).toMatchObject({ ok: false, error: { code: 'malformed' } });
    const big = await sandbox.check(good, { limits: { moduleBytes: 1024 } });
    expect(big).toMatchObject({
      ok: false,
      error: { code: 'too-large', message: expect.stringMatching(/at most 1\.0 KiB/) },
    });
  });

  it('rejects a component whose play has the wrong signature, and refuses the network', async () => {
    const { parse, componentEmbed, componentNew } = await import(
      '@bytecodealliance/jco-transpile/wasm-tools'
    );
    const wrong = await componentNew(
      await componentEmbed({
        binary: await parse('(module (func (export "play") (param i32) (result i32) local.get 0))'),
        witSource: 'package x:y; world w { export play: func(round: u32) -> u32; }',
        world: 'w',
      }),
    );
    expect(await sandbox.check(wrong)).toMatchObject({ ok: false, error: { code: 'wrong-signature' } });
  });
});
