import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pairingSeed } from '../../src/engine/tournaments/play-pairing.js';
import { botFile, runThrowdown } from '../support/cli.js';
import { root } from '../support/shell.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throwdown-tournament-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { THROWDOWN_DATA_DIR: dataDir, THROWDOWN_SANDBOX_WORKERS: '2' };
const hostile = (name: string) => path.join(root, 'test/hostile/dist', `${name}.wasm`);

interface TournamentJson {
  format: string;
  tournament: { format: string; seed: string; rules: { rounds: number }; matches: number };
  bots: Array<{ name: string; file: string }>;
  standings: Array<{
    rank: number;
    bot: string;
    points: number;
    wins: number;
    draws: number;
    losses: number;
    byes: number;
    moves: number;
    fuel: { total: number; meanPerMove: number; maxPerMove: number };
    timing: { meanMoveMicros: number };
    faults: Array<{ match: string; opponent: string; round: number; kind: string; message: string }>;
  }>;
  matches: Array<{
    key: string;
    round: number;
    seed: string;
    bots: [string, string];
    result: { winner: 0 | 1 | null; winnerName: string | null; wins: [number, number]; roundsPlayed: number };
  }>;
}

const FIELD = ['frequency.component', 'beatlast.command', 'cycle.js', 'rock.wat-command'];

async function tournament(args: string[]): Promise<TournamentJson> {
  const r = await runThrowdown(['tournament', ...args, '--json'], { env, timeoutMs: 240_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as TournamentJson;
}

const withoutTiming = (t: TournamentJson) => ({
  ...t,
  standings: t.standings.map(({ timing: _timing, ...rest }) => rest),
});

describe('throwdown tournament', () => {
  it("round robin: every pair once, the server's seeds, standings with fuel and time, replayable", async () => {
    const args = [...FIELD.map(botFile), '--rounds', '150', '--seed', 'rr'];
    const [a, b] = await Promise.all([tournament(args), tournament(args)]);
    expect(a.format).toBe('throwdown.tournament/1');
    expect(a.tournament).toMatchObject({
      format: 'round-robin',
      seed: 'rr',
      rules: { rounds: 150 },
      matches: 6,
    });
    expect(a.matches).toHaveLength(6);
    const pairs = a.matches.map((m) => [...m.bots].sort().join(' vs ')).sort();
    expect(new Set(pairs).size).toBe(6);
    // Each match's seed is the one the server derives for that pairing of that tournament.
    for (const m of a.matches) expect(m.seed).toBe(pairingSeed('rr', m.key));
    expect(a.standings.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    expect(a.standings.reduce((sum, s) => sum + s.points, 0)).toBe(6);
    for (const s of a.standings) {
      expect(s.wins + s.draws + s.losses).toBe(3);
      expect(s.moves).toBe(3 * 150);
      expect(s.faults).toEqual([]);
    }
    // frequency beats rock and the rock-playing command loses everything but the mirror... it has none.
    expect(a.standings.find((s) => s.bot === 'rock.wat-command')?.points).toBeLessThan(1.5);
    const fuel = a.standings.find((s) => s.bot === 'beatlast.command')?.fuel;
    expect(fuel?.meanPerMove).toBeGreaterThan(1000); // a command bot parses its JSON every move
    expect(fuel?.maxPerMove).toBeGreaterThanOrEqual(fuel?.meanPerMove ?? Infinity);
    // Same bots, same seed: the same tournament (wall-clock timing aside).
    expect(withoutTiming(b)).toEqual(withoutTiming(a));

    // One match of it, replayed alone with `throwdown match` and its seed: the same verdict.
    const m = a.matches.find((x) => x.result.winner !== null)!;
    const replay = await runThrowdown(
      ['match', botFile(m.bots[0]), botFile(m.bots[1]), '--rounds', '150', '--seed', m.seed, '--json'],
      { env },
    );
    expect(JSON.parse(replay.stdout).result).toMatchObject(m.result);
  });

  it('swiss: an odd field gets byes; the text shows the table, the matches and every fault', async () => {
    const t = await tournament([
      ...FIELD.map(botFile),
      hostile('trap-500.component'),
      '--format',
      'swiss',
      '--rounds',
      '600',
      '--seed',
      'sw',
    ]);
    expect(t.tournament.format).toBe('swiss');
    expect(t.standings).toHaveLength(5);
    // ceil(log2 5) + 1 = 4 rounds, two boards and a bye each.
    expect(t.matches).toHaveLength(8);
    expect(t.standings.reduce((n, s) => n + s.byes, 0)).toBe(4);
    const faulty = t.standings.find((s) => s.bot === 'trap-500.component')!;
    expect(faulty.faults.length).toBe(faulty.wins + faulty.draws + faulty.losses);
    expect(faulty.faults[0]).toMatchObject({ round: 500, kind: 'trap' });
    expect(faulty.losses).toBe(faulty.faults.length);

    const text = await runThrowdown(
      [
        'tournament',
        ...FIELD.map(botFile),
        hostile('trap-500.component'),
        '-f',
        'swiss',
        '-r',
        '600',
        '-s',
        'sw',
      ],
      { env, timeoutMs: 240_000 },
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Swiss: 5 bots, 8 matches of 600 rounds, seed sw$/m);
    expect(text.stdout).toMatch(
      /^#\s+bot\s+pts\s+W-D-L\s+fuel\/move\s+max\s+fuel total\s+[µμ]s\/move\s+faults$/m,
    );
    expect(text.stdout).toMatch(/^Faults:\n {2}trap-500\.component vs \S+ \(r\d+:m\d+\), round 500: trap: /m);
  });

  it('names a bot the server would refuse before playing anything (exit 1), and needs two bots (exit 2)', async () => {
    const refused = await runThrowdown(
      ['tournament', botFile('rock.component'), hostile('huge-memory.command')],
      {
        env,
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^throwdown: \S+huge-memory\.command\.wasm was rejected: .+\n$/);
    const one = await runThrowdown(['tournament', botFile('rock.component')], { env });
    expect(one.code).toBe(2);
    expect(one.stderr).toBe('throwdown: a tournament needs at least two bots\n');
  });
});
