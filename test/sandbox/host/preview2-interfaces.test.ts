/**
 * The preview2 interfaces called directly, for the corners no test guest reaches: poll ordering,
 * splice and zero writes, random limits, the filesystem's error-codes, exit shapes.
 */
import { describe, expect, it } from 'vitest';
import { fillBytes, seedRng } from '../../../src/games/rng.js';
import {
  createGuestContext,
  DEFAULT_EPOCH_NS,
  DEFAULT_MONOTONIC_BASE_NS,
  GuestExit,
  GuestFault,
  OutputLimitExceeded,
} from '../../../src/sandbox/host/context.js';
import {
  createPreview2Imports,
  STREAM_CLOSED,
  WRITE_PERMIT,
} from '../../../src/sandbox/host/preview2/index.js';
import type { InputStream, OutputStream, Pollable } from '../../../src/sandbox/host/preview2/io.js';

function host(options: { stdin?: string; stdoutCap?: number; rng?: string } = {}) {
  const ctx = createGuestContext({
    args: ['alice/beatlast'],
    stdin: options.stdin ?? '',
    stdoutCap: options.stdoutCap ?? 100,
    stderrCap: 100,
    rng: options.rng ?? 'seed',
  });
  // biome-ignore lint/suspicious/noExplicitAny: reaching into the import object as jco's glue would
  const imports = createPreview2Imports(ctx) as Record<string, any>;
  return { ctx, imports };
}

