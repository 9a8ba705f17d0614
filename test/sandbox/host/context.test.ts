import { describe, expect, it } from 'vitest';
import {
  createGuestContext,
  createOutputSink,
  createVirtualClock,
  DEFAULT_EPOCH_NS,
  DEFAULT_MONOTONIC_BASE_NS,
  OutputLimitExceeded,
} from '../../../src/sandbox/host/context.js';

describe('createOutputSink', () => {
  it('write(): should capture bytes and copy them', () => {
    const sink = createOutputSink(100, 'stdout');
    const chunk = new TextEncoder().encode('rock');
    sink.write(chunk);
    chunk[0] = 0x58; // the sink kept its own copy
    sink.write(new TextEncoder().encode(' paper'));
    expect(sink.text()).toBe('rock paper');
    expect(sink.length).toBe(10);
    const bytes = sink.bytes;
    bytes[0] = 0;
    expect(sink.text()).toBe('rock paper');
  });

  it('write(): should keep what fits and throw OutputLimitExceeded past the cap', () => {
    const sink = createOutputSink(5, 'stderr');
    sink.write(new Uint8Array([1, 2, 3]));
    expect(sink.exceeded).toBe(false);
    expect(() => sink.write(new Uint8Array([4, 5, 6]))).toThrow(OutputLimitExceeded);
    expect(sink.exceeded).toBe(true);
    expect(Array.from(sink.bytes)).toEqual([1, 2, 3, 4, 5]);
    expect(() => sink.write(new Uint8Array([7]))).toThrow(/stderr exceeded its cap of 5 bytes/);
    sink.write(new Uint8Array(0)); // an empty write is never over the cap
    sink.reset();
    expect(sink.length).toBe(0);
    expect(sink.exceeded).toBe(false);
    sink.write(new Uint8Array([9]));
    expect(Array.from(sink.bytes)).toEqual([9]);
  });

  it('text(): should decode invalid UTF-8 without throwing', () => {
    const sink = createOutputSink(10);
    sink.write(new Uint8Array([0x68, 0xff, 0x69]));
    expect(sink.text()).toBe('h\uFFFDi');
  });

  it('should reject a bad cap', () => {
    expect(() => createOutputSink(-1)).toThrow(RangeError);
  });
});

describe('createVirtualClock', () => {
  it('should start at the fixed epoch and advance one tick per read of either clock', () => {
    const clock = createVirtualClock();
    expect(clock.wallNs()).toBe(DEFAULT_EPOCH_NS + 1000n);
    expect(clock.monotonicNs()).toBe(DEFAULT_MONOTONIC_BASE_NS + 2000n);
    expect(clock.peekMonotonicNs()).toBe(DEFAULT_MONOTONIC_BASE_NS + 2000n);
    expect(clock.wallNs()).toBe(DEFAULT_EPOCH_NS + 3000n);
    expect(clock.wallMinusMonotonicNs).toBe(DEFAULT_EPOCH_NS - DEFAULT_MONOTONIC_BASE_NS);
    expect(clock.resolutionNs).toBe(1000n);
  });

  it('should add the work counter and sleeps, and never go backwards', () => {
    let work: number | bigint = 0;
    const clock = createVirtualClock({ epochNs: 0n, monotonicBaseNs: 0n, tickNs: 10n, workNs: () => work });
    expect(clock.monotonicNs()).toBe(10n);
    work = 1_000;
    expect(clock.monotonicNs()).toBe(1_020n);
    clock.advance(500n);
    expect(clock.monotonicNs()).toBe(1_530n);
    work = 0n; // a caller bug: work went down; time still does not
    expect(clock.monotonicNs()).toBe(1_530n);
    expect(() => {
      work = -1;
      clock.monotonicNs();
    }).toThrow(RangeError);
  });

  it('should saturate instead of overflowing u64', () => {
    const clock = createVirtualClock();
    clock.advance(1n << 70n);
    expect(clock.wallNs()).toBe((1n << 64n) - 1n);
    expect(clock.monotonicNs()).toBeLessThan(1n << 64n);
  });

  it('two clocks with the same inputs should agree exactly', () => {
    const a = createVirtualClock();
    const b = createVirtualClock();
    const read = (c: typeof a) => [c.wallNs(), c.monotonicNs(), c.wallNs()];
    expect(read(a)).toEqual(read(b));
  });
});

describe('createGuestContext', () => {
  it('should build named sinks, encode stdin and seed the generator', () => {
    const ctx = createGuestContext({ stdin: 'é', stdoutCap: 1, stderrCap: 2, rng: 'x' });
    expect(Array.from(ctx.stdin)).toEqual([0xc3, 0xa9]);
    expect(ctx.args).toEqual([]);
    expect(() => ctx.stdout.write(new Uint8Array(2))).toThrow(
      expect.objectContaining({ stream: 'stdout', cap: 1 }),
    );
    expect(() => ctx.stderr.write(new Uint8Array(3))).toThrow(
      expect.objectContaining({ stream: 'stderr', cap: 2 }),
    );
    expect(ctx.rng).toEqual(createGuestContext({ stdoutCap: 1, stderrCap: 1, rng: 'x' }).rng);
  });
});
