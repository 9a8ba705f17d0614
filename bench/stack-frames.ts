import { spawnSync } from 'node:child_process';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { instrument } from '../src/sandbox/wasm/index.js';
import { frameShapes } from './frame-shapes.js';

/**
 * Measures V8's real native frame size for each shape in bench/frame-shapes.ts, in each tier,
 * and compares it with the stack budget's charge (`frameCost`). A ratio below 1 would mean the
 * budget undercharges that frame, and V8's own limit could then stop a recursion first.
 *
 * Method: run the metered module with an unlimited budget until V8 throws RangeError, at
 * `--stack-size` 984 and 1968 KiB; the real frame is (difference in bytes) / (difference in
 * depth), so the caller's stack cancels out.
 */

export const TIER_FLAGS: Record<string, string[]> = {
  liftoff: ['--liftoff', '--no-wasm-tier-up'],
  turbofan: ['--no-liftoff'],
  default: [],
};

const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const bytes = Buffer.from(Buffer.concat(chunks).toString(), 'base64');
const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
e.throwdown_fuel.value = 1n << 60n;
e.throwdown_stack.value = 0x7fffffff;
let kind = 'returned';
try { e.go(); } catch (err) { kind = err instanceof RangeError ? 'v8' : 'other: ' + err.message; }
console.log(JSON.stringify({ depth: e.depth.value, kind }));
`;

function depthAt(bytes: Uint8Array, flags: string[], stackKiB: number): number {
  const out = spawnSync(
    process.execPath,
    [...flags, `--stack-size=${stackKiB}`, '--input-type=module', '-e', CHILD],
    {
      input: Buffer.from(bytes).toString('base64'),
      encoding: 'utf8',
    },
  );
  const r = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { depth: number; kind: string };
  if (r.kind !== 'v8') throw new Error(`expected V8's RangeError, got ${r.kind}`);
  return r.depth;
}

export interface FrameMeasurement {
  shape: string;
  /** What the stack budget charges per call, bytes. */
  cost: number;
  /** Per tier: V8's depth limit at the default 984 KiB, real frame bytes, cost / real. */
  tiers: Record<string, { depth: number; frameBytes: number; ratio: number }>;
}

export async function measureFrames(only?: (name: string) => boolean): Promise<FrameMeasurement[]> {
  const rows: FrameMeasurement[] = [];
  for (const [shape, text] of Object.entries(frameShapes())) {
    if (only && !only(shape)) continue;
    const res = instrument(await parse(text), { memoryPages: 16, tableElements: 16, stackBytes: 1 << 20 });
    if (!res.ok) throw new Error(`${shape}: ${res.error.message}`);
    const row: FrameMeasurement = { shape, cost: res.value.maxFrameCost, tiers: {} };
    for (const [tier, flags] of Object.entries(TIER_FLAGS)) {
      const d1 = depthAt(res.value.bytes, flags, 984);
      const d2 = depthAt(res.value.bytes, flags, 1968);
      const frameBytes = Math.round((984 * 1024) / (d2 - d1));
      row.tiers[tier] = { depth: d1, frameBytes, ratio: Math.round((row.cost / frameBytes) * 100) / 100 };
    }
    rows.push(row);
  }
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/'))) {
  for (const r of await measureFrames()) {
    const cells = Object.entries(r.tiers).map(
      ([t, v]) => `${t} ${v.frameBytes}B x${v.ratio} (V8 depth ${v.depth})`,
    );
    console.log(`${r.shape.padEnd(22)} charged ${String(r.cost).padStart(6)}B  ${cells.join('  ')}`);
  }
}
