import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { botFile, runThrowdown } from '../support/cli.js';
import { useTestDatabase } from '../support/database.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throwdown-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = { THROWDOWN_DATA_DIR: dataDir };
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .*\(/);

describe('throwdown validate', () => {
  it('accepts a good bot and prints kind, size, imports and exports', async () => {
    const r = await runThrowdown(['validate', botFile('cycle.command')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accepted/);
    expect(r.stdout).toMatch(/kind\s+command/);
    expect(r.stdout).toMatch(/imports\s+wasi_snapshot_preview1\.fd_write/);
    expect(r.stdout).toMatch(/exports\s+.*_start/);
  });

  it('rejects a non-wasm file with one clear reason and exit 1', async () => {
    const r = await runThrowdown(['validate', 'package.json'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rejected \(not-wasm\)/);
    noStack(r.stdout + r.stderr);
  });

  it('says a missing file is missing, exit 2, no stack trace', async () => {
    const r = await runThrowdown(['validate', 'nope.wasm'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('throwdown: nope.wasm: no such file');
  });
});

describe('throwdown match', () => {
  it('prints the result, and the same seed gives the identical log', async () => {
    const args = [
      'match',
      botFile('random.command'),
      botFile('random.component'),
      '--rounds',
      '200',
      '--seed',
      'cli',
      '--json',
    ];
    const [a, b, c] = await Promise.all([
      runThrowdown(args, { env }),
      runThrowdown(args, { env }),
      runThrowdown([...args.slice(0, -3), '--seed', 'other', '--json'], { env }),
    ]);
    for (const r of [a, b, c]) expect(r.code).toBe(0);
    const [ja, jb, jc] = [a, b, c].map((r) => JSON.parse(r.stdout));
    expect(ja.format).toBe('throwdown.match/1');
    expect(ja.rounds).toHaveLength(200);
    expect(ja.rounds[0]).toMatchObject({
      round: 1,
      moves: [expect.any(String), expect.any(String)],
      fuel: [expect.any(Number), expect.any(Number)],
    });
    const { timing: _a, ...restA } = ja;
    const { timing: _b, ...restB } = jb;
    expect(restB).toEqual(restA);
    expect(jc.rounds.map((r: { moves: string[] }) => r.moves.join())).not.toEqual(
      ja.rounds.map((r: { moves: string[] }) => r.moves.join()),
    );
  });

  it('plays against built-in bots and prints a readable summary', async () => {
    const r = await runThrowdown(['match', botFile('beatlast.component'), 'builtin:rock', '-r', '50'], {
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/beatlast\.component wins by 50 points \(50-0, 0 ties\)/);
    expect(r.stdout).toMatch(/fuel total/);
  });

  it('reports a rejected bot in one line with exit 1', async () => {
    const r = await runThrowdown(['match', 'package.json', 'builtin:rock'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^throwdown: package\.json was rejected: This is not a WebAssembly binary/,
    );
    noStack(r.stderr);
  });

  it('refuses bad options in plain words', async () => {
    const r = await runThrowdown(['match', botFile('rock.component'), 'builtin:rock', '--rounds', 'many'], {
      env,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/must be a whole number/);
    const unknown = await runThrowdown(['match', botFile('rock.component'), 'builtin:lizard'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown built-in bot "lizard"/);
  });
});

describe('throwdown over the database', async () => {
  const { url, driver } = await useTestDatabase();
  const dbEnv = { ...env, ...(driver === 'postgres' && url ? { DATABASE_URL: url } : {}) };

  it('submits two bots, challenges, shows the leaderboard and replays the match identically', async () => {
    const a = await runThrowdown(['submit', '--as', 'alice', botFile('beatlast.component')], { env: dbEnv });
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/Stored: alice\/beatlast-component version 1/);
    const b = await runThrowdown(['submit', '--as', 'bob', '--name', 'stone', botFile('rock.command')], {
      env: dbEnv,
    });
    expect(b.code).toBe(0);

    const match = await runThrowdown(['challenge', 'alice', 'bob', '--rounds', '100', '--seed', 's1'], {
      env: dbEnv,
    });
    expect(match.code).toBe(0);
    expect(match.stdout).toMatch(/Match #1 \(seed s1\)/);
    // Owners carry the tag that tells same-named players apart (src/engine/player-tag.ts).
    expect(match.stdout).toMatch(/alice#[0-9A-Z]{4}\/beatlast-component wins/);

    const board = await runThrowdown(['leaderboard', '--json'], { env: dbEnv });
    expect(JSON.parse(board.stdout).rows.map((r: { botName: string }) => r.botName)).toEqual([
      'beatlast-component',
      'stone',
    ]);

    const bots = await runThrowdown(['bots'], { env: dbEnv });
    expect(bots.stdout).toMatch(/alice\/beatlast-component\s+v1\s+component/);
    expect(bots.stdout).toMatch(/bob\/stone\s+v1\s+command/);

    const replay = await runThrowdown(['replay', '1'], { env: dbEnv });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/identical/);
    const missing = await runThrowdown(['replay', '999'], { env: dbEnv });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('throwdown: There is no match #999.');
  });
});
