import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ensureNode } from '../scripts/runtimes.js';
import { DEFAULT_LIMITS } from '../src/sandbox/limits.js';
import { instrument } from '../src/sandbox/wasm/index.js';
import { TIER_FLAGS } from './meter.js';

/**
 * `node dist/bench/stack-limit.js [22 24 26]`: how much of the deterministic stack budget a
 * recursing bot has counted when V8's own stack limit stops it, on each Node line and tier, in
 * a process's main thread with Node's default stack size (as in a match worker). The budget
 * (docs/limits.md "Stack") must stay below the smallest figure, so that it, not V8, decides.
 *
 * The bots are the hostile corpus's recursion-small (tiny frames) and recursion-big (256 i64
 * and 64 v128 locals); each runs metered with an unlimited budget until V8 throws RangeError.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = here.endsWith(join('dist', 'bench')) ? join(here, '../..') : join(here, '..');

const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const bytes = Buffer.from(Buffer.concat(chunks).toString(), 'base64');
const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
const budget = 0x7fffffff;
e.throwdown_fuel.value = 1n << 60n;
e.throwdown_stack.value = budget;
let kind = 'returned';
try { e.play(1, 1, 0, 0, 0, 0); } catch (err) { kind = err instanceof RangeError ? 'v8' : 'other: ' + err.message; }
console.log(JSON.stringify({ counted: budget - e.throwdown_stack.value, kind }));
`;

interface Row {
  node: string;
  bot: string;
  tier: string;
  /** Bytes the budget had counted when V8 stopped the recursion. */
  countedKiB: number;
}

export async function measureStackLimits(majors: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  const current = Number(process.versions.node.split('.')[0]);
  for (const major of majors) {
    const node = major === current ? process.execPath : await ensureNode(major, root);
    for (const bot of ['recursion-small', 'recursion-big']) {
      const text = readFileSync(join(root, `test/hostile/wat/${bot}.component.wat`), 'utf8');
      const res = instrument(await parse(text), {
        memoryPages: 16,
        tableElements: 16,
        stackBytes: DEFAULT_LIMITS.stackBytes,
      });
      if (!res.ok) throw new Error(`${bot}: ${res.error.message}`);
      for (const [tier, flags] of Object.entries(TIER_FLAGS)) {
        const out = spawnSync(node, [...flags, '--input-type=module', '-e', CHILD], {
          input: Buffer.from(res.value.bytes).toString('base64'),
          encoding: 'utf8',
        });
        const r = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as {
          counted: number;
          kind: string;
        };
        if (r.kind !== 'v8')
          throw new Error(`${bot} on node ${major} ${tier}: expected V8's RangeError, got ${r.kind}`);
        rows.push({ node: `v${major}`, bot, tier, countedKiB: Math.floor(r.counted / 1024) });
      }
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const majors = process.argv.slice(2).map(Number);
  const rows = await measureStackLimits(majors.length > 0 ? majors : [22, 24, 26]);
  const budgetKiB = DEFAULT_LIMITS.stackBytes / 1024;
  for (const r of rows) {
    console.log(
      `node ${r.node} ${r.bot.padEnd(16)} ${r.tier.padEnd(9)} counted ${r.countedKiB} KiB at V8's limit (budget ${budgetKiB} KiB: ${(r.countedKiB / budgetKiB).toFixed(2)}x)`,
    );
  }
}
