import { afterAll, describe, expect, it } from 'vitest';
import { meteringModulePath, removeMeteringModule, runNodeJson, toBase64 } from './helpers/child.js';
import { wat } from './helpers/wat.js';

/**
 * componentize-qjs output uses extended constant expressions, which every supported Node (22 and
 * later) compiles without a flag: instrument() must accept such modules and meter them, in a
 * plain node process like the sandbox's.
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
  it('are accepted and metered without any V8 flag', async () => {
    const bytes = await wat(`(module
      (global $stack i32 (i32.add (i32.const 1024) (i32.mul (i32.const 16) (i32.const 64))))
      (func (export "base") (result i32) global.get $stack))`);
    const result = await runNodeJson<unknown>([], INSTRUMENT_AND_RUN(meteringModulePath()), toBase64(bytes));
    expect(result).toEqual({ value: 2048, fuelUsed: 2 });
  });
});
