import { availableParallelism } from 'node:os';
import type Tinypool from 'tinypool';
import type { MatchRecord } from '../games/match-record.js';
import type { Logger } from '../util/logger.js';
import { silentLogger } from '../util/logger.js';
import { err, ok, type Result } from '../util/result.js';
import { DEFAULT_LIMITS, type Limits, memoryPages } from './limits.js';
import { artifactDir, artifactKey, type BakedLimits, readManifest, sha256Hex } from './prepare/artifact.js';
import { classifyUpload } from './prepare/classify.js';
import type { Prepared } from './prepare/prepare.js';
import { TOOLCHAIN } from './prepare/toolchain.js';
import type { BotReport, BotSource, MatchRequest, Rejection, Sandbox, SandboxFailure } from './types.js';
import { createMatchPool, createPreparePool } from './workers/pools.js';
import type {
  MatchTask,
  MatchTaskResult,
  PrepareTask,
  PrepareTaskResult,
  SeatTask,
} from './workers/protocol.js';

export interface SandboxOptions {
  /** Where prepared bots are kept (created if missing). */
  artifactsDir: string;
  /** Match worker processes; defaults to the number of CPUs. */
  workers?: number;
  /** The server's limits; requests may override them per match. */
  limits?: Partial<Limits>;
  /** Rounds of the test match an upload plays against a reference bot before it is accepted. */
  smokeRounds?: number;
  /** Extra wall-clock time a match worker gets beyond the match's own limit (process start, compiling). */
  startupGraceMs?: number;
  /** Extra V8 flags for match workers; tests use them to vary compiler tiers. */
  extraMatchFlags?: readonly string[];
  logger?: Logger;
}

const STARTUP_GRACE_MS = 15_000;
const PREPARE_DEADLINE_MS = 120_000;
const PREPARED_CACHE_LIMIT = 2_000;

export function bakedLimits(limits: Limits): BakedLimits {
  return {
    memoryPages: memoryPages(limits),
    tableElements: limits.tableElements,
    stackBytes: limits.stackBytes,
    fuelPerInstantiation: limits.fuelPerInstantiation,
  };
}

function isAbort(error: unknown): boolean {
  return (error as Error)?.name === 'AbortError' || /aborted/i.test((error as Error)?.message ?? '');
}

/**
 * The service-side face of the sandbox. Untrusted bytes never run here: preparing happens in
 * a prepare worker, matches in match workers; this object routes work, caches what is
 * prepared, and turns a stuck worker into a typed failure.
 */
