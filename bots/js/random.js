// Plays uniformly at random from the HOST's randomness.
//
// Math.random in a componentize-qjs component is NOT seeded by the host: QuickJS seeds it when
// the build snapshots the engine (Wizer), so every instance of one build replays the same
// sequence whatever the match seed, and each rebuild gets another. This bot therefore imports
// wasi:random/random (seeded by the match seed on our host) and replaces Math.random with it,
// so library code that calls Math.random draws from the host too. It must be built with WASI
// enabled (stubWasi: false): stubbed WASI imports trap.
import { getRandomBytes } from 'wasi:random/random@0.2.3';

const HANDS = ['rock', 'paper', 'scissors'];

/** A float in [0, 1) from 53 random bits of the host. */
function hostRandom() {
  const b = getRandomBytes(7);
  // 5 bits from b[0], then 48 more: 53 in all, exact in a double.
  const high = (b[0] & 0x1f) * 2 ** 48;
  const low = b[1] * 2 ** 40 + b[2] * 2 ** 32 + b[3] * 2 ** 24 + b[4] * 2 ** 16 + b[5] * 2 ** 8 + b[6];
  return (high + low) / 2 ** 53;
}
Math.random = hostRandom;

export function play(_state) {
  return HANDS[Math.floor(Math.random() * 3)];
}
