import { nextInt, type RngState, seedRng } from '../../src/games/rng.js';
import { combinedWit, watToComponent } from './compile.js';
import type { Strategy } from './manifest.js';
import { findRoot } from './root.js';

/**
 * Benchmark bots: `count` distinct WAT components derived from the five strategies by
 * parameters (a constant hand, a cycle sequence, a shift applied to a last hand, weights of a
 * biased random, a frequency window). Each move is a handful of instructions, so a 64-bot round
 * robin of 1000-round matches measures the host, not the bots. The same (count, seed) gives
 * the same bots, byte for byte.
 */

export type StrategyParams =
  | { template: 'constant'; hand: number }
  | { template: 'cycle'; sequence: number[] }
  | { template: 'shift-last'; of: 'their' | 'my'; shift: number; first: number }
  | { template: 'biased-random'; weights: [number, number, number] }
  | { template: 'frequency'; window: number | null; shift: number };

export interface StrategyBot {
  /** Unique, e.g. "gen-07-cycle-RPPS". */
  name: string;
  /** The strategy it is a variant of. */
  strategy: Strategy;
  params: StrategyParams;
  wat: string;
  /** The component (world `player`, or `player-random` for biased random). */
  component: Uint8Array;
}

const LETTER = ['R', 'P', 'S'];

/** The canonical-ABI signature of play(round-state) -> hand. */
const PLAY = `(func (export "play")
    (param $round i32) (param $total i32) (param $my_some i32) (param $my i32) (param $their_some i32) (param $their i32)
    (result i32)`;

function constantWat(hand: number): string {
  return `(module\n  ${PLAY}\n    (i32.const ${hand})))`;
}

/** The sequence is packed two bits a hand into one i64 constant (up to 32 hands). */
function cycleWat(sequence: number[]): string {
  let packed = 0n;
  sequence.forEach((hand, i) => {
    packed |= BigInt(hand) << BigInt(2 * i);
  });
  return `(module
  ${PLAY}
    (i32.wrap_i64 (i64.and (i64.const 3)
      (i64.shr_u (i64.const ${packed})
        (i64.extend_i32_u (i32.shl (i32.rem_u (i32.sub (local.get $round) (i32.const 1)) (i32.const ${sequence.length})) (i32.const 1))))))))`;
}

/** (last + shift) mod 3 of the opponent's or its own last hand: shift 1 is beat-last, 0 copy-last. */
function shiftLastWat(of: 'their' | 'my', shift: number, first: number): string {
  return `(module
  ${PLAY}
    (if (result i32) (local.get $${of}_some)
      (then (i32.rem_u (i32.add (local.get $${of}) (i32.const ${shift})) (i32.const 3)))
      (else (i32.const ${first})))))`;
}

/** Hand i with probability weights[i] / sum, from the host's seeded wasi:random. */
function biasedRandomWat([rock, paper, scissors]: [number, number, number]): string {
  const total = rock + paper + scissors;
  return `(module
  (import "wasi:random/random@0.2.3" "get-random-u64" (func $random_u64 (result i64)))
  ${PLAY}
    (local $x i32)
    (local.set $x (i32.wrap_i64 (i64.rem_u (call $random_u64) (i64.const ${total}))))
    (if (result i32) (i32.lt_u (local.get $x) (i32.const ${rock}))
      (then (i32.const 0))
      (else (select (i32.const 1) (i32.const 2) (i32.lt_u (local.get $x) (i32.const ${rock + paper})))))))`;
}

/**
 * Counts the opponent's hands over the last `window` rounds (all rounds when null) and plays
 * (most frequent + shift) mod 3. Counts live at 1024 + 4 * hand, the ring of recent hands at 0.
 */
function frequencyWat(window: number | null, shift: number): string {
  const record =
    window === null
      ? '(call $add (local.get $their) (i32.const 1))'
      : `(if (i32.eq (global.get $seen) (i32.const ${window}))
          (then (call $add (i32.load8_u (global.get $pos)) (i32.const -1)))
          (else (global.set $seen (i32.add (global.get $seen) (i32.const 1)))))
        (i32.store8 (global.get $pos) (local.get $their))
        (call $add (local.get $their) (i32.const 1))
        (global.set $pos (i32.rem_u (i32.add (global.get $pos) (i32.const 1)) (i32.const ${window})))`;
  return `(module
  (memory 1)
  (global $seen (mut i32) (i32.const 0))
  (global $pos (mut i32) (i32.const 0))
  (func $add (param $hand i32) (param $delta i32)
    (local $at i32)
    (local.set $at (i32.add (i32.const 1024) (i32.shl (local.get $hand) (i32.const 2))))
    (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (local.get $delta))))
  (func $count (param $hand i32) (result i32)
    (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $hand) (i32.const 2)))))
  ${PLAY}
    (local $top i32)
    (if (local.get $their_some)
      (then
        ${record}))
    (if (i32.gt_u (call $count (i32.const 1)) (call $count (i32.const 0))) (then (local.set $top (i32.const 1))))
    (if (i32.gt_u (call $count (i32.const 2)) (call $count (local.get $top))) (then (local.set $top (i32.const 2))))
    (i32.rem_u (i32.add (local.get $top) (i32.const ${shift})) (i32.const 3))))`;
}

