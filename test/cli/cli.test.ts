import { spawn } from 'node:child_process';
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

    const match = await runThrowdown(['challenge', 'alice', 'bob', '--seed', 's1'], {
      env: dbEnv,
    });
    expect(match.code).toBe(0);
    // Worded as /challenge words it: bot names, displayed ratings, the match number and seed;
    // owners carry the tag that tells same-named players apart (src/engine/player-tag.ts).
    expect(match.stdout).toMatch(/^== alice#[0-9A-Z]{4}\/beatlast-component vs bob#[0-9A-Z]{4}\/stone ==$/m);
    expect(match.stdout).toMatch(/alice#[0-9A-Z]{4}\/beatlast-component wins/);
    expect(match.stdout).toMatch(/^ {2}alice#[0-9A-Z]{4}\/beatlast-component: 1000 → \d{4} \(\+\d+\)$/m);
    expect(match.stdout).toMatch(/^ {2}bob#[0-9A-Z]{4}\/stone: 1000 → \d{3} \(-\d+\)$/m);
    expect(match.stdout).toMatch(/^-- Match #1 · seed s1 · /m);
    expect(match.stdout).not.toMatch(/\bmu\b|bot \d+/);
    const tooLong = await runThrowdown(['challenge', 'alice', 'bob', '--rounds', '10001'], { env: dbEnv });
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toBe('throwdown: --rounds must be from 1 to 10000, as in /challenge\n');

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

describe('throwdown as a Unix tool', () => {
  it.each([
    [['frobnicate'], "throwdown: unknown command 'frobnicate' (see 'throwdown --help')"],
    [['match', '--bogus', 'a', 'b'], "throwdown: unknown option '--bogus' (see 'throwdown match --help')"],
    [['match'], "throwdown: missing required argument 'botA' (see 'throwdown match --help')"],
    [
      ['tournament', 'a.wasm', 'b.wasm', '--format', 'knockout'],
      "throwdown: option '-f, --format <format>' argument 'knockout' is invalid. Allowed choices are round-robin, swiss, single-elimination (see 'throwdown tournament --help')",
    ],
    [
      ['new', 'cobol'],
      'throwdown: no starter for "cobol"; choose one of c, rust, wat, assemblyscript, javascript',
    ],
  ])('usage error %j: one line on stderr, exit 2', async (args, line) => {
    const r = await runThrowdown(args, { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await runThrowdown(['--help'], { env });
    expect(help.code).toBe(0);
    for (const command of [
      'validate',
      'match',
      'tournament',
      'new',
      'componentize',
      'serve',
      'submit',
      'challenge',
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const version = await runThrowdown(['--version'], { env });
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('an out-of-range setting is a plain-words error (exit 2), not a bug report', async () => {
    const r = await runThrowdown(['validate', botFile('rock.command')], {
      env: { ...env, THROWDOWN_MEMORY_MIB: '99999' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'throwdown: THROWDOWN_MEMORY_MIB must be a whole number from 1 to 4096 (got "99999")\n',
    );
  });

  it('--json | head: ends quietly when the reader goes away', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, '../../bin/throwdown.js'),
        'match',
        botFile('rock.component'),
        'builtin:cycle',
        '--json',
      ],
      { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Like `head -c 10`: read a little, then close the pipe (1000 rounds of JSON is ~100 KB).
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('the embedded database in use by a running service is a user error naming the holder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-locked-'));
    const service = spawn(process.execPath, [path.join(import.meta.dirname, '../../bin/throwdown.js')], {
      env: { PATH: process.env.PATH, THROWDOWN_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        service.stdout.on('data', (d) => {
          out += d;
          if (out.includes('Local console')) resolve();
        });
        service.on('exit', (code) => reject(new Error(`the service exited (${code}) before its console`)));
      });
      const r = await runThrowdown(['bots'], { env: { THROWDOWN_DATA_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^throwdown: The data directory \\S+ is in use by process ${service.pid}\\. .*\\n$`),
      );
    } finally {
      service.stdin.end();
      await new Promise((resolve) => service.on('close', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('throwdown match --trace', () => {
  it('shows every round: the moves, the fuel, then what each bot wrote to stderr', async () => {
    const r = await runThrowdown(
      [
        'match',
        botFile('frequency.wat-command'),
        botFile('beatlast.js'),
        '--rounds',
        '6',
        '--seed',
        't',
        '--trace',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+ {2}(rock|paper|scissors)/.test(l));
    expect(rows).toHaveLength(6);
    // frequency opens with paper; beatlast.js opens with paper too, then beats the last hand.
    expect(rows[0]).toMatch(/^\s+1 {2}paper\s+[\d,]+\s+paper\s+[\d,]+$/);
    expect(r.stdout).toMatch(
      /^stderr of beatlast\.js \(last bytes of the match\):\n {2}\| \[round 1\] beatlast says hello to frequency\.wat-command$/m,
    );
    expect(r.stdout).toMatch(/^stderr of frequency\.wat-command: \(empty\)$/m);
    expect(r.stdout).toMatch(/^frequency\.wat-command vs beatlast\.js: 6 of 6 rounds, seed t$/m);
  });
});
