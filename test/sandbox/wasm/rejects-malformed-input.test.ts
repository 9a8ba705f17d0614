import { describe, expect, it } from 'vitest';
import { nextInt, seedRng } from '../../../src/games/rng.js';
import { describeModule, instrument } from '../../../src/sandbox/wasm/index.js';
import { OPTIONS } from './helpers/meter.js';
import { program } from './helpers/programs.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module from raw sections: [id, payload bytes]. Sizes are computed unless given. */
function moduleOf(...sections: [number, number[], number?][]): Uint8Array {
  const out = [...HEADER];
  for (const [id, payload, size] of sections) out.push(id, ...leb(size ?? payload.length), ...payload);
  return new Uint8Array(out);
}

function leb(v: number): number[] {
  const out: number[] = [];
  let x = v >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return out;
}

/** instrument() and describeModule() must answer with a value, never throw. */
function neverThrows(bytes: Uint8Array) {
  let result: ReturnType<typeof instrument> | undefined;
  expect(() => {
    result = instrument(bytes, OPTIONS);
    describeModule(bytes);
  }).not.toThrow();
  return result!;
}

describe('malformed input is rejected cleanly', () => {
  it('every truncation of a real module', async () => {
    const bytes = await program('compute');
    let rejected = 0;
    for (let len = 0; len < bytes.length; len++) {
      const res = neverThrows(bytes.subarray(0, len));
      // Cutting exactly at a section boundary leaves a shorter valid module.
      if (res.ok) expect(WebAssembly.validate(res.value.bytes)).toBe(true);
      else {
        expect(['malformed', 'invalid']).toContain(res.error.code);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(bytes.length * 0.95);
  });

  it('garbage, with and without a valid header', () => {
    const rng = seedRng('garbage');
    for (let i = 0; i < 300; i++) {
      const n = nextInt(rng, 200);
      const junk = Array.from({ length: n }, () => nextInt(rng, 256));
      for (const bytes of [new Uint8Array(junk), new Uint8Array([...HEADER, ...junk])]) {
        const res = neverThrows(bytes);
        if (res.ok) expect(WebAssembly.validate(res.value.bytes)).toBe(true);
      }
    }
    const res = instrument(new Uint8Array([1, 2, 3]), OPTIONS);
    expect(!res.ok && res.error.message).toMatch(/too short to be a WebAssembly module/);
  });

  it('random byte flips in real modules: rejected, or metered into a valid module', async () => {
    const rng = seedRng('flips');
    for (const name of ['compute', 'exceptions', 'simd', 'tailcalls']) {
      const original = await program(name);
      for (let i = 0; i < 150; i++) {
        const bytes = original.slice();
        const flips = 1 + nextInt(rng, 3);
        for (let f = 0; f < flips; f++) {
          bytes[8 + nextInt(rng, bytes.length - 8)] = nextInt(rng, 256);
        }
        const res = neverThrows(bytes);
        if (res.ok) expect(WebAssembly.validate(res.value.bytes)).toBe(true);
      }
    }
  });

  it('"zip bombs": huge declared counts are refused from the count alone, without allocating', () => {
    const bombs: [string, Uint8Array][] = [
      ['4 billion types', moduleOf([1, [...leb(0xffffffff), 0x60, 0, 0]])],
      ['4 billion imports', moduleOf([2, [...leb(0xffffffff)]])],
      ['4 billion functions', moduleOf([1, [1, 0x60, 0, 0]], [3, [...leb(0xffffffff), 0]])],
      ['4 billion exports', moduleOf([7, [...leb(0xffffffff)]])],
      ['4 billion element segments', moduleOf([9, [...leb(0xffffffff), 0]])],
      ['a 4 GiB data segment', moduleOf([11, [1, 1, ...leb(0xffffffff), 0]])],
      ['a section claiming 4 GiB', moduleOf([1, [0], 0xffffffff])],
      [
        '4 billion locals',
        moduleOf([1, [1, 0x60, 0, 0]], [3, [1, 0]], [10, [1, 7, 1, ...leb(0xffffffff), 0x7f, 0x0b]]),
      ],
      [
        '4 billion br_table labels',
        moduleOf([1, [1, 0x60, 0, 0]], [3, [1, 0]], [10, [1, 9, 0, 0x41, 0, 0x0e, ...leb(0xffffffff), 0x0b]]),
      ],
    ];
    const before = process.memoryUsage();
    for (const [what, bytes] of bombs) {
      const res = neverThrows(bytes);
      expect(res.ok, what).toBe(false);
      const d = describeModule(bytes);
      if (!d.ok) expect(d.error.code, what).toBe('malformed');
    }
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
    const types = describeModule(bombs[0]![1]);
    expect(!types.ok && types.error.message).toMatch(
      /type count 4294967295 is larger than the bytes that follow/,
    );
  });
});
