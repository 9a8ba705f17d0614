import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNode } from '../../scripts/runtimes.js';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.js';
import { instrument } from '../../src/sandbox/wasm/index.js';
import { wat } from './wasm/helpers/wat.js';

/**
 * The deterministic stack budget, not V8's own stack limit, stops deep recursion on every
 * supported Node line (22, 24, 26) and in every tier, in a process's main thread with Node's
 * default stack size, as in a match worker. If V8's limit came first, the depth at which a
 * bot stops would depend on the tier and the caller's stack (docs/limits.md "Stack").
 * `node dist/bench/stack-limit.js` prints the margin.
 */
const root = path.resolve(import.meta.dirname, '../..');
const TIERS: Record<string, string[]> = {
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
  default: [],
};

/** Recurses with `stack` bytes of budget (0x7fffffff: unlimited); says what stopped it. */
const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { bytes, stack } = JSON.parse(Buffer.concat(chunks).toString());
const e = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(bytes, 'base64'))).exports;
e.throwdown_fuel.value = 1n << 60n;
e.throwdown_stack.value = stack;
let kind = 'returned';
try { e.play(1, 1, 0, 0, 0, 0); } catch (err) {
  kind = err instanceof RangeError ? 'v8' : e.throwdown_stack.value < 0 ? 'budget' : 'other: ' + err.message;
}
console.log(JSON.stringify({ kind, counted: stack - e.throwdown_stack.value }));
`;

function recurse(node: string, flags: string[], bytes: Uint8Array, stack: number) {
  const out = spawnSync(node, [...flags, '--input-type=module', '-e', CHILD], {
    input: JSON.stringify({ bytes: Buffer.from(bytes).toString('base64'), stack }),
    encoding: 'utf8',
  });
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { kind: string; counted: number };
}

describe('the stack budget', () => {
  it('stops recursion before V8 does on Node 22, 24 and 26, in every tier', {
    timeout: 300_000,
  }, async () => {
    const current = Number(process.versions.node.split('.')[0]);
    const budget = DEFAULT_LIMITS.stackBytes;
    for (const major of [22, 24, 26]) {
      const node = major === current ? process.execPath : await ensureNode(major, root);
      for (const bot of ['recursion-small', 'recursion-big']) {
        const text = readFileSync(path.join(root, `test/hostile/wat/${bot}.component.wat`), 'utf8');
        const res = instrument(await wat(text), { memoryPages: 16, tableElements: 16, stackBytes: budget });
        if (!res.ok) throw new Error(res.error.message);
        for (const [tier, flags] of Object.entries(TIERS)) {
          const where = `node ${major} ${bot} ${tier}`;
          // With the real budget, the budget runs out (not V8's stack)...
          expect(recurse(node, flags, res.value.bytes, budget).kind, where).toBe('budget');
          // ...and V8's own limit is further away than the whole budget.
          const unlimited = recurse(node, flags, res.value.bytes, 0x7fff_ffff);
          expect(unlimited.kind, where).toBe('v8');
          expect(unlimited.counted, where).toBeGreaterThan(budget);
        }
      }
    }
  });
});