/** What a thrown value looks like to jco: the payload it hands the guest as `err`. */
function errorOf(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('wasi:io/streams', () => {
  it('input-stream: read/skip share one position; closed at the end', () => {
    const { imports } = host({ stdin: 'abcdef' });
    const a: InputStream = imports['wasi:cli/stdin'].getStdin();
    const b: InputStream = imports['wasi:cli/stdin'].getStdin();
    expect(new TextDecoder().decode(a.read(2n))).toBe('ab');
    expect(b.skip(3n)).toBe(3n);
    expect(new TextDecoder().decode(a.blockingRead(1n << 62n))).toBe('f');
    expect(errorOf(() => b.read(1n))).toBe(STREAM_CLOSED);
    expect(STREAM_CLOSED).toEqual({ tag: 'closed' });
    expect(a.subscribe().ready()).toBe(true);
  });

  it('output-stream: permit, zero writes, splice, and the 4096-byte blocking limit', () => {
    const { ctx, imports } = host({ stdin: 'spliced', stdoutCap: 20 });
    const out: OutputStream = imports['wasi:cli/stdout'].getStdout();
    const input: InputStream = imports['wasi:cli/stdin'].getStdin();
    expect(out.checkWrite()).toBe(WRITE_PERMIT);
    out.writeZeroes(2n);
    expect(out.splice(input, 100n)).toBe(7n);
    out.blockingFlush();
    expect(Array.from(ctx.stdout.bytes)).toEqual([0, 0, ...new TextEncoder().encode('spliced')]);
    expect(errorOf(() => out.blockingWriteAndFlush(new Uint8Array(4097)))).toBeInstanceOf(GuestFault);
    // 2^60 zeroes: refused by the cap without allocating them
    expect(errorOf(() => out.writeZeroes(1n << 60n))).toBeInstanceOf(OutputLimitExceeded);
    expect(ctx.stdout.length).toBe(20);
  });
});

describe('wasi:io/poll and wasi:clocks', () => {
  it('poll(): should return ready indices, sleeping virtually to the earliest deadline', () => {
    const { ctx, imports } = host();
    const clock = imports['wasi:clocks/monotonic-clock'];
    const poll = imports['wasi:io/poll'].poll as (list: Pollable[]) => Uint32Array;
    const start = ctx.clock.peekMonotonicNs();
    const late: Pollable = clock.subscribeDuration(5_000n);
    const early: Pollable = clock.subscribeDuration(2_000n);
    expect(early.ready()).toBe(false);
    expect(Array.from(poll([late, early]))).toEqual([1]);
    expect(ctx.clock.peekMonotonicNs() - start).toBe(2_000n);
    const stream: Pollable = imports['wasi:cli/stdout'].getStdout().subscribe();
    expect(Array.from(poll([late, stream]))).toEqual([1]); // a ready stream: no sleep
    expect(ctx.clock.peekMonotonicNs() - start).toBe(2_000n);
    late.block();
    expect(late.ready()).toBe(true);
    expect(ctx.clock.peekMonotonicNs() - start).toBe(5_000n);
    expect(clock.subscribeInstant(0n).ready()).toBe(true);
    expect(errorOf(() => poll([]))).toBeInstanceOf(GuestFault);
  });

  it('wall-clock: should return the virtual datetime and the tick as resolution', () => {
    const { imports } = host();
    expect(imports['wasi:clocks/wall-clock'].now()).toEqual({
      seconds: DEFAULT_EPOCH_NS / 1_000_000_000n,
      nanoseconds: 1000,
    });
    expect(imports['wasi:clocks/wall-clock'].resolution()).toEqual({ seconds: 0n, nanoseconds: 1000 });
    expect(imports['wasi:clocks/monotonic-clock'].now()).toBe(DEFAULT_MONOTONIC_BASE_NS + 2000n);
    expect(imports['wasi:clocks/monotonic-clock'].resolution()).toBe(1000n);
  });
});

describe('wasi:random', () => {
  it('should draw bytes and u64s from the seeded generator', () => {
    const { imports } = host({ rng: 'r' });
    const expected = new Uint8Array(16);
    fillBytes(seedRng('r'), expected);
    const bytes: Uint8Array = imports['wasi:random/random'].getRandomBytes(8n);
    const u64: bigint = imports['wasi:random/insecure'].getInsecureRandomU64();
    expect(Array.from(bytes)).toEqual(Array.from(expected.subarray(0, 8)));
    const view = new DataView(expected.buffer);
    expect(u64).toBe((BigInt(view.getUint32(12, true)) << 32n) | BigInt(view.getUint32(8, true)));
    expect(errorOf(() => imports['wasi:random/random'].getRandomBytes(1n << 21n))).toBeInstanceOf(GuestFault);
  });

  it('insecure-seed: should be fixed per instance and depend on the seed', () => {
    const one = host({ rng: 'a' }).imports['wasi:random/insecure-seed'];
    const first = one.insecureSeed();
    expect(one.insecureSeed()).toEqual(first);
    expect(host({ rng: 'a' }).imports['wasi:random/insecure-seed'].insecureSeed()).toEqual(first);
    expect(host({ rng: 'b' }).imports['wasi:random/insecure-seed'].insecureSeed()).not.toEqual(first);
  });
});

describe('wasi:cli and wasi:filesystem', () => {
  it('environment: empty, argv copied, no cwd', () => {
    const { imports } = host();
    const env = imports['wasi:cli/environment'];
    expect(env.getEnvironment()).toEqual([]);
    const args = env.getArguments();
    args.push('mutated');
    expect(env.getArguments()).toEqual(['alice/beatlast']);
    expect(env.initialCwd()).toBeUndefined();
  });

  it('exit/exit-with-code: should throw GuestExit', () => {
    const exit = host().imports['wasi:cli/exit'];
    expect(errorOf(() => exit.exit({ tag: 'ok' }))).toMatchObject({ code: 0 });
    expect(errorOf(() => exit.exit({ tag: 'err' }))).toMatchObject({ code: 1 });
    expect(errorOf(() => exit.exitWithCode(42))).toBeInstanceOf(GuestExit);
  });

  it('no preopens; every descriptor operation fails with bad-descriptor', () => {
    const { imports } = host();
    expect(imports['wasi:filesystem/preopens'].getDirectories()).toEqual([]);
    const { Descriptor, DirectoryEntryStream, filesystemErrorCode } = imports['wasi:filesystem/types'];
    const descriptor = Object.create(Descriptor.prototype);
    for (const method of [
      'stat',
      'readViaStream',
      'openAt',
      'readDirectory',
      'unlinkFileAt',
      'metadataHash',
    ]) {
      expect(errorOf(() => descriptor[method]())).toBe('bad-descriptor');
    }
    expect(descriptor.isSameObject(descriptor)).toBe(true);
    expect(errorOf(() => Object.create(DirectoryEntryStream.prototype).readDirectoryEntry())).toBe(
      'bad-descriptor',
    );
    expect(filesystemErrorCode({})).toBeUndefined();
  });

  it('terminals: none', () => {
    const { imports } = host();
    expect(imports['wasi:cli/terminal-stdin'].getTerminalStdin()).toBeUndefined();
    expect(imports['wasi:cli/terminal-stdout'].getTerminalStdout()).toBeUndefined();
    expect(imports['wasi:cli/terminal-stderr'].getTerminalStderr()).toBeUndefined();
  });

  it('resource classes: frozen, so one guest cannot tamper with what another uses', () => {
    const { imports } = host();
    const { OutputStream } = imports['wasi:io/streams'];
    expect(Object.isFrozen(OutputStream)).toBe(true);
    expect(Object.isFrozen(OutputStream.prototype)).toBe(true);
    expect(imports['wasi:cli/stdout'].getStdout()).not.toBe(imports['wasi:cli/stdout'].getStdout());
  });
});
