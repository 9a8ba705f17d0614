import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../util/logger.js';
import { GLUE_CONTAINMENT_FLAGS, permissionFlags, QUIET_FLAGS } from './node-flags.js';
import { projectRoot } from './paths.js';
import { ProcessPool } from './process-pool.js';

/**
 * Two pools of sandbox CHILD PROCESSES (process-pool.ts):
 *
 * - the match pool runs the generated glue and the untrusted wasm. Each process starts with an
 *   EMPTY environment (no DISCORD_TOKEN, no DATABASE_URL) and under Node's permission model:
 *   it may read only the compiled code and the prepared artifacts; it may not write files, spawn
 *   processes, start worker threads or load native addons, and where the permission model
 *   covers the network (Node 26), it may open no socket.
 * - the prepare pool runs validation, metering and jco's transpiler on untrusted bytes. jco
 *   starts a worker thread and loads a native minifier at import, so this pool allows those,
 *   but it still has an empty environment and may write only into the artifacts directory. It
 *   never executes a bot.
 *
 * Processes rather than worker threads: a separate V8 heap and OS process means a bot that
 * trips a V8 bug, exhausts memory or needs killing takes down only its worker, and Node's
 * permission model applies per process. Killing a stuck process is the pool's deadline path.
 */
export interface PoolSettings {
  /** Where prepared artifacts live (read by match workers, written by prepare workers). */
  artifactsDir: string;
  matchWorkers: number;
  /** Prepare worker processes: two, so one user's slow upload never holds the only one. */
  prepareWorkers: number;
  /** Largest linear memory any bot may have, in 64 KiB pages: a process-wide V8 backstop. */
  maxMemoryPages: number;
  /** Extra V8/Node flags for match workers (tests vary the compiler tiers with these). */
  extraMatchFlags?: readonly string[];
}

const PERMISSION = permissionFlags();

function readable(...dirs: string[]): string[] {
  return dirs.map((d) => `--allow-fs-read=${d}`);
}

/** Node flags of a match worker: read-only access to the compiled code and the artifacts, nothing else. */
export function matchWorkerFlags(settings: PoolSettings): string[] {
  const root = projectRoot();
  return [
    PERMISSION.enable,
    ...readable(path.join(root, 'dist'), settings.artifactsDir),
    ...QUIET_FLAGS,
    // Bindings generated from uploads run here (in a realm of their own, play/glue-realm.ts):
    // whatever outer object they reach can neither compile code nor change a built-in.
    ...GLUE_CONTAINMENT_FLAGS,
    `--wasm-max-mem-pages=${settings.maxMemoryPages}`,
    `--max-old-space-size=${MATCH_HEAP_MB}`,
    ...(settings.extraMatchFlags ?? []),
  ];
}

/** Node flags of a prepare worker: jco's worker thread and native minifier, writes only to the artifacts. */
export function prepareWorkerFlags(settings: PoolSettings): string[] {
  const root = projectRoot();
  return [
    PERMISSION.enable,
    '--allow-worker',
    '--allow-addons',
    ...readable(path.join(root, 'dist'), path.join(root, 'node_modules'), settings.artifactsDir),
    `--allow-fs-write=${settings.artifactsDir}`,
    ...QUIET_FLAGS,
    `--max-old-space-size=${PREPARE_HEAP_MB}`,
  ];
}

const MATCH_HEAP_MB = 512;
const PREPARE_HEAP_MB = 1024;
/** Node under load can take seconds to start a process; past this, starting counts as failed. */
const STARTUP_MS = 60_000;

export function createMatchPool(settings: PoolSettings, logger: Logger): ProcessPool {
  mkdirSync(settings.artifactsDir, { recursive: true });
  return new ProcessPool({
    name: 'match',
    handler: 'src/sandbox/workers/match-worker.js',
    execArgv: matchWorkerFlags(settings),
    size: settings.matchWorkers,
    minIdle: 1,
    idleMs: 60_000,
    startupMs: STARTUP_MS,
    // Compiled modules and realms accumulate over a worker's life: once the heap holds half its
    // cap, the worker is replaced after its match rather than die mid-match.
    retireHeapBytes: (MATCH_HEAP_MB / 2) * 1024 * 1024,
    // Matches are short and many: each worker holds its next one, so it never waits on this process.
    lookahead: true,
    logger,
  });
}

export function createPreparePool(settings: PoolSettings, logger: Logger): ProcessPool {
  mkdirSync(settings.artifactsDir, { recursive: true });
  return new ProcessPool({
    name: 'prepare',
    handler: 'src/sandbox/workers/prepare-worker.js',
    execArgv: prepareWorkerFlags(settings),
    size: settings.prepareWorkers,
    minIdle: 0,
    idleMs: 30_000,
    startupMs: STARTUP_MS,
    retireHeapBytes: (PREPARE_HEAP_MB / 2) * 1024 * 1024,
    logger,
  });
}
