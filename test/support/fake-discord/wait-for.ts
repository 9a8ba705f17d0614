// Waiting for the client without sleeping: a predicate re-checked on every change the fake
// sees, and every 10 ms for state it cannot see (a test's own variables).
import type { Store } from './store.js';

export function waitFor<T>(
  store: Store,
  predicate: () => T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (fn: () => void) => {
      stop();
      clearInterval(poll);
      clearTimeout(timer);
      fn();
    };
    const check = () => {
      try {
        const value = predicate();
        if (value) settle(() => resolve(value));
      } catch (error) {
        settle(() => reject(error));
      }
    };
    const stop = store.onChange(check);
    const poll = setInterval(check, 10);
    const timer = setTimeout(
      () =>
        settle(() => reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`))),
      timeoutMs,
    );
    check();
  });
}
