import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BotEntry, Manifest } from '../../scripts/bots/manifest.js';
import { findRoot } from '../../scripts/bots/root.js';
import { BOTS_DIR } from '../../scripts/build-bots.js';

/**
 * Every component bot, played through jco's glue with a tiny seeded host (play-components.mjs,
 * in a child process). Checks the strategies end to end through the
 * component boundary and, above all, that the random bots follow the HOST's seed.
 */
const root = findRoot();
const manifest = JSON.parse(
  await readFile(join(root, BOTS_DIR, 'manifest.json'), 'utf8'),
) as Manifest<BotEntry>;
const components = manifest.entries.filter((e) => e.kind === 'component');

type Played = Record<string, Record<string, { moves: string; log: string[] }>>;

describe('component bots through jco', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(root, 'test/bots/play-components.mjs'),
      '14',
      '1,2,1',
      ...components.map((e) => join(root, BOTS_DIR, e.file)),
    ],
    { cwd: root, maxBuffer: 1 << 20 },
  );
  const played = JSON.parse(stdout) as Played;
  const moves = (entry: BotEntry, seed: string) => played[join(root, BOTS_DIR, entry.file)]?.[seed]?.moves;

  // Opponent: rock rock paper scissors rock paper paper, repeated.
  const expected: Record<string, string> = {
    rock: 'rrrrrrrrrrrrrr',
    cycle: 'rpsrpsrpsrpsrp',
    beatlast: 'pppsrpssppsrps',
    frequency: 'pppppppppppppp',
  };

  it.each(components.filter((e) => e.strategy !== 'random'))('$name: should play its strategy', (entry) => {
    expect(moves(entry, '1')).toBe(expected[entry.strategy]);
  });

  it.each(components.filter((e) => e.strategy === 'random'))(
    "$name: should replay with the host's seed and change with it",
    (entry) => {
      const first = moves(entry, '1') ?? '';
      expect(first).toMatch(/^[rps]{14}$/);
      expect(new Set(first).size).toBeGreaterThan(1);
      expect(moves(entry, '2')).not.toBe(first);
      // Seed 1 again, in a fresh instance: the same game.
      expect(played[join(root, BOTS_DIR, entry.file)]?.['1']?.moves).toBe(first);
    },
  );

  it('beatlast.js: should greet its opponent once through arena.debug', () => {
    expect(played[join(root, BOTS_DIR, 'beatlast.js.wasm')]?.['1']?.log).toEqual([
      'beatlast says hello to them',
    ]);
  });

  // Built only where their compilers are installed (always in CI); built-bots.test.ts checks the set.
  for (const [file, line] of [
    ['frequency.c.wasm', 'frequency.c: counting your hands'],
    ['frequency.rust.wasm', 'frequency.rs: counting your hands'],
  ] as const) {
    it.skipIf(!components.some((e) => e.file === file))(
      `${file}: should log once through arena.debug`,
      () => {
        expect(played[join(root, BOTS_DIR, file)]?.['1']?.log).toEqual([line]);
      },
    );
  }
});
