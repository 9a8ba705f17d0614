import type { GuestContext } from './context.js';
import { byteCost, HOST_COSTS } from './fuel.js';

/**
 * The `throwdown:rps/arena` import of wit/rps.wit: who is playing, and a debug log. `debug`
 * appends one line to the guest's stderr sink, so it shares stderr's cap: past it the call throws
 * OutputLimitExceeded, which ends the guest like any other output overflow.
 *
 * Fuel: every call charges one host call; the names also the bytes copied into the guest, and
 * `debug` its message's bytes before re-encoding and writing them. Decoding the message out of
 * guest memory is charged by the lowering, by the byte length the guest passes, before it decodes
 * (component/abi-values.ts `chargeString`); on the jco-glue path the glue decodes before any
 * host code runs, so there the decoding is bounded by the memory cap and charged afterwards.
 */
export interface ArenaNames {
  /** The opponent's display name, e.g. "bob/random". */
  opponentName: string;
  /** This bot's display name; defaults to ctx.args[0]. */
  myName?: string;
  /**
   * True when the caller's lowering charges a string's decoding before doing it (our direct
   * path, `chargeString`). Otherwise (jco's bindings, which decode before calling us) `debug`
   * charges the same amount after the fact, so both paths spend the same fuel.
   */
  stringsPrecharged?: boolean;
}

const encoder = new TextEncoder();

export function createArenaImports(ctx: GuestContext, names: ArenaNames) {
  const myName = names.myName ?? ctx.args[0] ?? '';
  const opponentName = names.opponentName;
  return {
    'throwdown:rps/arena': {
      opponentName: (): string => {
        ctx.fuel.charge(HOST_COSTS.call + byteCost(opponentName.length * 3, HOST_COSTS.copyBytesPerFuel));
        return opponentName;
      },
      myName: (): string => {
        ctx.fuel.charge(HOST_COSTS.call + byteCost(myName.length * 3, HOST_COSTS.copyBytesPerFuel));
        return myName;
      },
      debug(message: string): void {
        // Charged before encoding (UTF-16 length x 3 bounds the UTF-8 bytes written).
        ctx.fuel.charge(HOST_COSTS.call + byteCost(message.length * 3 + 1, HOST_COSTS.copyBytesPerFuel));
        const line = encoder.encode(`${message}\n`);
        // The bytes the guest passed, as the direct path's lowering charged them before decoding.
        if (!names.stringsPrecharged)
          ctx.fuel.charge(byteCost(line.length - 1, HOST_COSTS.decodeBytesPerFuel));
        ctx.stderr.write(line);
      },
    },
  };
}