function pickParams(rng: RngState): StrategyParams {
  switch (nextInt(rng, 5)) {
    case 0:
      return { template: 'constant', hand: nextInt(rng, 3) };
    case 1: {
      const length = 2 + nextInt(rng, 11);
      return { template: 'cycle', sequence: Array.from({ length }, () => nextInt(rng, 3)) };
    }
    case 2:
      return {
        template: 'shift-last',
        of: nextInt(rng, 4) === 0 ? 'my' : 'their',
        shift: nextInt(rng, 3),
        first: nextInt(rng, 3),
      };
    case 3:
      return {
        template: 'biased-random',
        weights: [1 + nextInt(rng, 8), 1 + nextInt(rng, 8), 1 + nextInt(rng, 8)],
      };
    default:
      return {
        template: 'frequency',
        window: nextInt(rng, 4) === 0 ? null : 1 + nextInt(rng, 64),
        shift: nextInt(rng, 5) === 0 ? 2 : 1,
      };
  }
}

function describe(params: StrategyParams): { strategy: Strategy; label: string; wat: string } {
  switch (params.template) {
    case 'constant':
      return { strategy: 'rock', label: `constant-${LETTER[params.hand]}`, wat: constantWat(params.hand) };
    case 'cycle':
      return {
        strategy: 'cycle',
        label: `cycle-${params.sequence.map((h) => LETTER[h]).join('')}`,
        wat: cycleWat(params.sequence),
      };
    case 'shift-last':
      return {
        strategy: 'beatlast',
        label: `${params.of}-last+${params.shift}-first${LETTER[params.first]}`,
        wat: shiftLastWat(params.of, params.shift, params.first),
      };
    case 'biased-random':
      return {
        strategy: 'random',
        label: `random-${params.weights.join('-')}`,
        wat: biasedRandomWat(params.weights),
      };
    case 'frequency':
      return {
        strategy: 'frequency',
        label: `frequency-${params.window ?? 'all'}+${params.shift}`,
        wat: frequencyWat(params.window, params.shift),
      };
  }
}

/**
 * `count` distinct benchmark bots from `seed`. The first five are the plain strategies (rock,
 * cycle RPS, beat-last, uniform random, frequency over all rounds) so every set has a baseline.
 */
export async function generateStrategyBots(
  count: number,
  seed: string | number,
  root: string = findRoot(),
): Promise<StrategyBot[]> {
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number, got ${count}`);
  const rng = seedRng(`strategy-bots:${seed}`);
  const baseline: StrategyParams[] = [
    { template: 'constant', hand: 0 },
    { template: 'cycle', sequence: [0, 1, 2] },
    { template: 'shift-last', of: 'their', shift: 1, first: 1 },
    { template: 'biased-random', weights: [1, 1, 1] },
    { template: 'frequency', window: null, shift: 1 },
  ];
  const witSource = await combinedWit(root, ['bots/wit/extras.wit']);
  const seen = new Set<string>();
  const bots: StrategyBot[] = [];
  for (let attempt = 0; bots.length < count; attempt++) {
    if (attempt > count * 100 + 100) throw new Error(`could not find ${count} distinct strategy bots`);
    const params = attempt < baseline.length ? (baseline[attempt] as StrategyParams) : pickParams(rng);
    const { strategy, label, wat } = describe(params);
    if (seen.has(label)) continue;
    seen.add(label);
    const world = params.template === 'biased-random' ? 'throwdown:bots/player-random' : 'player';
    const component = await watToComponent(wat, witSource, world);
    const index = String(bots.length + 1).padStart(String(count).length, '0');
    bots.push({ name: `gen-${index}-${label}`, strategy, params, wat, component });
  }
  return bots;
}
