import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { afterAll, describe, expect, it } from 'vitest';
import type { BotEntry, Manifest } from '../../scripts/bots/manifest.js';
import { findRoot } from '../../scripts/bots/root.js';
import { BOTS_DIR } from '../../scripts/build-bots.js';
import { beat, type HandIndex, mostFrequent, opponentHands } from './reference.js';

/**
 * One move of each command bot under node:wasi (real WASI: fine for bots that only read stdin
 * and write stdout; the sandbox's own preview1 host is tested elsewhere). Checks the stdin
 * format the bots parse and the last-line rule.
 */
const root = findRoot();
const manifest = JSON.parse(
  await readFile(join(root, BOTS_DIR, 'manifest.json'), 'utf8'),
) as Manifest<BotEntry>;
const dir = await mkdtemp(join(tmpdir(), 'throwdown-command-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const TITLE = ['Rock', 'Paper', 'Scissors'];

function input(played: number) {
  const mine = Array.from({ length: played }, (_, i) => TITLE[i % 3] as string);
  const theirs = opponentHands(played).map((h) => TITLE[h] as string);
  return {
    botname: 'repo/bot',
    opponent: 'repo/other',
    round: played,
    history: mine,
    my_moves: mine,
    opponent_moves: theirs,
    total_rounds: 1000,
  };
}

async function move(entry: BotEntry, stdin: object): Promise<string> {
  const inPath = join(dir, `${entry.name}.in`);
  const outPath = join(dir, `${entry.name}.out`);
  await writeFile(inPath, `${JSON.stringify(stdin)}\n`);
  const inFd = openSync(inPath, 'r');
  const outFd = openSync(outPath, 'w');
  // The C and Rust starters log to stderr; keep it out of the test output.
  const errFd = openSync(join(dir, `${entry.name}.err`), 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['repo/bot'],
      env: {},
      stdin: inFd,
      stdout: outFd,
      stderr: errFd,
      returnOnExit: true,
    });
    const module = new WebAssembly.Module(await readFile(join(root, BOTS_DIR, entry.file)));
    const code = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports));
    expect(code, entry.file).toBe(0);
  } finally {
    closeSync(inFd);
    closeSync(outFd);
    closeSync(errFd);
  }
  const stdout = await readFile(outPath, 'utf8');
  const lines = (stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout).split('\n');
  return (lines.at(-1) ?? '').toLowerCase();
}

describe.each(manifest.entries.filter((e) => e.kind === 'command'))('command bot $name', (entry) => {
  it('should print the move its strategy picks as the last line', async () => {
    for (const played of [0, 1, 7, 40]) {
      const theirs = opponentHands(played);
      const last = await move(entry, input(played));
      const expected: Record<string, string | null> = {
        rock: 'rock',
        cycle: TITLE[played % 3] as string,
        beatlast: TITLE[played === 0 ? 1 : beat(theirs[played - 1] as HandIndex)] as string,
        frequency: TITLE[beat(mostFrequent(theirs))] as string,
        random: null,
      };
      const want = expected[entry.strategy];
      if (want === null || want === undefined)
        expect(['rock', 'paper', 'scissors'], entry.file).toContain(last);
      else expect(last, `${entry.file} after ${played} rounds`).toBe(want.toLowerCase());
    }
  });
});

describe.each(manifest.entries.filter((e) => e.kind === 'command'))(
  'command bot $name under Snippy',
  (entry) => {
    it("should play a legal move from Snippy's four keys alone (its own history, with an Invalid)", async () => {
      // Exactly what Snippy sends: no my_moves, opponent_moves or total_rounds.
      const snippy = {
        botname: 'testbot-owner/bot',
        opponent: 'testbot',
        round: 3,
        history: ['Rock', 'Invalid', 'Scissors'],
      };
      expect(['rock', 'paper', 'scissors'], entry.file).toContain(await move(entry, snippy));
    });
  },
);
