import { describe, expect, it } from 'vitest';
import { flatten } from '../../../src/sandbox/component/abi-layout.js';
import {
  type AbiContext,
  CoreValues,
  createAbiContext,
  HandleTable,
  liftFlat,
  lowerFlat,
} from '../../../src/sandbox/component/abi-values.js';
import { lowerImport } from '../../../src/sandbox/component/lower-import.js';
import { type FuncType, prim, type Resource, type ValType } from '../../../src/sandbox/component/types.js';
import { GuestFault } from '../../../src/sandbox/host/errors.js';

/**
 * The direct path's canonical ABI against the layouts CanonicalABI.md defines, value by value:
 * what a guest's core call passes in, what it finds in its memory afterwards, and the JavaScript
 * shapes our host (written for jco's bindings) receives and returns.
 */
const u8 = prim('u8');
const u32 = prim('u32');
const u64 = prim('u64');
const f32 = prim('f32');
const str = prim('string');
const list = (elem: ValType): ValType => ({ k: 'list', elem });
const stream: Resource = {
  k: 'resource',
  name: 'output-stream',
  iface: 'wasi:io/streams@0.2.3',
  local: false,
};
const ioError: Resource = { k: 'resource', name: 'error', iface: 'wasi:io/error@0.2.3', local: false };
const streamError: ValType = {
  k: 'variant',
  cases: [
    { name: 'last-operation-failed', type: { k: 'own', resource: ioError } },
    { name: 'closed', type: null },
  ],
};
const func = (params: ValType[], result: ValType | null): FuncType => ({
  k: 'func',
  params: params.map((type, i) => ({ name: `p${i}`, type })),
  result,
  async: false,
});

class OutputStream {
  constructor(readonly id: number) {}
}
class IoError {}

/** A 64 KiB memory with a bump allocator at 1024 that logs every realloc call. */
function guest() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const calls: number[][] = [];
  let next = 1024;
  const realloc = (old: number, oldSize: number, align: number, size: number) => {
    calls.push([old, oldSize, align, size]);
    next = Math.ceil(next / align) * align;
    const ptr = next;
    next += size;
    return ptr;
  };
  const tables = new Map<Resource, HandleTable>();
  const cx: AbiContext = createAbiContext({
    memory,
    realloc,
    handles(r) {
      const t = tables.get(r) ?? new HandleTable();
      tables.set(r, t);
      return t;
    },
    classOf: (r) => (r === stream ? OutputStream : IoError) as unknown as new (...a: never[]) => unknown,
  });
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const put = (ptr: number, text: string | Uint8Array) =>
    bytes().set(typeof text === 'string' ? new TextEncoder().encode(text) : text, ptr);
  return { memory, cx, calls, view, bytes, put };
}

