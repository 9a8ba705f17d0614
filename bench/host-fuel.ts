/**
 * Host time per fuel unit of every charged host call, worst case (numbers for humans, nothing
 * asserted): each call is made with the largest work the guest can ask for, through the real
 * host with a fuel account that only counts, and the median time is divided by the fuel charged.
 * Rates in src/sandbox/host/fuel.ts are chosen so none is slower per unit than instructions.
 *
 * Run: npm run build && node dist/bench/host-fuel.js   (well under a minute)
 */
import { createArenaImports } from '../src/sandbox/host/arena.js';
import { createGuestContext } from '../src/sandbox/host/context.js';
import { type FuelAccount, HOST_COSTS } from '../src/sandbox/host/fuel.js';
import { createPreview1Imports } from '../src/sandbox/host/preview1.js';
import { EVENT_SIZE, IOVEC_SIZE, SUBSCRIPTION_SIZE } from '../src/sandbox/host/preview1-abi.js';
import { createPreview2Imports } from '../src/sandbox/host/preview2/index.js';
import { OutputStream, Pollable } from '../src/sandbox/host/preview2/io.js';

let charged = 0;
const counting: FuelAccount = {
  charge(units) {
    charged += Math.ceil(units);
  },
  bind() {},
};

/** Median ns per call over batches, and the fuel one call charged. */
function measure(label: string, call: () => void, per = 20, rounds = 9): { ns: number; fuel: number } {
  call();
  charged = 0;
  call();
  const fuel = charged;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < per; i++) call();
    samples.push(Number(process.hrtime.bigint() - t0) / per);
  }
  samples.sort((a, b) => a - b);
  const ns = samples[Math.floor(samples.length / 2)] as number;
  console.log(
    `${label.padEnd(52)} ${(ns / 1000).toFixed(1).padStart(9)} us  ${String(fuel).padStart(10)} fuel  ${(ns / fuel).toFixed(2).padStart(6)} ns/fuel`,
  );
  return { ns, fuel };
}

const MiB = 1 << 20;
const memory = new WebAssembly.Memory({ initial: 1024, maximum: 1024 });
const u8 = new Uint8Array(memory.buffer);
const dv = new DataView(memory.buffer);
const ctx = createGuestContext({
  args: ['alice/bench'],
  stdin: new Uint8Array(64 * 1024).fill(65),
  stdoutCap: 100 * 1024,
  stderrCap: 100 * 1024,
  rng: 'bench',
  fuel: counting,
});
const wasi = createPreview1Imports(ctx, () => memory).wasi_snapshot_preview1 as Record<
  string,
  (...a: unknown[]) => number
>;
const fn = (name: string) => wasi[name] as (...a: unknown[]) => number;

console.log('preview1 (called from JS; a call from wasm adds ~20-50 ns)');
measure('clock_time_get', () => fn('clock_time_get')(1, 0n, 0));
measure('args_sizes_get', () => fn('args_sizes_get')(0, 8));
measure('random_get 16 MiB', () => fn('random_get')(MiB, 16 * MiB), 2, 5);
measure('random_get 64 bytes', () => fn('random_get')(MiB, 64));
// 1024 iovecs (IOV_MAX) of length 0 at 0, then of 64 bytes each.
for (let i = 0; i < 1024; i++) {
  dv.setUint32(i * IOVEC_SIZE, 0, true);
  dv.setUint32(i * IOVEC_SIZE + 4, 0, true);
}
measure('fd_write 1024 empty iovecs', () => fn('fd_write')(1, 0, 1024, 16384));
for (let i = 0; i < 1024; i++) {
  dv.setUint32(i * IOVEC_SIZE, 65536 + i * 64, true);
  dv.setUint32(i * IOVEC_SIZE + 4, 64, true);
}
measure('fd_write 1024 iovecs x 64 bytes (to the cap)', () => {
  ctx.stdout.reset();
  fn('fd_write')(1, 0, 1024, 16384);
});
measure('fd_read 1024 iovecs x 64 bytes (fresh host)', () => {
  // A fresh host each time: stdin is read once per instance. Buffers start past the iovecs.
  const fresh = createPreview1Imports(ctx, () => memory).wasi_snapshot_preview1 as Record<
    string,
    (...a: unknown[]) => number
  >;
  (fresh.fd_read as (...a: unknown[]) => number)(0, 0, 1024, 16384);
});
// 4096 clock subscriptions (MAX_SUBSCRIPTIONS), relative timeout 0: all fire at once.
const SUBS = 2 * MiB;
const EVENTS = 4 * MiB;
u8.fill(0, SUBS, SUBS + 4096 * SUBSCRIPTION_SIZE);
for (let i = 0; i < 4096; i++) dv.setUint32(SUBS + i * SUBSCRIPTION_SIZE + 16, 1, true);
measure('poll_oneoff 4096 clock subscriptions', () => fn('poll_oneoff')(SUBS, EVENTS, 4096, 0));
void EVENT_SIZE;

console.log('command memory handed out zeroed every move');
const big = new WebAssembly.Memory({ initial: 1024, maximum: 1024 });
const reset = () => new Uint8Array(big.buffer).fill(0);
const t = measure(
  'zero-fill 64 MiB (1024 pages)',
  () => {
    reset();
    counting.charge(1024 * HOST_COSTS.memoryResetPage);
  },
  3,
  7,
);
void t;

console.log('preview2 and arena');
const p2 = createPreview2Imports(ctx) as Record<string, Record<string, (...a: unknown[]) => unknown>>;
const random = p2['wasi:random/random'] as Record<string, (...a: unknown[]) => unknown>;
measure('get-random-bytes 1 MiB (the cap)', () => random.getRandomBytes?.(BigInt(MiB)), 5);
measure('get-random-u64', () => random.getRandomU64?.());
const stream = new OutputStream(ctx.stdout, counting);
const chunk = new Uint8Array(4096);
measure('output-stream write 4096 bytes', () => {
  ctx.stdout.reset();
  stream.write(chunk);
});
const pollables = Array.from({ length: 4096 }, () => new Pollable());
const poll = (p2['wasi:io/poll'] as Record<string, (l: Pollable[]) => unknown>).poll as (
  l: Pollable[],
) => unknown;
measure('poll 4096 pollables', () => poll(pollables));
const arena = createArenaImports(ctx, { opponentName: 'x' })['throwdown:rps/arena'];
const line = 'x'.repeat(4096);
measure('arena.debug 4096 characters', () => {
  ctx.stderr.reset();
  arena.debug(line);
});
