import { afterAll, describe, expect, it } from 'vitest';
import { meteringModulePath, removeMeteringModule, runNodeJson, toBase64 } from './helpers/child.js';
import { wat } from './helpers/wat.js';

/**
 * componentize-qjs output uses extended constant expressions, which Node 20 validates only with
 * --experimental-wasm-extended-const: the sandbox processes run with it, so instrument() must
 * accept such modules there, and explain the flag where it is missing.
 */
const INSTRUMENT_AND_RUN = (path: string) => `
import { instrument, meterHost } from ${JSON.stringify(path)};
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const bytes = new Uint8Array(Buffer.from(JSON.parse(Buffer.concat(chunks).toString()), 'base64'));
const res = instrument(bytes, { memoryPages: 16, tableElements: 16, stackBytes: 65536 });
if (!res.ok) { console.log(JSON.stringify(res.error)); process.exit(0); }
const instance = new WebAssembly.Instance(new WebAssembly.Module(res.value.bytes));
const host = meterHost(instance);
host.setBudget(1000, 65536);
const value = instance.exports.base();
console.log(JSON.stringify({ value, fuelUsed: 1000 - host.fuelLeft() }));
`;

afterAll(removeMeteringModule);

describe('extended constant expressions', () => {
  it('are accepted and metered under --experimental-wasm-extended-const', async () => {
    const bytes = await wat(`(module
      (global $stack i32 (i32.add (i32.const 1024) (i32.mul (i32.const 16) (i32.const 64))))
      (func (export "base") (result i32) global.get $stack))`);
    const script = INSTRUMENT_AND_RUN(meteringModulePath());
    const withFlag = await runNodeJson<unknown>(
      ['--experimental-wasm-extended-const'],
      script,
      toBase64(bytes),
    );
    expect(withFlag).toEqual({ value: 2048, fuelUsed: 2 });
    const without = await runNodeJson<{ code: string; message: string }>([], script, toBase64(bytes));
    expect(without.code).toBe('invalid');
    expect(without.message).toMatch(/--experimental-wasm-extended-const/);
  });
});
