import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatchBot } from '../src/games/match-record.js';
import { makeRules } from '../src/games/rps.js';
import { DEFAULT_LIMITS } from '../src/sandbox/limits.js';
import { createCommandPlayer } from '../src/sandbox/play/command-player.js';
import { createComponentPlayer } from '../src/sandbox/play/component-player.js';
import type { Player } from '../src/sandbox/play/player.js';
import { runMatch } from '../src/sandbox/play/run-match.js';
import { sha256Hex } from '../src/sandbox/prepare/artifact.js';
import { prepareBot } from '../src/sandbox/prepare/prepare.js';
import { bakedLimits, createSandbox } from '../src/sandbox/sandbox.js';
import { type LoadedArtifact, loadArtifact } from '../src/sandbox/workers/loaded-artifact.js';
import { prepareTools } from '../src/sandbox/workers/prepare-worker.js';
import { inflateModule } from '../test/sandbox/wasm/helpers/inflate.js';

/**
 * The sandbox's hot paths, measured in-process (no IPC) on real bots from bots/dist, plus a
 * 1000-round match through the real worker pool. Medians over repetitions.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const limits = DEFAULT_LIMITS;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export interface SandboxFigures {
  /** Microseconds per move, whole move as the match loop sees it. */
  componentMoveDirectUs: number;
  componentMoveBindingsUs: number;
  jsComponentMoveUs: number;
  commandMoveUs: number;
  watCommandMoveUs: number;
  /** One 1000-round match between two component bots, ms. */
  componentMatchMs: number;
  componentMatchViaPoolMs: number;
  commandMatchMs: number;
  /** Instantiating a component bot at match start, µs (WAT direct, WAT through bindings, QuickJS). */
  componentStartUs: number;
  componentStartBindingsUs: number;
  jsComponentStartUs: number;
  /** Whole prepare (checks, metering, transpiling, compiling, writing), ms. */
  prepare: Array<{ name: string; bytes: number; ms: number }>;
}

function bytesOf(file: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(root, 'bots/dist', file)));
}

async function prepared(
  file: string | Uint8Array,
  dir: string,
  wiring: 'auto' | 'bindings' = 'auto',
): Promise<{ artifact: LoadedArtifact; ms: number; bytes: number }> {
  const bytes = typeof file === 'string' ? bytesOf(file) : file;
  const started = performance.now();
  const result = await prepareBot(
    { bytes, maxModuleBytes: 64 * 1024 * 1024, baked: bakedLimits(limits), artifactsDir: dir, wiring },
    prepareTools,
  );
  const ms = performance.now() - started;
  if (!result.ok) throw new Error(`prepare failed: ${result.error.message}`);
  return { artifact: await loadArtifact(result.value.dir), ms, bytes: bytes.length };
}

function player(artifact: LoadedArtifact, seat: number): Player {
  const m = artifact.manifest;
  const common = {
    name: `bot${seat}`,
    opponentName: 'other',
    limits,
    seed: `s${seat}`,
    instantiationFuel: limits.fuelPerInstantiation,
  };
  if (m.kind === 'command') {
    return createCommandPlayer({
      ...common,
      module: artifact.modules.get('bot.wasm')!,
      memory: m.memory!,
      traps: m.traps['bot.wasm']!,
      totalRounds: 1000,
    });
  }
  return createComponentPlayer({
    ...common,
    code: artifact.code!,
    modules: artifact.modules,
    traps: m.traps,
  });
}

const bot = (name: string): MatchBot => ({ name, sha256: name, kind: 'component' });

function match(a: () => Player, b: () => Player) {
  return runMatch({
    seed: 'bench',
    rules: makeRules(),
    seats: [
      { bot: bot('a'), player: a() },
      { bot: bot('b'), player: b() },
    ],
    limits,
    now: () => performance.now(),
  });
}

/** Mean µs per move of seat 0 over whole warm matches (the match loop's own measurement). */
function moveUs(make: () => Player, reps: number): number {
  const per: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    const r = match(make, () => make());
    per.push(((performance.now() - started) * 1000) / (r.roundsPlayed * 2));
  }
  return median(per.slice(1));
}