export function createSandbox(options: SandboxOptions): Sandbox & { limits: Limits } {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger ?? silentLogger;
  const smokeRounds = options.smokeRounds ?? 20;
  const poolSettings = {
    artifactsDir: options.artifactsDir,
    matchWorkers: options.workers ?? Math.max(1, availableParallelism()),
    maxMemoryPages: memoryPages(limits),
    extraMatchFlags: options.extraMatchFlags,
  };
  let matchPool: Tinypool | null = null;
  let preparePool: Tinypool | null = null;
  let closed = false;
  const prepared = new Map<string, Promise<Result<Prepared, Rejection>>>();

  const remember = (key: string, value: Promise<Result<Prepared, Rejection>>) => {
    if (prepared.size >= PREPARED_CACHE_LIMIT) prepared.delete(prepared.keys().next().value as string);
    prepared.set(key, value);
  };

  async function runPrepare(bytes: Uint8Array, effective: Limits): Promise<Result<Prepared, Rejection>> {
    preparePool ??= createPreparePool(poolSettings);
    const task: PrepareTask = {
      bytes,
      maxModuleBytes: effective.moduleBytes,
      baked: bakedLimits(effective),
      artifactsDir: options.artifactsDir,
    };
    try {
      return (await preparePool.run(task, {
        signal: AbortSignal.timeout(PREPARE_DEADLINE_MS),
      })) as PrepareTaskResult;
    } catch (error) {
      if (isAbort(error)) {
        return err({
          code: 'malformed',
          message: 'Preparing the bot took too long; the file may be pathological.',
        });
      }
      throw error;
    }
  }

  /** Prepared artifact for bytes, through the in-memory cache, the disk, then a prepare worker. */
  async function prepareSource(
    sha256: string,
    loadBytes: () => Promise<Uint8Array>,
    effective: Limits,
  ): Promise<Result<Prepared, Rejection>> {
    const key = artifactKey(sha256, bakedLimits(effective), TOOLCHAIN);
    const cached = prepared.get(key);
    if (cached) return cached;
    const pending = (async () => {
      const dir = artifactDir(options.artifactsDir, key);
      const manifest = await readManifest(dir);
      if (manifest) return ok({ manifest, dir });
      const bytes = await loadBytes();
      if (sha256Hex(bytes) !== sha256) throw new Error(`bytes for ${sha256} do not match their hash`);
      return runPrepare(bytes, effective);
    })();
    remember(key, pending);
    // A worker that crashed is not a verdict on the bot: forget it so the next call retries.
    pending.catch(() => prepared.delete(key));
    return pending;
  }

  async function seatTask(source: BotSource, effective: Limits): Promise<Result<SeatTask, Rejection>> {
    if (source.kind === 'builtin')
      return ok({ kind: 'builtin', name: source.name, strategy: source.strategy });
    const result = await prepareSource(source.sha256, source.bytes, effective);
    if (!result.ok) return result;
    return ok({ kind: 'wasm', name: source.name, sha256: source.sha256, dir: result.value.dir });
  }

  async function play(request: MatchRequest): Promise<Result<MatchRecord, SandboxFailure>> {
    if (closed) return err({ code: 'closed', message: 'the sandbox is shut down' });
    const effective: Limits = { ...limits, ...request.limits };
    const seats: SeatTask[] = [];
    for (const [seat, source] of request.bots.entries()) {
      const task = await seatTask(source, effective);
      if (!task.ok) return err({ code: 'rejected', seat: seat as 0 | 1, rejection: task.error });
      seats.push(task.value);
    }
    matchPool ??= createMatchPool(poolSettings);
    const task: MatchTask = {
      seed: request.seed,
      rules: request.rules,
      limits: effective,
      seats: seats as [SeatTask, SeatTask],
    };
    try {
      const result = (await matchPool.run(task, {
        signal: AbortSignal.timeout(effective.matchWallMs + (options.startupGraceMs ?? STARTUP_GRACE_MS)),
      })) as MatchTaskResult;
      if (!result.ok) return err({ code: 'worker-lost', message: result.message });
      return ok(result.record);
    } catch (error) {
      if (isAbort(error)) {
        logger.warn('match stopped by the wall-clock safety net', { seed: request.seed });
        return err({
          code: 'worker-lost',
          message: `the match passed its ${effective.matchWallMs} ms wall-clock safety limit and its sandbox process was stopped`,
        });
      }
      logger.error('sandbox worker failed', { seed: request.seed, error });
      return err({ code: 'worker-lost', message: 'the sandbox process running the match failed' });
    }
  }

  async function check(
    bytes: Uint8Array,
    checkOptions: { limits?: Partial<Limits> } = {},
  ): Promise<Result<BotReport, Rejection>> {
    const effective: Limits = { ...limits, ...checkOptions.limits };
    // The cheap checks first, and always: a prepared artifact may exist from before a limit changed.
    const classified = classifyUpload(bytes, effective.moduleBytes);
    if (!classified.ok) return classified;
    const sha256 = sha256Hex(bytes);
    const preparedBot = await prepareSource(sha256, async () => bytes, effective);
    if (!preparedBot.ok) return preparedBot;
    const report = preparedBot.value.manifest.report;
    const smoke = await play({
      seed: `smoke:${sha256.slice(0, 16)}`,
      rules: { rounds: smokeRounds, drawMargin: 0 },
      bots: [
        { kind: 'wasm', name: 'your-bot', sha256, bytes: async () => bytes },
        { kind: 'builtin', name: 'reference/cycle', strategy: 'cycle' },
      ],
      limits: checkOptions.limits,
    });
    if (!smoke.ok) {
      const reason = smoke.error.code === 'rejected' ? smoke.error.rejection.message : smoke.error.message;
      return err({ code: 'failed-smoke-match', message: `The test match could not be played: ${reason}` });
    }
    const record = smoke.value;
    const fault = record.faults.find((f) => f.seat === 0);
    if (fault) {
      const when = fault.round === 0 ? 'while starting up' : `in round ${fault.round}`;
      return err({
        code: 'failed-smoke-match',
        message: `In a ${smokeRounds}-round test match against a reference bot it failed ${when}: ${fault.message}`,
      });
    }
    const fuel = record.log.fuel[0];
    return ok({
      ...report,
      smoke: {
        rounds: record.roundsPlayed,
        startFuel: record.startFuel[0],
        maxMoveFuel: Math.max(0, ...fuel),
        meanMoveFuel: fuel.length ? Math.round(fuel.reduce((a, b) => a + b, 0) / fuel.length) : 0,
        meanMoveMicros: Math.round(
          record.timing.moveMicros[0].reduce((a, b) => a + b, 0) /
            Math.max(1, record.timing.moveMicros[0].length),
        ),
      },
    });
  }

  async function close(): Promise<void> {
    closed = true;
    await Promise.all([matchPool?.destroy(), preparePool?.destroy()]);
  }

  return { check, play, close, limits };
}