describe('lowered host functions (canon lower)', () => {
  it('lifts a string argument, and traps on invalid UTF-8 or a range past the memory', () => {
    const g = guest();
    const seen: unknown[] = [];
    const debug = lowerImport(func([str], null), (args) => seen.push(args[0]), g.cx);
    g.put(100, 'héllo');
    debug(100, 6);
    expect(seen).toEqual(['héllo']);
    g.put(200, Uint8Array.of(0x61, 0xff));
    expect(() => debug(200, 2)).toThrow(GuestFault);
    expect(() => debug(65_530, 10)).toThrow(/past the end of its memory/);
  });

  it('returns a string through the return pointer, allocated with realloc(0, 0, 1, len)', () => {
    const g = guest();
    const name = lowerImport(func([], str), () => 'alice/bot', g.cx);
    expect(name(64)).toBeUndefined();
    const [ptr, len] = [g.view().getUint32(64, true), g.view().getUint32(68, true)];
    expect(g.calls).toEqual([[0, 0, 1, 9]]);
    expect(new TextDecoder().decode(g.bytes().subarray(ptr, ptr + len))).toBe('alice/bot');
    // Even an empty string is allocated, as the canonical ABI says.
    lowerImport(func([], str), () => '', g.cx)(64);
    expect(g.calls[1]).toEqual([0, 0, 1, 0]);
  });

  it('passes list<u8> to the host as a copy, and a u64 result back as one i64', () => {
    const g = guest();
    let got: Uint8Array | null = null;
    const write = lowerImport(
      func([list(u8)], u64),
      (args) => {
        got = args[0] as Uint8Array;
        return 7n;
      },
      g.cx,
    );
    g.put(300, Uint8Array.of(1, 2, 3));
    expect(write(300, 3)).toBe(7n);
    expect(got).toEqual(Uint8Array.of(1, 2, 3));
    g.put(300, Uint8Array.of(9));
    expect(got).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("follows jco's result convention: a value is ok, a thrown plain value is err, a thrown Error traps", () => {
    const g = guest();
    const resultType: ValType = { k: 'result', ok: { k: 'own', resource: stream }, err: streamError };
    const host = { mode: 'ok' as 'ok' | 'closed' | 'bug' };
    const open = lowerImport(
      func([], resultType),
      () => {
        if (host.mode === 'closed') throw { tag: 'closed' };
        if (host.mode === 'bug') throw new GuestFault('no');
        return new OutputStream(1);
      },
      g.cx,
    );
    open(128);
    expect([g.view().getUint8(128), g.view().getUint32(132, true)]).toEqual([0, 1]); // ok, handle 1
    host.mode = 'closed';
    open(128);
    // err, then the stream-error variant: case 1 (closed), 4 bytes in (its payload is an i32 handle).
    expect([g.view().getUint8(128), g.view().getUint8(132)]).toEqual([1, 1]);
    host.mode = 'bug';
    expect(() => open(128)).toThrow(GuestFault);
  });

  it('hands the host the object behind a borrowed handle, and refuses a handle the guest does not hold', () => {
    const g = guest();
    const make = lowerImport(func([], { k: 'own', resource: stream }), () => new OutputStream(5), g.cx);
    const handle = make() as number;
    expect(handle).toBe(1);
    const seen: unknown[] = [];
    const method = lowerImport(func([{ k: 'borrow', resource: stream }], null), (a) => seen.push(a[0]), g.cx);
    method(handle);
    expect(seen[0]).toBeInstanceOf(OutputStream);
    expect((seen[0] as OutputStream).id).toBe(5);
    expect(() => method(2)).toThrow(/resource handle 2/);
  });

  it("blames the bot, not the host, when the host's value does not fit the type the bot declared", () => {
    const g = guest();
    // Declared to return a stream, but the host function returns something else.
    const wrong = lowerImport(func([], { k: 'own', resource: stream }), () => ({}), g.cx, 'x get');
    expect(() => wrong()).toThrow(/x get is declared with a type the host does not implement/);
    // Declared without a result, but the host reports an error value.
    const failing = lowerImport(
      func([], null),
      () => {
        throw { tag: 'closed' };
      },
      g.cx,
      'x read',
    );
    expect(() => failing()).toThrow(GuestFault);
  });

  it('reads more than 16 flat parameters from a pointer to them in memory', () => {
    const g = guest();
    const params = Array.from({ length: 17 }, () => u32);
    const seen: unknown[][] = [];
    const many = lowerImport(func(params, null), (args) => seen.push(args), g.cx);
    for (let i = 0; i < 17; i++) g.view().setUint32(512 + i * 4, i * 10, true);
    many(512);
    expect(seen[0]).toEqual(params.map((_, i) => i * 10));
  });
});

describe('flat values', () => {
  function roundTrip(t: ValType, value: unknown): unknown {
    const g = guest();
    const out: unknown[] = [];
    lowerFlat(g.cx, value, t, out);
    expect(out.length).toBe(flatten(t).length);
    return liftFlat(g.cx, new CoreValues(out), t);
  }

  it('joins variant payloads as the spec says (f32 in an i32 slot, i32 widened to i64)', () => {
    const v: ValType = {
      k: 'variant',
      cases: [
        { name: 'small', type: f32 },
        { name: 'big', type: u64 },
        { name: 'none', type: null },
      ],
    };
    expect(flatten(v)).toEqual(['i32', 'i64']);
    expect(roundTrip(v, { tag: 'small', val: 1.5 })).toEqual({ tag: 'small', val: 1.5 });
    expect(roundTrip(v, { tag: 'big', val: 2n ** 63n })).toEqual({ tag: 'big', val: 2n ** 63n });
    expect(roundTrip(v, { tag: 'none' })).toEqual({ tag: 'none', val: undefined });
    const out: unknown[] = [];
    lowerFlat(guest().cx, { tag: 'small', val: 1.5 }, v, out);
    expect(out).toEqual([0, 0x3fc00000n]);
  });

  it('uses jco shapes: camelCase records and flags, enum names, undefined for none, tagged nested options', () => {
    const rec: ValType = { k: 'record', fields: [{ name: 'total-rounds', type: u32 }] };
    expect(roundTrip(rec, { totalRounds: 3 })).toEqual({ totalRounds: 3 });
    const flags: ValType = { k: 'flags', names: ['read', 'mutate-directory'] };
    expect(roundTrip(flags, { read: false, mutateDirectory: true })).toEqual({
      read: false,
      mutateDirectory: true,
    });
    const hand: ValType = { k: 'enum', names: ['rock', 'paper', 'scissors'] };
    expect(roundTrip(hand, 'scissors')).toBe('scissors');
    const opt: ValType = { k: 'option', type: u8 };
    expect(roundTrip(opt, undefined)).toBeUndefined();
    expect(roundTrip(opt, 7)).toBe(7);
    const nested: ValType = { k: 'option', type: opt };
    expect(roundTrip(nested, { tag: 'some', val: undefined })).toEqual({ tag: 'some', val: undefined });
    expect(roundTrip(nested, { tag: 'none' })).toEqual({ tag: 'none' });
  });

  it('traps on a discriminant out of range', () => {
    const hand: ValType = { k: 'enum', names: ['rock', 'paper', 'scissors'] };
    expect(() => liftFlat(guest().cx, new CoreValues([3]), hand)).toThrow(/case 3 of a type with 3 cases/);
  });
});
