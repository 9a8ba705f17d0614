import vm from 'node:vm';

/**
 * Deadlines enforced WHILE a bot runs, inside the match worker (docs/security.md, "The move
 * deadline"). A match runs synchronously, so nothing on the worker's event loop can stop a move
 * that never returns; V8 can, from another thread: `vm`'s `timeout` runs the code under a
 * watchdog thread that terminates JavaScript and WebAssembly alike (wasm checks for
 * interrupts at function entries and loop headers; terminating skips every `catch` and
 * `finally`, so a bot's own handlers cannot swallow it), and the worker carries on afterwards.
 *
 * Starting that watchdog costs ~260 µs (a thread per call), 50x the cost of a whole move of a
 * component bot, so one watchdog covers a BATCH of calls: a call runs in the open batch only
 * if the batch's time left covers the call's whole deadline and is at most twice it
 * (`fitsBatch`); otherwise the batch is closed and a new one (twice the call's deadline)
 * opened for it. So when a watchdog fires, the call
 * running has been running for at least its own deadline, whatever ran before it in the batch:
 * the bot that is moving is the one to blame, and the worker knows which one it is.
 */

export type Watched<T> = { ok: true; value: T } | { ok: false };

const context = vm.createContext({ body: null as (() => unknown) | null });
const script = new vm.Script('body()', { filename: 'throwdown-deadline' });

/**
 * The longest watchdog `vm` accepts (a uint32 of milliseconds, ~49.7 days; past it `vm` throws
 * instead of running). Limits that defeat metering for a test or a trusted run (fuel 1e15) ask
 * for deadlines far beyond it; such a call is in effect unwatched, and the pool's match deadline
 * is then the net.
 */
export const MAX_WATCH_MS = 2 ** 32 - 1;

/** Runs `body` under a watchdog of `ms` milliseconds (at most `MAX_WATCH_MS`); `{ ok: false }` if it was stopped. */
export function runWatched<T>(ms: number, body: () => T): Watched<T> {
  context.body = body;
  const timeout = Math.min(MAX_WATCH_MS, Math.max(1, Math.ceil(ms)));
  try {
    return { ok: true, value: script.runInContext(context, { timeout }) as T };
  } catch (error) {
    if ((error as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { ok: false };
    throw error;
  } finally {
    context.body = null;
  }
}

/** One call into a bot that a batch may run: how long it may take at most. */
export interface GuardedStep {
  deadlineMs: number;
}

/**
 * A call runs in the open batch when the batch's time left covers its whole deadline (so a
 * watchdog that fires finds a call that has run at least that long: the mover is to blame)
 * and is at most twice that deadline (so a call that never returns is stopped within twice
 * its own deadline, not at the end of a batch opened for a much longer call, such as a
 * start-up's). Otherwise the batch is closed and a new one opened for the call.
 */
export function fitsBatch(deadlineMs: number, leftMs: number): boolean {
  return deadlineMs <= leftMs && leftMs <= 2 * deadlineMs;
}

/**
 * Drives a sequence of guarded calls (a generator that yields each call's deadline right before
 * making it) in watchdog batches. Returns null when the sequence finished, or the step that was
 * running when its deadline passed (the generator is then dead; its caller settles the match).
 */
export function driveWithDeadlines<S extends GuardedStep>(
  steps: Generator<S, void, void>,
  now: () => number,
  /** The watchdog (tests pass one that records the batches). */
  watch: <T>(ms: number, body: () => T) => Watched<T> = runWatched,
): S | null {
  let next = steps.next();
  while (!next.done) {
    const first = next.value;
    let running: S = first;
    const budget = Math.min(MAX_WATCH_MS, 2 * first.deadlineMs);
    // Read before the watchdog starts, so `end` is never later than when it really fires.
    const end = now() + budget;
    const watched = watch(budget, () => {
      next = steps.next();
      while (!next.done && fitsBatch(next.value.deadlineMs, end - now())) {
        running = next.value;
        next = steps.next();
      }
    });
    if (!watched.ok) return running;
  }
  return null;
}
