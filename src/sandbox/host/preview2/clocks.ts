import type { VirtualClock } from '../clock.js';
import { Pollable } from './io.js';

/**
 * wasi:clocks/{wall-clock, monotonic-clock} over the context's virtual clock (see clock.ts):
 * deterministic, advancing one tick per read, and sleeping by moving virtual time forward.
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

export function createClockImports(clock: VirtualClock) {
  return {
    'wasi:clocks/monotonic-clock': {
      now: (): bigint => clock.monotonicNs(),
      resolution: (): bigint => clock.resolutionNs,
      subscribeInstant: (when: bigint): Pollable => new Pollable(clock, when),
      subscribeDuration: (duration: bigint): Pollable =>
        new Pollable(clock, clock.peekMonotonicNs() + duration),
    },
    'wasi:clocks/wall-clock': {
      now: (): Datetime => datetime(clock.wallNs()),
      resolution: (): Datetime => datetime(clock.resolutionNs),
    },
  };
}
