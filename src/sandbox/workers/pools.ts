import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Tinypool from 'tinypool';
import { GLUE_CONTAINMENT_FLAGS, permissionFlags, QUIET_FLAGS } from './node-flags.js';
import { compiledEntry, projectRoot } from './paths.js';

/**
 * Two pools of sandbox CHILD PROCESSES (Tinypool's child_process runtime):
 *
 * - the match pool runs the generated glue and the untrusted wasm. Each process starts with an
 *   EMPTY environment (no DISCORD_TOKEN, no DATABASE_URL) and under Node's permission model:
 *   it may read only the compiled code, tinypool's entry and the prepared artifacts; it may not
 *   write files, spawn processes, start worker threads or load native addons.
 * - the prepare pool runs validation, metering and jco's transpiler on untrusted bytes. jco
 *   starts a worker thread and loads a native minifier at import, so this pool allows those,
 *   but it still has an empty environment and may write only into the artifacts directory. It
 *   never executes a bot.
 *
 * Processes rather than worker threads: a separate V8 heap and OS process means a bot that
 * trips a V8 bug, exhausts memory or needs killing takes down only its worker, and Node's
 * permission model applies per process. Killing a stuck process is Tinypool's abort path.
 */
export interface PoolSettings {
  /** Where prepared artifacts live (read by match workers, written by prepare workers). */
  artifactsDir: string;
  matchWorkers: number;
  /** Largest linear memory any bot may have, in 64 KiB pages: a process-wide V8 backstop. */
  maxMemoryPages: number;
  /** Extra V8/Node flags for match workers (tests vary the compiler tiers with these). */
  extraMatchFlags?: readonly string[];
}

const PERMISSION = permissionFlags();

function readable(...dirs: string[]): string[] {
  return dirs.map((d) => `--allow-fs-read=${d}`);
}

export function createMatchPool(settings: PoolSettings): Tinypool {
  const root = projectRoot();
  mkdirSync(settings.artifactsDir, { recursive: true });
  return new Tinypool({
    filename: pathToFileURL(compiledEntry('src/sandbox/workers/match-worker.js')).href,
    runtime: 'child_process',
    env: {},
    serialization: 'advanced',
    minThreads: 1,
    maxThreads: settings.matchWorkers,
    idleTimeout: 60_000,
    execArgv: [
      PERMISSION.enable,
      ...readable(
        path.join(root, 'dist'),
        path.join(root, 'node_modules', 'tinypool'),
        settings.artifactsDir,
      ),
      ...QUIET_FLAGS,
      // Bindings generated from uploads run here (in a realm of their own, play/glue-realm.ts):
      // whatever outer object they reach can neither compile code nor change a built-in.
      ...GLUE_CONTAINMENT_FLAGS,
      `--wasm-max-mem-pages=${settings.maxMemoryPages}`,
      '--max-old-space-size=512',
      ...(settings.extraMatchFlags ?? []),
    ],
  });
}

export function createPreparePool(settings: PoolSettings): Tinypool {
  const root = projectRoot();
  mkdirSync(settings.artifactsDir, { recursive: true });
  return new Tinypool({
    filename: pathToFileURL(compiledEntry('src/sandbox/workers/prepare-worker.js')).href,
    runtime: 'child_process',
    env: {},
    serialization: 'advanced',
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: 30_000,
    execArgv: [
      PERMISSION.enable,
      '--allow-worker',
      '--allow-addons',
      ...readable(path.join(root, 'dist'), path.join(root, 'node_modules'), settings.artifactsDir),
      `--allow-fs-write=${settings.artifactsDir}`,
      ...QUIET_FLAGS,
      '--max-old-space-size=1024',
    ],
  });
}