function startUs(make: () => Player, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const p = make();
    const t = performance.now();
    p.start();
    times.push((performance.now() - t) * 1000);
  }
  return median(times.slice(1));
}

export async function runSandboxBench(options: { quick?: boolean } = {}): Promise<SandboxFigures> {
  const reps = options.quick ? 3 : 7;
  const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-bench-'));
  try {
    const prepare: SandboxFigures['prepare'] = [];
    const note = (name: string, p: { ms: number; bytes: number }) =>
      prepare.push({ name, bytes: p.bytes, ms: Math.round(p.ms) });
    const freq = await prepared('frequency.component.wasm', dir);
    note('WAT component (frequency)', freq);
    const freqBindings = await prepared('frequency.component.wasm', dir, 'bindings');
    note('WAT component (frequency) through jco bindings', freqBindings);
    const beat = await prepared('beatlast.component.wasm', dir);
    const js = await prepared('frequency.js.wasm', dir);
    note('JavaScript component (QuickJS, frequency)', js);
    const cycle = await prepared('cycle.command.wasm', dir);
    note('AssemblyScript command (cycle)', cycle);
    const watCmd = await prepared('cycle.wat-command.wasm', dir);
    for (const target of [1_000_000, 10_000_000]) {
      const inflated = inflateModule(bytesOf('cycle.command.wasm'), target);
      note(
        `AssemblyScript command inflated to ${(inflated.length / 1e6).toFixed(1)} MB`,
        await prepared(inflated, dir),
      );
    }

    const figures: SandboxFigures = {
      componentMoveDirectUs: moveUs(() => player(freq.artifact, 0), reps),
      componentMoveBindingsUs: moveUs(() => player(freqBindings.artifact, 0), reps),
      jsComponentMoveUs: moveUs(() => player(js.artifact, 0), Math.max(3, reps - 3)),
      commandMoveUs: moveUs(() => player(cycle.artifact, 0), Math.max(3, reps - 3)),
      watCommandMoveUs: moveUs(() => player(watCmd.artifact, 0), Math.max(3, reps - 3)),
      componentMatchMs: 0,
      componentMatchViaPoolMs: 0,
      commandMatchMs: 0,
      componentStartUs: startUs(() => player(freq.artifact, 0), 20),
      componentStartBindingsUs: startUs(() => player(freqBindings.artifact, 0), 20),
      jsComponentStartUs: startUs(() => player(js.artifact, 0), 10),
      prepare,
    };
    const matchMs = (a: LoadedArtifact, b: LoadedArtifact, n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        match(
          () => player(a, 0),
          () => player(b, 1),
        );
        times.push(performance.now() - t);
      }
      return median(times.slice(1));
    };
    figures.componentMatchMs = matchMs(freq.artifact, beat.artifact, reps + 2);
    figures.commandMatchMs = matchMs(cycle.artifact, watCmd.artifact, 3);

    // Through the worker pool: IPC, artifact loading (cached after the first) and all.
    const sandbox = createSandbox({ artifactsDir: path.join(dir, 'pool'), workers: 1 });
    try {
      const source = (file: string) => {
        const bytes = bytesOf(file);
        return { kind: 'wasm' as const, name: file, sha256: sha256Hex(bytes), bytes: async () => bytes };
      };
      const request = {
        seed: 'bench',
        rules: makeRules(),
        bots: [source('frequency.component.wasm'), source('beatlast.component.wasm')] as [
          ReturnType<typeof source>,
          ReturnType<typeof source>,
        ],
      };
      const times: number[] = [];
      for (let i = 0; i < reps + 2; i++) {
        const t = performance.now();
        const r = await sandbox.play(request);
        if (!r.ok) throw new Error('pool match failed');
        times.push(performance.now() - t);
      }
      figures.componentMatchViaPoolMs = median(times.slice(2));
    } finally {
      await sandbox.close();
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
