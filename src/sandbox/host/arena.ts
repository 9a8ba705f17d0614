import type { GuestContext } from './context.js';
import { byteCost, HOST_COSTS } from './fuel.js';

/**
 * The `throwdown:rps/arena` import of wit/rps.wit: who is playing, and a debug log. `debug`
 * appends one line to the guest's stderr sink, so it shares stderr's cap: past it the call throws
 * OutputLimitExceeded, which ends the guest like any other output overflow.
 */
export interface ArenaNames {
  /** The opponent's display name, e.g. "bob/random". */
  opponentName: string;
  /** This bot's display name; defaults to ctx.args[0]. */
  myName?: string;
}

const encoder = new TextEncoder();

export function createArenaImports(ctx: GuestContext, names: ArenaNames) {
  const myName = names.myName ?? ctx.args[0] ?? '';
  const opponentName = names.opponentName;
  return {
    'throwdown:rps/arena': {
      opponentName: (): string => opponentName,
      myName: (): string => myName,
      debug(message: string): void {
        // Charged before encoding: the lowering already copied `message` out of guest memory.
        ctx.fuel.charge(HOST_COSTS.call + byteCost(message.length * 3 + 1, HOST_COSTS.copyBytesPerFuel));
        ctx.stderr.write(encoder.encode(`${message}\n`));
      },
    },
  };
}
