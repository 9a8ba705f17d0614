import { describe, expect, it } from 'vitest';
import { classifyUpload } from '../../../src/sandbox/prepare/classify.js';

const MiB = 1024 * 1024;
const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('classifyUpload', () => {
  it('tells a core module from a component by the header', () => {
    expect(classifyUpload(bytes(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0), MiB)).toEqual({
      ok: true,
      value: 'module',
    });
    expect(classifyUpload(bytes(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0), MiB)).toEqual({
      ok: true,
      value: 'component',
    });
  });

  it('refuses empty and oversize files before reading them', () => {
    expect(classifyUpload(new Uint8Array(0), MiB)).toMatchObject({ ok: false, error: { code: 'empty' } });
    const big = classifyUpload(new Uint8Array(17 * MiB), 10 * MiB);
    expect(big).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(!big.ok && big.error.message).toBe('The file is 17.0 MiB; bots may be at most 10.0 MiB.');
  });

  it('names what a non-wasm upload looks like', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [bytes(0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0), /zip archive/],
      [bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0), /ELF/],
      [text('(module (func))'), /WebAssembly text \(WAT\)/],
      [text('import sys\nprint("rock")'), /source code/],
      [text('hello there, general'), /^This is not a WebAssembly binary\. Upload/],
    ];
    for (const [input, message] of cases) {
      const result = classifyUpload(input, MiB);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('not-wasm');
        expect(result.error.message).toMatch(message);
      }
    }
  });

  it('refuses a truncated header and unknown versions', () => {
    expect(classifyUpload(bytes(0, 0x61, 0x73, 0x6d, 1), MiB)).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
    expect(classifyUpload(bytes(0, 0x61, 0x73, 0x6d, 0x0a, 0, 1, 0), MiB)).toMatchObject({
      ok: false,
      error: { code: 'unsupported-version', message: expect.stringMatching(/0xa/) },
    });
    expect(classifyUpload(bytes(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0), MiB)).toMatchObject({
      ok: false,
      error: { code: 'unsupported-version' },
    });
  });
});
