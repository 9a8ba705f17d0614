import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runNodeJson, TIERS, toBase64 } from './helpers/child.js';
import { metered } from './helpers/meter.js';
import { program } from './helpers/programs.js';

/**
 * Runs a workload in a child and reports the fuel used by each call, and where an
 * out-of-fuel trap leaves the counter for a budget that runs out mid-way.
 */
const WORKLOAD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { compute, exceptions } = JSON.parse(Buffer.concat(chunks).toString());
const inst = (b) => new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(b, 'base64'))).exports;
const c = inst(compute);
const x = inst(exceptions);
const used = [];
const measure = (e, f) => { e.throwdown_fuel.value = 10n ** 12n; f(); used.push(String(10n ** 12n - e.throwdown_fuel.value)); };
// Repeat so the later rounds run in optimized code where tiering is on.
for (let round = 0; round < 30; round++) {
  measure(c, () => c.fib(22));
  measure(c, () => c.sum(200000));
  measure(c, () => c.ack(2, 300));
  measure(c, () => c.bulk(round));
  measure(c, () => c.mvloop(1000));
  measure(x, () => x.loopy(500));
}
const trapPoints = [];
for (const budget of [100000n, 1234567n]) {
  c.throwdown_fuel.value = budget;
  try { c.fib(30); } catch { }
  trapPoints.push(String(c.throwdown_fuel.value));
}
console.log(JSON.stringify({ used, trapPoints }));
`;

interface Report {
  used: string[];
  trapPoints: string[];
}

const hogs: ChildProcess[] = [];
afterAll(() => {
  for (const h of hogs) h.kill('SIGKILL');
});

describe('fuel is deterministic', () => {
  it('is identical in every V8 tier, and under CPU contention', async () => {
    const input = {
      compute: toBase64(metered(await program('compute')).bytes),
      exceptions: toBase64(metered(await program('exceptions')).bytes),
    };
    const reports: Record<string, Report> = {};
    for (const [tier, flags] of Object.entries(TIERS))
      reports[tier] = await runNodeJson<Report>(flags, WORKLOAD, input);

    // Two CPU hogs on a two-core machine: the workload now competes for every core.
    for (let i = 0; i < 2; i++)
      hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    for (const [tier, flags] of Object.entries(TIERS)) {
      reports[`${tier}+hogs`] = await runNodeJson<Report>(flags, WORKLOAD, input);
    }
    for (const h of hogs.splice(0)) h.kill('SIGKILL');

    const reference = reports.liftoff!;
    expect(reference.used.length).toBe(180);
    expect(new Set(reference.used.slice(0, 6)).size).toBe(6);
    for (const [name, report] of Object.entries(reports)) expect(report, name).toEqual(reference);
    // The trap points are just below zero: the counter is checked at entries and loop headers.
    for (const p of reference.trapPoints) {
      expect(BigInt(p)).toBeLessThan(0n);
      expect(BigInt(p)).toBeGreaterThan(-20n);
    }
  });
});
