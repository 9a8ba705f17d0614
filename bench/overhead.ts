import { cpus, loadavg } from 'node:os';
import { runOverheadBench } from './meter.js';

/**
 * `node dist/bench/overhead.js [reps]`: only the fuel overhead part of `npm run bench` (plain vs
 * metered run time of compute-heavy code), for checking a metering change in under a minute.
 */
const reps = Number(process.argv[2] ?? 5);
const load = loadavg().map((x) => x.toFixed(2));
console.log(`load average ${load.join(' ')} on ${cpus().length} CPUs, node ${process.version}`);
for (const o of await runOverheadBench(reps)) {
  console.log(`${o.ratio.toFixed(2)}x  ${o.name} (plain ${o.plainMs} ms, metered ${o.meteredMs} ms)`);
}
