import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AS_BOT, AS_IMPORTS, compileAssemblyScript } from './helpers/assemblyscript.js';
import { instantiate, instantiateMetered, metered } from './helpers/meter.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const vendor = join(root, 'node_modules/@bytecodealliance/jco-transpile/vendor');

describe('real compiler output', () => {
  it('an AssemblyScript bot computes the same results with deterministic fuel', async () => {
    const bytes = await compileAssemblyScript(AS_BOT);
    const plain = instantiate(bytes, AS_IMPORTS);
    const used: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const m = instantiateMetered(bytes, {}, AS_IMPORTS);
      const fuel: number[] = [];
      for (const [fn, arg] of [
        ['countPrimes', 20_000],
        ['mapWork', 2000],
        ['mapWork', 2000],
      ] as const) {
        m.host.setBudget(1e12, 512 * 1024);
        expect(m.exports[fn]!(arg)).toBe(plain[fn]!(arg));
        fuel.push(1e12 - m.host.fuelLeft());
      }
      used.push(fuel);
    }
    expect(used[1]).toEqual(used[0]);
    expect(used[0]![0]).toBeGreaterThan(1_000_000);
  });

  for (const file of ['wasm-tools.core.wasm', 'js-component-bindgen-component.core.wasm']) {
    it(`meters ${file} (a multi-megabyte Rust module) into a valid module`, () => {
      const bytes = new Uint8Array(readFileSync(join(vendor, file)));
      const info = metered(bytes, { memoryPages: 65536, tableElements: 1_000_000 });
      expect(WebAssembly.validate(info.bytes)).toBe(true);
      expect(info.functions).toBeGreaterThan(1000);
      expect(info.size).toBeGreaterThan(bytes.length);
      expect(info.size).toBeLessThan(bytes.length * 2);
      new WebAssembly.Module(info.bytes);
    });
  }
});
