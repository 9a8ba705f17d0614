import { nextInt, seedRng } from '../../games/rng.js';
import { HANDS, type Hand } from '../../games/rps.js';
import type { BuiltinStrategy } from '../types.js';
import type { MoveOutcome, Player, RoundInfo, StartOutcome } from './player.js';

/**
 * Reference bots implemented by the host itself: trusted, instant, and used for the smoke
 * match every upload plays before it is accepted (and as sparring partners in the CLI).
 * They spend no fuel.
 */
export function createBuiltinPlayer(strategy: BuiltinStrategy, seed: string): Player {
  const rng = seedRng(seed);
  const choose = (info: RoundInfo): Hand => {
    switch (strategy) {
      case 'rock':
        return 'rock';
      case 'cycle':
        return HANDS[(info.round - 1) % 3] as Hand;
      case 'random':
        return HANDS[nextInt(rng, 3)] as Hand;
    }
  };
  return {
    start: (): StartOutcome => ({ ok: true, fuel: 0 }),
    startFuelCap: () => 0,
    moveFuelCap: () => 0,
    move: (info: RoundInfo): MoveOutcome => ({ ok: true, hand: choose(info), fuel: 0 }),
    stderrTail: () => '',
  };
}
