/**
 * Host work is charged to the bot's fuel, like its own instructions: a host call that does work
 * in proportion to what the guest asked (bytes, iovecs, subscriptions, memory reset) debits the
 * bot's counter through `FuelAccount.charge` BEFORE doing it, so a bot cannot make the host work
 * for free and the wall clock never has to stop it. The rates (HOST_COSTS) are set so that no
 * host call costs more host time per fuel unit than ordinary instructions do (measured in
 * bench/host-fuel.ts; the table is in docs/limits.md).
 */

/** Fuel per unit of host work. Each rate was measured worst case; see docs/limits.md. */
export const HOST_COSTS = {
  /** Every preview1 call, and every charged preview2/arena call: crossing into the host. */
  call: 200,
  /** Fuel per byte of seeded random bytes generated (random_get, get-random-bytes). */
  randomFuelPerByte: 2,
  /** Bytes copied per fuel unit (stdin reads, stdout/stderr writes, args). */
  copyBytesPerFuel: 4,
  /**
   * Bytes of a guest string decoded (UTF-8 to a JS string) per fuel unit, charged by the length
   * the guest passes before decoding: 16 MiB of ASCII measured 27 ms, 3.3 ns/fuel at this rate.
   */
  decodeBytesPerFuel: 2,
  /** Per iovec of fd_read/fd_write (each is checked, read and copied separately). */
  iovec: 32,
  /** Per poll_oneoff subscription or wasi:io/poll pollable (read twice, an event written). */
  subscription: 64,
  /** Per 64 KiB page of memory the host zero-fills for a command's fresh instance every move. */
  memoryResetPage: 8192,
} as const;

/** The bot's fuel ran out inside a host call: the move ends out of fuel, as in its own code. */
export class FuelExhausted extends Error {
  override readonly name = 'FuelExhausted';
  constructor(readonly units: number) {
    super(`host work of ${units} fuel is more than the bot has left`);
  }
}

/** The mutable i64 global a metered instance counts down (its own, or the bot's shared one). */
export interface FuelCounter {
  value: unknown;
}

/**
 * The one place host work is charged. `charge` debits the bound counter; if less is left, the
 * counter goes below zero (so the verdict is out-of-fuel even if the guest catches the error)
 * and FuelExhausted is thrown. While no counter can be reached (start functions run during
 * instantiation, before a bot's own counter is exported), charges are held as `pending`, bounded
 * by `pendingLimit`, and applied by the player when it binds the counter.
 */
export interface FuelAccount {
  charge(units: number): void;
  /**
   * Counts down `counter` from now on, first debiting what was charged while unbound (the
   * caller checks the counter); null: hold charges as pending, up to `pendingLimit`.
   */
  bind(counter: FuelCounter | null, pendingLimit?: number): void;
}

/** An account that charges nothing: hosts used outside a match (tests of the hosts themselves). */
export const UNMETERED: FuelAccount = Object.freeze({
  charge() {},
  bind() {},
});

export function createFuelAccount(): FuelAccount {
  let counter: FuelCounter | null = null;
  let pending = 0;
  let pendingLimit = 0;
  return {
    charge(units) {
      if (!(units > 0)) return;
      const cost = Math.ceil(units);
      if (counter === null) {
        pending += cost;
        if (pending > pendingLimit) throw new FuelExhausted(cost);
        return;
      }
      const left = counter.value as bigint;
      const big = BigInt(cost);
      counter.value = left - big;
      if (left < big) throw new FuelExhausted(cost);
    },
    bind(next, limit = 0) {
      counter = next;
      pendingLimit = limit;
      if (next !== null && pending > 0) next.value = (next.value as bigint) - BigInt(pending);
      pending = 0;
    },
  };
}

/** Fuel for `bytes` bytes at `perFuel` bytes per unit, rounded up. */
export function byteCost(bytes: number, perFuel: number): number {
  return Math.ceil(bytes / perFuel);
}
