import type { VirtualClock } from '../clock.js';
import { type FuelAccount, HOST_COSTS, UNMETERED } from '../fuel.js';
import { Pollable } from './io.js';

/**
 * wasi:clocks/{wall-clock, monotonic-clock} over the context's virtual clock (see clock.ts):
 * deterministic, advancing one tick per read, and sleeping by moving virtual time forward.
 * Every call charges the bot one host call (a loop of clock reads is host work like any other).
 */

/** wasi:clocks/wall-clock.datetime as jco passes it. */
export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

const NS_PER_S = 1_000_000_000n;

function datetime(ns: bigint): Datetime {
  return { seconds: ns / NS_PER_S, nanoseconds: Number(ns % NS_PER_S) };
}

export function createClockImports(clock: VirtualClock, fuel: FuelAccount = UNMETERED) {
  const charged =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      fuel.charge(HOST_COSTS.call);
      return f(...args);
    };
  return {
    'wasi:clocks/monotonic-clock': {
      now: charged((): bigint => clock.monotonicNs()),
      resolution: charged((): bigint => clock.resolutionNs),
      subscribeInstant: charged((when: bigint): Pollable => new Pollable(clock, when, fuel)),
      subscribeDuration: charged(
        (duration: bigint): Pollable => new Pollable(clock, clock.peekMonotonicNs() + duration, fuel),
      ),
    },
    'wasi:clocks/wall-clock': {
      now: charged((): Datetime => datetime(clock.wallNs())),
      resolution: charged((): Datetime => datetime(clock.resolutionNs)),
    },
  };
}
