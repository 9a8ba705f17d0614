/**
 * A small seeded pseudo-random generator whose whole state is plain data.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): four 32-bit words of state,
 * passes PractRand to 2^40+ bytes, and is trivially serialisable, so a match or a tournament
 * can store where its randomness stands and resume or replay from there. The seed string is
 * expanded with cyrb128. Nothing here reads a clock or the host's entropy: callers that need
 * a fresh seed make one in the engine and pass it in.
 */
export interface RngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** Expands an arbitrary string into 128 bits of well-mixed state (cyrb128). */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A generator state for `seed`; the same seed always gives the same sequence. */
export function seedRng(seed: string): RngState {
  const [a, b, c, d] = cyrb128(seed);
  const state: RngState = { a, b, c, d };
  // Discard the first outputs: sfc32 mixes weakly in its first dozen steps.
  for (let i = 0; i < 12; i++) nextU32(state);
  return state;
}

/** Advances `state` in place and returns the next 32-bit unsigned value. */
export function nextU32(state: RngState): number {
  const t = (((state.a + state.b) | 0) + state.d) | 0;
  state.d = (state.d + 1) | 0;
  state.a = state.b ^ (state.b >>> 9);
  state.b = (state.c + (state.c << 3)) | 0;
  state.c = (state.c << 21) | (state.c >>> 11);
  state.c = (state.c + t) | 0;
  return t >>> 0;
}

/** A float in [0, 1) with 32 bits of randomness. */
export function nextFloat(state: RngState): number {
  return nextU32(state) / 4294967296;
}

/** An integer in [0, n) without modulo bias. */
export function nextInt(state: RngState, n: number): number {
  if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`nextInt: bad bound ${n}`);
  const limit = 4294967296 - (4294967296 % n);
  for (;;) {
    const x = nextU32(state);
    if (x < limit) return x % n;
  }
}

/** Fills `out` with pseudo-random bytes. */
export function fillBytes(state: RngState, out: Uint8Array): void {
  let i = 0;
  for (; i + 4 <= out.length; i += 4) {
    const x = nextU32(state);
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = x >>> 24;
  }
  if (i < out.length) {
    let x = nextU32(state);
    for (; i < out.length; i++) {
      out[i] = x & 0xff;
      x >>>= 8;
    }
  }
}

/** A fresh copy, so a caller can branch a sequence without disturbing the original. */
export function cloneRng(state: RngState): RngState {
  return { a: state.a, b: state.b, c: state.c, d: state.d };
}

/** Fisher-Yates shuffle of a copy of `items`. */
export function shuffled<T>(state: RngState, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = nextInt(state, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * A child seed for a labelled purpose ("bot-a", "round-3/pairings"), so independent streams
 * never share state and adding a consumer never shifts another's sequence.
 */
export function deriveSeed(seed: string, label: string): string {
  const [a, b] = cyrb128(`${seed}\u0000${label}`);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
