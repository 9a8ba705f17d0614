// SIGINT and SIGTERM in every local mode, on spawned processes running the built entry point:
// the console (right after start, and in the middle of a match), and one-shot commands. Each
// stops with no stack trace; the service exits 0; the embedded database reopens cleanly after.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { bots } from '../../src/db/schema.js';
import { botFile } from '../support/cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-stop-'));
  dirs.push(dir);
  return dir;
}

function start(args: string[], dir: string) {
  const child = spawn(process.execPath, [path.join(root, 'bin/throwdown.js'), ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      THROWDOWN_DATA_DIR: dir,
      THROWDOWN_SANDBOX_WORKERS: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, output, exited };
}

/** Pids of a process's children. */
function childrenOf(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map(Number);
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
const WAIT = { timeout: 120_000, interval: 50 };
// Each test starts one to three service processes (Node, discord.js, PGlite, sandbox workers):
// about a second each on a quiet machine, much more on a shared, oversubscribed one. Nothing
// here measures time; the bound only catches a process that never stops.
const SPAWNS = { timeout: 240_000 };

describe('stopping the console', () => {
  it('SIGINT right after start: exits 0 at once, no stack trace', SPAWNS, async () => {
    const dir = dataDir();
    const run = start([], dir);
    await vi.waitFor(() => expect(run.output.stdout).toContain('Local console'), WAIT);
    run.child.kill('SIGINT');
    const [code] = await run.exited;
    expect(code).toBe(0);
    noStackTrace(run.output.stderr + run.output.stdout);
  });

  it(
    'SIGTERM in the middle of a match: exits 0, no stack trace; the database reopens with nothing lost or skipped',
    SPAWNS,
    async () => {
      const dir = dataDir();
      const first = start([], dir);
      first.child.stdin!.write(
        [
          `/submit ${botFile('rock.command')}`,
          '/as bob',
          `/submit ${botFile('cycle.command')}`,
          '/challenge @you rounds:100000',
          '',
        ].join('\n'),
      );
      await vi.waitFor(
        () => expect(first.output.stdout.match(/cycle-command/g)?.length ?? 0).toBeGreaterThan(0),
        WAIT,
      );
      // The challenge is the next line: give it a moment to reach the sandbox.
      await new Promise((resolve) => setTimeout(resolve, 500));
      first.child.kill('SIGTERM');
      const [code] = await first.exited;
      expect(code).toBe(0);
      noStackTrace(first.output.stderr + first.output.stdout);

      // A second process opens the same embedded database and adds a bot.
      const second = start([], dir);
      second.child.stdin!.write(`/as carol\n/submit ${botFile('beatlast.command')}\n/quit\n`);
      const [code2] = await second.exited;
      expect(code2).toBe(0);
      expect(second.output.stdout).toContain('beatlast-command');

      const database = await createDatabase({ dataDir: path.join(dir, 'db') });
      try {
        const ids = (await database.db.select({ id: bots.id }).from(bots).orderBy(asc(bots.id))).map(
          (b) => b.id,
        );
        // Ids continue where they stopped: the database was closed cleanly, not recovered.
        expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
      } finally {
        await database.close();
      }
    },
  );

  it(
    'a second signal stops at once, saying so, while the first waits for a tournament match',
    SPAWNS,
    async () => {
      const dir = dataDir();
      const run = start([], dir);
      run.child.stdin!.write(
        [
          `/submit ${botFile('rock.command')}`,
          '/as bob',
          `/submit ${botFile('cycle.command')}`,
          '/tournament run-now rounds:10000',
          '',
        ].join('\n'),
      );
      // The tournament announces its start on stdout; its one match then runs for seconds.
      await vi.waitFor(() => expect(run.output.stdout).toMatch(/tournament.*start/i), WAIT);
      run.child.kill('SIGINT');
      await vi.waitFor(() => expect(run.output.stderr).toContain('stopping'), WAIT);
      run.child.kill('SIGINT');
      const [code, signal] = await run.exited;
      // 130 from our handler; if the first stop had already finished, the process was exiting.
      expect([0, 130], `${signal} ${run.output.stderr}`).toContain(code);
      noStackTrace(run.output.stderr + run.output.stdout);
    },
  );
});

describe('stopping a one-shot command', () => {
  it('Ctrl-C during `throwdown match`: one line, exit 130, no stack trace', SPAWNS, async () => {
    const dir = dataDir();
    const run = start(
      ['match', botFile('rock.command'), botFile('cycle.command'), '--rounds', '100000'],
      dir,
    );
    // Until a sandbox worker runs, the command has not got far; then it is surely under way.
    await vi.waitFor(() => expect(childrenOf(run.child.pid!).length).toBeGreaterThan(0), WAIT);
    run.child.kill('SIGINT');
    const [code] = await run.exited;
    // Interrupted before it finished (100,000 rounds take seconds): 130, and a line saying why.
    expect(code).toBe(130);
    expect(run.output.stderr).toContain('SIGINT');
    noStackTrace(run.output.stderr + run.output.stdout);
  });
});
