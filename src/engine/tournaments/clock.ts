/**
 * Time as the tournament code sees it: the current time and one-shot timers. Production uses
 * the system clock; tests pass a fake one they advance by hand, so a schedule that fires
 * "tomorrow at 09:00" fires in a test without waiting (test/support/fake-clock.ts).
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds (negative counts as 0); the result cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** setTimeout's ceiling (about 24.8 days); longer waits are armed again in pieces by callers. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    return () => clearTimeout(handle);
  },
};
