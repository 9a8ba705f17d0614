import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '../src/sandbox/limits.js';
import { runFuelRateBench } from './fuel-rate.js';
import { runMeterBench } from './meter.js';
import { runSandboxBench } from './sandbox.js';

/**
 * `npm run bench`: measures the speed targets and prints a table; writes bench/results.json.
 * Figures vary with the machine and its load; tests never assert on them. `--quick` uses
 * fewer repetitions.
 */
const quick = process.argv.includes('--quick');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Row {
  what: string;
  value: number;
  unit: string;
  target?: { max: number };
}

const rows: Row[] = [];
const add = (what: string, value: number, unit: string, max?: number) =>
  rows.push({
    what,
    value: Math.round(value * 100) / 100,
    unit,
    ...(max !== undefined ? { target: { max } } : {}),
  });

const started = performance.now();
process.stderr.write('bench: sandbox hot paths…\n');
const sandbox = await runSandboxBench({ quick });
add('component bot move (direct call, WAT)', sandbox.componentMoveDirectUs, 'µs', 5);
add('component bot move (through jco bindings)', sandbox.componentMoveBindingsUs, 'µs');
add('JavaScript component move (QuickJS)', sandbox.jsComponentMoveUs, 'µs');
// The WAT command does almost nothing itself, so its move is the sandbox's own cost per fresh
// instance; the AssemblyScript one also decodes its whole stdin (~15 KB of history on average).
add('command bot move, fresh instance (WAT: sandbox cost)', sandbox.watCommandMoveUs, 'µs', 100);
add('command bot move, fresh instance (AssemblyScript, reads all stdin)', sandbox.commandMoveUs, 'µs');
add('1000-round match, two component bots', sandbox.componentMatchMs, 'ms', 20);
add('1000-round match, two component bots, via worker pool', sandbox.componentMatchViaPoolMs, 'ms', 20);
add('1000-round match, two command bots', sandbox.commandMatchMs, 'ms');
add('component instantiation (WAT)', sandbox.componentStartUs, 'µs');
add('component instantiation (WAT, through jco bindings)', sandbox.componentStartBindingsUs, 'µs');
add('component instantiation (QuickJS)', sandbox.jsComponentStartUs, 'µs');
for (const p of sandbox.prepare)
  add(
    `prepare: ${p.name} (${(p.bytes / 1e6).toFixed(2)} MB)`,
    p.ms,
    'ms',
    p.bytes <= 1.1e6 && p.bytes >= 0.9e6 ? 1000 : undefined,
  );

process.stderr.write('bench: metering overhead and instrument time…\n');
const meter = await runMeterBench({ quick });
for (const o of meter.overhead)
  add(`fuel overhead: ${o.name}`, o.ratio, 'x', /prime|hash/i.test(o.name) ? 1.3 : undefined);
for (const i of meter.instrument) add(`instrument: ${i.name}`, i.ms, 'ms');

// What sizes the move deadline (docs/limits.md, "The move deadline"): each class's wall-clock
// rate, held against a tenth of the deadline's per-fuel rate. growall grows the whole memory in
// one call, for a moment too short to time (its rate is what the per-page charge overpays).
process.stderr.write('bench: wall-clock ns per unit of fuel, per instruction class…\n');
const fuelRate = await runFuelRateBench();
const margin = DEFAULT_LIMITS.wallNsPerFuel / 10;
for (const r of fuelRate)
  add(`ns per fuel: ${r.name}`, r.nsPerFuel, 'ns', r.name === 'growall' ? undefined : margin);

let tournament: unknown = null;
try {
  // Resolved at run time: the tournament benchmark ships with the tournaments feature.
  const tournamentModule = './tournament.js';
  const mod = (await import(tournamentModule)) as {
    runTournamentBench?: (o: {
      quick?: boolean;
    }) => Promise<{ wallMs: number; matches: number; outsidePlayShare: number }>;
  };
  if (mod.runTournamentBench) {
    process.stderr.write('bench: 64-bot round robin…\n');
    const t = await mod.runTournamentBench({ quick });
    tournament = t;
    add(`64-bot round robin, ${t.matches} matches of 1000 rounds`, t.wallMs / 1000, 's', 30);
    // Issue 15: at most a quarter of a tournament's wall time outside play.
    add('  64-bot round robin: share of wall time outside play', t.outsidePlayShare * 100, '%', 25);
  }
} catch (error) {
  if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
}

let queueFigures: unknown = null;
{
  const { runQueueBench, queueRows } = await import('./queue.js');
  process.stderr.write('bench: the match queue (in-process vs queue, 1 and 2 processes)…\n');
  // The tournament (64 bots): a smaller one is mostly its first and last matches.
  const q = await runQueueBench({ bots: quick ? 16 : 64 });
  queueFigures = q;
  for (const row of queueRows(q)) add(row.what, row.value, row.unit);
  // Issue 15's target holds for both paths: at most a quarter of the wall time outside play.
  for (const mode of ['in-process', 'queue'] as const) {
    const run = q.runs.find((r) => r.mode === mode && r.workers === 2);
    if (run)
      add(`  ${mode}, 2 processes: share of wall time outside play`, run.outsidePlayShare * 100, '%', 25);
  }
}

let ack: unknown = null;
{
  const { runAckBench } = await import('./ack.js');
  const bots = quick ? 32 : 64;
  process.stderr.write(`bench: interactions acknowledged during a ${bots}-bot tournament…\n`);
  const a = await runAckBench({ bots, interactions: quick ? 100 : 300 });
  ack = a;
  add(`interaction acknowledged, p50 (${a.interactions} during a ${bots}-bot tournament)`, a.p50Ms, 'ms');
  add(`interaction acknowledged, p99 (load average ${a.loadAverage.toFixed(1)})`, a.p99Ms, 'ms', a.targetMs);
}

const width = Math.max(...rows.map((r) => r.what.length));
const lines = [
  `${'measure'.padEnd(width)}  ${'value'.padStart(10)}  unit  target`,
  ...rows.map((r) => {
    const verdict = r.target ? `<= ${r.target.max} ${r.value <= r.target.max ? 'met' : 'MISSED'}` : '';
    return `${r.what.padEnd(width)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(4)}  ${verdict}`;
  }),
];
process.stdout.write(`${lines.join('\n')}\n`);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  quick,
  seconds: Math.round((performance.now() - started) / 1000),
  rows,
  raw: { sandbox, meter, fuelRate, tournament, queue: queueFigures, ack },
};
writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stderr.write('bench: wrote bench/results.json\n');
