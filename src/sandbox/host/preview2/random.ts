import { fillBytes, nextU32, type RngState } from '../../../games/rng.js';
import { GuestFault } from '../errors.js';
import { type FuelAccount, HOST_COSTS, UNMETERED } from '../fuel.js';

/**
 * wasi:random/{random, insecure, insecure-seed}, all drawn from the context's seeded generator
 * (never the host's entropy), so equal seeds give equal guests. "Secure" and "insecure" share
 * one stream: nothing a bot does needs real secrecy, and one stream keeps replays simple.
 */

/** Largest get-random-bytes request; the bytes are allocated host-side before the guest sees them. */
export const MAX_RANDOM_BYTES = 1 << 20;

function randomBytes(rng: RngState, fuel: FuelAccount, len: bigint): Uint8Array {
  if (len > BigInt(MAX_RANDOM_BYTES)) {
    throw new GuestFault(`get-random-bytes of ${len} bytes (max ${MAX_RANDOM_BYTES})`);
  }
  // The glue or our lowering then copies the list into guest memory: one more pass, same order.
  fuel.charge(HOST_COSTS.call + Number(len) * HOST_COSTS.randomFuelPerByte);
  const bytes = new Uint8Array(Number(len));
  fillBytes(rng, bytes);
  return bytes;
}

function randomU64(rng: RngState): bigint {
  const low = nextU32(rng);
  const high = nextU32(rng);
  return (BigInt(high) << 32n) | BigInt(low);
}

export function createRandomImports(rng: RngState, fuel: FuelAccount = UNMETERED) {
  const u64 = (): bigint => {
    fuel.charge(HOST_COSTS.call);
    return randomU64(rng);
  };
  // insecure-seed is meant to be one fixed value per instance (hash-map DoS keys): draw it once.
  let seed: [bigint, bigint] | undefined;
  return {
    'wasi:random/random': {
      getRandomBytes: (len: bigint): Uint8Array => randomBytes(rng, fuel, len),
      getRandomU64: u64,
    },
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len: bigint): Uint8Array => randomBytes(rng, fuel, len),
      getInsecureRandomU64: u64,
    },
    'wasi:random/insecure-seed': {
      insecureSeed(): [bigint, bigint] {
        fuel.charge(HOST_COSTS.call);
        seed ??= [randomU64(rng), randomU64(rng)];
        return [seed[0], seed[1]];
      },
    },
  };
}
