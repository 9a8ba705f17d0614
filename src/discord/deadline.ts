/** What `within` answers when the promise did not settle in time (it keeps running). */
export const LATE = Symbol('late');

/**
 * The promise's value if it settles within `ms`, else LATE. Used to answer an interaction
 * directly when the work is quick and to acknowledge it first ("thinking…") when it is not,
 * inside Discord's 3-second window. A rejection after LATE is left to whoever awaits the
 * promise later; one before it is passed on.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
