import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { findRoot } from '../../scripts/bots/root.js';
import { beat, type HandIndex, mostFrequent, opponentHands } from './reference.js';
import { playArgs } from './wasm-kind.js';

/**
 * The WAT component bots' strategies, checked by calling their core modules directly with the
 * lowered arguments of play(round-state): no component host needed.
 */
const root = findRoot();

async function core(strategy: string, imports: WebAssembly.Imports = {}) {
  const wat = await readFile(join(root, `bots/wat/component/${strategy}.wat`), 'utf8');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(await parse(wat)), imports);
  return instance.exports.play as (...args: number[]) => number;
}

/** Plays `rounds` rounds against opponentHands and returns the bot's hands. */
function run(play: (...args: number[]) => number, rounds: number): number[] {
  const theirs = opponentHands(rounds);
  const mine: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const prev = r - 2;
    mine.push(
      play(
        ...playArgs(
          r,
          rounds,
          prev >= 0 ? (mine[prev] ?? null) : null,
          prev >= 0 ? (theirs[prev] ?? null) : null,
        ),
      ),
    );
  }
  return mine;
}

describe('WAT component bots', () => {
  const rounds = 60;
  const theirs = opponentHands(rounds);

  it('rock: should always play rock', async () => {
    expect(new Set(run(await core('rock'), rounds))).toEqual(new Set([0]));
  });

  it('cycle: should play rock, paper, scissors by round', async () => {
    expect(run(await core('cycle'), rounds)).toEqual(Array.from({ length: rounds }, (_, i) => i % 3));
  });

  it("beatlast: should beat the opponent's previous hand, paper first", async () => {
    const expected = Array.from({ length: rounds }, (_, i) =>
      i === 0 ? 1 : beat(theirs[i - 1] as HandIndex),
    );
    expect(run(await core('beatlast'), rounds)).toEqual(expected);
  });

  it("frequency: should beat the opponent's most frequent hand so far", async () => {
    const expected = Array.from({ length: rounds }, (_, i) => beat(mostFrequent(theirs.slice(0, i))));
    expect(run(await core('frequency'), rounds)).toEqual(expected);
  });

  it("random: should map the host's get-random-u64 to value mod 3", async () => {
    const values = [0n, 1n, 2n, 3n, 0xffffffffffffffffn, 10n];
    let i = 0;
    const play = await core('random', {
      'wasi:random/random@0.2.3': { 'get-random-u64': () => values[i++] ?? 0n },
    });
    expect(values.map((_, r) => play(...playArgs(r + 1, 6, null, null)))).toEqual([0, 1, 2, 0, 0, 1]);
  });
});
