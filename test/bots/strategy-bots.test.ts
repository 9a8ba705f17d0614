import { componentWit, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { generateStrategyBots, type StrategyBot } from '../../scripts/bots/strategy-bots.js';
import { mostFrequent, opponentHands } from './reference.js';
import { playArgs, wasmLayer } from './wasm-kind.js';

/** What a generated bot must play, computed from its parameters. */
function reference(
  bot: StrategyBot,
  round: number,
  mine: number[],
  theirs: number[],
  random: bigint,
): number {
  const p = bot.params;
  switch (p.template) {
    case 'constant':
      return p.hand;
    case 'cycle':
      return p.sequence[(round - 1) % p.sequence.length] as number;
    case 'shift-last': {
      const last = (p.of === 'my' ? mine : theirs).at(-1);
      return last === undefined ? p.first : (last + p.shift) % 3;
    }
    case 'biased-random': {
      const [r, pa] = p.weights;
      const x = Number(random % BigInt(p.weights[0] + p.weights[1] + p.weights[2]));
      return x < r ? 0 : x < r + pa ? 1 : 2;
    }
    case 'frequency': {
      const window = p.window === null ? theirs : theirs.slice(Math.max(0, theirs.length - p.window));
      return (mostFrequent(window) + p.shift) % 3;
    }
  }
}

describe('generateStrategyBots()', async () => {
  const bots = await generateStrategyBots(64, 'bench-1');

  it('should make 64 distinct bots, the same for the same seed and others for another', async () => {
    expect(bots).toHaveLength(64);
    expect(new Set(bots.map((b) => b.name)).size).toBe(64);
    expect(new Set(bots.map((b) => Buffer.from(b.component).toString('base64'))).size).toBe(64);
    const again = await generateStrategyBots(64, 'bench-1');
    expect(again.map((b) => b.component)).toEqual(bots.map((b) => b.component));
    const other = await generateStrategyBots(64, 'bench-2');
    expect(other.map((b) => b.name)).not.toEqual(bots.map((b) => b.name));
  });

  it('should cover every strategy', () => {
    expect(new Set(bots.map((b) => b.strategy))).toEqual(
      new Set(['rock', 'cycle', 'beatlast', 'random', 'frequency']),
    );
  });

  it('should build components exporting play', async () => {
    for (const bot of bots.slice(0, 8)) {
      expect(wasmLayer(bot.component)).toBe('component');
      expect(await componentWit(bot.component)).toContain('export play: func(state: round-state) -> hand;');
    }
  });

  it('should play as its parameters say, move for move', async () => {
    const rounds = 120;
    const theirs = opponentHands(rounds);
    for (const bot of bots) {
      let state = 0x9e3779b97f4a7c15n;
      const next = () => {
        state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
        return state;
      };
      let last = 0n;
      const imports = {
        'wasi:random/random@0.2.3': {
          'get-random-u64': () => {
            last = next();
            return last;
          },
        },
      };
      const instance = new WebAssembly.Instance(new WebAssembly.Module(await parse(bot.wat)), imports);
      const play = instance.exports.play as (...args: number[]) => number;
      const mine: number[] = [];
      for (let r = 1; r <= rounds; r++) {
        const seen = theirs.slice(0, r - 1);
        const hand = play(...playArgs(r, rounds, mine.at(-1) ?? null, seen.at(-1) ?? null));
        expect(hand, `${bot.name} round ${r}`).toBe(reference(bot, r, mine, seen, last));
        mine.push(hand);
      }
    }
  });

  it('should refuse a count that is not a whole number', async () => {
    await expect(generateStrategyBots(-1, 1)).rejects.toThrow(/whole number/);
  });
});
