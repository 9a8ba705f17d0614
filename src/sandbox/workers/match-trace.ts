import type { Seat } from '../../games/game.js';
import type { Player } from '../play/player.js';

/**
 * Where a traced match is, written before and after each seat runs (sandbox/worker-loss.ts
 * reads the last line a dead worker wrote to tell which bot was running).
 */
export type Trace = (line: string) => void;

export function tracedPlayer(player: Player, seat: Seat, trace: Trace): Player {
  return {
    start() {
      trace(`start ${seat}`);
      const outcome = player.start();
      trace(`after ${seat} 0`);
      return outcome;
    },
    move(info, fuelLeft) {
      trace(`move ${seat} ${info.round}`);
      const outcome = player.move(info, fuelLeft);
      trace(`after ${seat} ${info.round}`);
      return outcome;
    },
    stderrTail: () => player.stderrTail(),
  };
}
