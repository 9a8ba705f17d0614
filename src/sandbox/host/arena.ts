import type { GuestContext } from './context.js';

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
        ctx.stderr.write(encoder.encode(`${message}\n`));
      },
    },
  };
}
