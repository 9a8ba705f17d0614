import { randomBytes, randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { MatchBot, MatchRecord } from '../games/match-record.js';
import { makeRules } from '../games/rps.js';
import type { Logger } from '../util/logger.js';
import { silentLogger } from '../util/logger.js';
import { err, ok, type Result } from '../util/result.js';
import { DEFAULT_LIMITS, type Limits, matchScale, memoryPages, STANDARD_ROUNDS } from './limits.js';
import {
  artifactDir,
  artifactKey,
  type BakedLimits,
  collectArtifacts,
  readManifest,
  sha256Hex,
  touchArtifact,
} from './prepare/artifact.js';
import { classifyUpload } from './prepare/classify.js';
import type { Prepared } from './prepare/prepare.js';
import { TOOLCHAIN } from './prepare/toolchain.js';
import type {
  BotReport,
  BotSource,
  BuiltinStrategy,
  CheckOptions,
  MatchRequest,
  Rejection,
  Sandbox,
  SandboxFailure,
  WorkTicket,
} from './types.js';
import { blame, crashForfeit, MATCH_ATTEMPTS } from './worker-loss.js';
import { ANONYMOUS } from './workers/fair-queue.js';
import { createMatchPool, createPreparePool } from './workers/pools.js';
import type { ProcessPool, WorkerLoss } from './workers/process-pool.js';
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
  /** Prepare worker processes (default 2: one user's slow upload never holds the only one). */
  prepareWorkers?: number;
  /** Wall-clock limit of preparing one upload, from when a worker starts on it (default 120 s). */
  prepareDeadlineMs?: number;
  logger?: Logger;
}

/** Extra wall-clock time a match gets beyond its own limit, for loading and compiling its bots. */
const STARTUP_GRACE_MS = 15_000;
/** Wall-clock limit for preparing one upload, counted from when a prepare worker starts on it. */
const PREPARE_DEADLINE_MS = 120_000;
/** Preparing is tried this often when its worker is lost, before it is called a host failure. */
const PREPARE_ATTEMPTS = 2;
const PREPARED_CACHE_LIMIT = 2_000;
/** The smoke match's opponent plays one of these, drawn at random per upload. */
const SMOKE_OPPONENTS: readonly BuiltinStrategy[] = ['rock', 'cycle', 'random'];
/** Used artifacts are marked at most this often (a file's mtime), for collection. */
const TOUCH_EVERY_MS = 10 * 60_000;
const COLLECT_GRACE_MS = 60 * 60_000;

export function bakedLimits(limits: Limits): BakedLimits {
  return {
    memoryPages: memoryPages(limits),
    tableElements: limits.tableElements,
    stackBytes: limits.stackBytes,
    fuelPerInstantiation: limits.fuelPerInstantiation,
  };
}

/** A loss's message without what the worker wrote (it may hold an upload's bytes), except at start-up. */
function lossText(loss: WorkerLoss | undefined): string {
  if (!loss) return 'unknown';
  // Before a worker runs anything of a bot, its stderr is Node's own: it says why it failed to start.
  return loss.kind === 'start-failed' ? loss.message : withoutOutput(loss.message);
}

function withoutOutput(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/; it wrote: .*$/, '');
}

/**
 * What preparing an upload came to. A verdict (prepared, or rejected for what the upload is) is
 * cached; a host failure (the prepare worker timed out, crashed or could not start) never is.
 */
type PrepareOutcome =
  | { kind: 'prepared'; prepared: Prepared }
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'host'; message: string; loss: WorkerLoss['kind'] }
  | { kind: 'closed' };

/** A seat ready to send to a match worker, with what its record will say about the bot. */
interface ReadySeat {
  task: SeatTask;
  bot: MatchBot;
}

/**
 * The service-side face of the sandbox. Untrusted bytes never run here: preparing happens in
 * a prepare worker, matches in match workers; this object routes work (fairly, by who it is
 * for), caches what is prepared, and turns a lost worker into a retry, a forfeit by the bot
 * that crashed it, or a typed host failure (sandbox/worker-loss.ts).
 */
export function createSandbox(options: SandboxOptions): Sandbox & {
  limits: Limits;
  /** The pools, for tests that kill workers. */
  pools(): { match: ProcessPool | null; prepare: ProcessPool | null };
} {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger ?? silentLogger;
  const smokeRounds = options.smokeRounds ?? 20;
  const poolSettings = {
    artifactsDir: options.artifactsDir,
    matchWorkers: options.workers ?? Math.max(1, availableParallelism()),
    prepareWorkers: options.prepareWorkers ?? 2,
    maxMemoryPages: memoryPages(limits),
    extraMatchFlags: options.extraMatchFlags,
  };
  let matchPool: ProcessPool | null = null;
  let preparePool: ProcessPool | null = null;
  let closed = false;
  const prepared = new Map<string, Promise<PrepareOutcome>>();
  const touched = new Map<string, number>();

  const remember = (key: string, value: Promise<PrepareOutcome>) => {
    if (prepared.size >= PREPARED_CACHE_LIMIT) prepared.delete(prepared.keys().next().value as string);
    prepared.set(key, value);
  };

  async function runPrepare(
    bytes: Uint8Array,
    effective: Limits,
    ticket: WorkTicket,
  ): Promise<PrepareOutcome> {
    preparePool ??= createPreparePool(poolSettings, logger);
    const task: PrepareTask = {
      bytes,
      maxModuleBytes: effective.moduleBytes,
      baked: bakedLimits(effective),
      artifactsDir: options.artifactsDir,
    };
    let last: WorkerLoss | null = null;
    for (let attempt = 1; attempt <= PREPARE_ATTEMPTS; attempt++) {
      const result = await preparePool.run<PrepareTaskResult>(task, {
        ticket,
        deadlineMs: options.prepareDeadlineMs ?? PREPARE_DEADLINE_MS,
      });
      if (result.ok) {
        return result.value.ok
          ? { kind: 'prepared', prepared: result.value.value }
          : { kind: 'rejected', rejection: result.value.error };
      }
      last = result.loss;
      if (last.kind === 'closed') return { kind: 'closed' };
      logger.warn('prepare worker lost its task', { attempt, loss: last.kind, message: last.message });
      // A deadline is not retried: the same work would take as long again.
      if (last.kind === 'deadline') break;
    }
    return { kind: 'host', message: last?.message ?? 'unknown', loss: last?.kind ?? 'died' };
  }

  /** Prepared artifact for bytes, through the in-memory cache, the disk, then a prepare worker. */
  function prepareSource(
    sha256: string,
    loadBytes: () => Promise<Uint8Array>,
    effective: Limits,
    ticket: WorkTicket,
  ): Promise<PrepareOutcome> {
    const key = artifactKey(sha256, bakedLimits(effective), TOOLCHAIN);
    const cached = prepared.get(key);
    if (cached) {
      markUsed(key);
      return cached;
    }
    const pending = (async (): Promise<PrepareOutcome> => {
      const dir = artifactDir(options.artifactsDir, key);
      const manifest = await readManifest(dir);
      if (manifest) {
        markUsed(key);
        return { kind: 'prepared', prepared: { manifest, dir } };
      }
      const bytes = await loadBytes();
      if (sha256Hex(bytes) !== sha256) throw new Error(`bytes for ${sha256} do not match their hash`);
      return runPrepare(bytes, effective, ticket);
    })();
    remember(key, pending);
    // Only verdicts are remembered: a host failure or an exception is tried afresh next time.
    pending.then(
      (outcome) => {
        if (outcome.kind === 'host' || outcome.kind === 'closed') forget(key, pending);
      },
      () => forget(key, pending),
    );
    return pending;
  }

  function forget(key: string, which: Promise<PrepareOutcome>): void {
    if (prepared.get(key) === which) prepared.delete(key);
  }

  function markUsed(key: string): void {
    const now = Date.now();
    if (now - (touched.get(key) ?? 0) < TOUCH_EVERY_MS) return;
    touched.set(key, now);
    void touchArtifact(artifactDir(options.artifactsDir, key));
  }

  type SeatOutcome = Result<ReadySeat, SandboxFailure>;

  async function readySeat(
    source: BotSource,
    seat: 0 | 1,
    effective: Limits,
    ticket: WorkTicket,
  ): Promise<SeatOutcome> {
    if (source.kind === 'builtin') {
      return ok({
        task: { kind: 'builtin', name: source.name, strategy: source.strategy },
        bot: { name: source.name, sha256: `builtin:${source.strategy}`, kind: 'command' },
      });
    }
    const outcome = await prepareSource(source.sha256, source.bytes, effective, ticket);
    switch (outcome.kind) {
      case 'prepared': {
        const { manifest, dir } = outcome.prepared;
        return ok({
          task: { kind: 'wasm', name: source.name, sha256: source.sha256, dir },
          bot: { name: source.name, sha256: source.sha256, kind: manifest.kind },
        });
      }
      case 'rejected':
        return err({ code: 'rejected', seat, rejection: outcome.rejection });
      case 'closed':
        return err({ code: 'closed', message: 'the sandbox is shut down' });
      case 'host':
        return err({ code: 'worker-lost', message: `preparing ${source.name} failed: ${outcome.message}` });
    }
  }

  async function play(request: MatchRequest): Promise<Result<MatchRecord, SandboxFailure>> {
    if (closed) return err({ code: 'closed', message: 'the sandbox is shut down' });
    const effective: Limits = { ...limits, ...request.limits };
    const ticket = request.for ?? ANONYMOUS;
    const seats: ReadySeat[] = [];
    for (const [seat, source] of request.bots.entries()) {
      const ready = await readySeat(source, seat as 0 | 1, effective, ticket);
      if (!ready.ok) return ready;
      seats.push(ready.value);
    }
    if (closed) return err({ code: 'closed', message: 'the sandbox is shut down' });
    matchPool ??= createMatchPool(poolSettings, logger);
    const task: MatchTask = {
      seed: request.seed,
      rules: request.rules,
      limits: effective,
      seats: [seats[0]!.task, seats[1]!.task],
      ...(request.stopAfter !== undefined ? { stopAfter: request.stopAfter } : {}),
    };
    // Only a stuck host reaches this (every call into a bot has its own deadline in the worker);
    // it scales with the match, as the bots' fuel does.
    const playedRounds = Math.min(request.rules.rounds, request.stopAfter ?? request.rules.rounds);
    const matchDeadlineMs = Math.ceil(effective.matchWallMs * matchScale(playedRounds));
    const traced: WorkerLoss[] = [];
    for (let attempt = 1; attempt <= MATCH_ATTEMPTS; attempt++) {
      const result = await matchPool.run<MatchTaskResult>(task, {
        ticket,
        deadlineMs: matchDeadlineMs + (options.startupGraceMs ?? STARTUP_GRACE_MS),
        // The first attempt runs at full speed; retries say where they are, in case they die too.
        trace: attempt > 1,
      });
      if (result.ok) {
        if (result.value.ok) return ok(result.value.record);
        return err({ code: 'worker-lost', message: result.value.message });
      }
      const loss = result.loss;
      if (loss.kind === 'closed') return err({ code: 'closed', message: 'the sandbox is shut down' });
      logger.warn('match worker lost its match', {
        seed: request.seed,
        attempt,
        loss: loss.kind,
        trace: loss.trace,
        message: loss.message,
      });
      if (attempt > 1) traced.push(loss);
    }
    const culprit = blame(traced);
    if (culprit) {
      logger.warn('a bot crashed its sandbox process twice: it forfeits', {
        seed: request.seed,
        bot: seats[culprit.seat]!.bot.name,
      });
      return ok(
        crashForfeit({
          seed: request.seed,
          rules: request.rules,
          limits: effective,
          bots: [seats[0]!.bot, seats[1]!.bot],
          at: culprit,
          loss: traced[traced.length - 1]!,
        }),
      );
    }
    return err({
      code: 'worker-lost',
      message: `the sandbox failed ${MATCH_ATTEMPTS} times running this match (${lossText(traced[traced.length - 1])})`,
    });
  }

  async function check(
    bytes: Uint8Array,
    checkOptions: CheckOptions = {},
  ): Promise<Result<BotReport, Rejection>> {
    const effective: Limits = { ...limits, ...checkOptions.limits };
    const ticket = checkOptions.for ?? ANONYMOUS;
    // The cheap checks first, and always: a prepared artifact may exist from before a limit changed.
    const classified = classifyUpload(bytes, effective.moduleBytes);
    if (!classified.ok) return classified;
    const sha256 = sha256Hex(bytes);
    const preparedBot = await prepareSource(sha256, async () => bytes, effective, ticket);
    switch (preparedBot.kind) {
      case 'rejected':
        return err(preparedBot.rejection);
      case 'closed':
        return err({
          code: 'malformed',
          message: 'The server is shutting down; submit it again in a moment.',
        });
      case 'host':
        return err({
          code: 'malformed',
          message:
            preparedBot.loss === 'deadline'
              ? `Preparing the bot took more than ${Math.round((options.prepareDeadlineMs ?? PREPARE_DEADLINE_MS) / 1000)} s of work, so it was stopped. It is not remembered as refused: if the server was busy, try again.`
              : `The sandbox failed while preparing the bot (${preparedBot.loss === 'start-failed' ? preparedBot.message : withoutOutput(preparedBot.message)}). It is not remembered as refused: try again; if it keeps failing, the file may crash the preparer.`,
        });
      case 'prepared':
        break;
    }
    const report = preparedBot.prepared.manifest.report;
    // The smoke match looks like a real one (docs/security.md, "The smoke match"): the names a
    // real match uses, the standard length (cut short after `smokeRounds`, which the bot cannot
    // see), a fresh seed, and an opponent strategy drawn at random.
    const disguise = checkOptions.smoke ?? {};
    const strategy = SMOKE_OPPONENTS[randomInt(SMOKE_OPPONENTS.length)] as BuiltinStrategy;
    const smoke = await play({
      seed: disguise.seed ?? randomBytes(16).toString('hex'),
      rules: makeRules({ rounds: disguise.rounds ?? STANDARD_ROUNDS }),
      stopAfter: smokeRounds,
      bots: [
        { kind: 'wasm', name: disguise.name ?? 'me/bot', sha256, bytes: async () => bytes },
        { kind: 'builtin', name: disguise.opponentName ?? 'them/bot', strategy },
      ],
      limits: checkOptions.limits,
      for: ticket,
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
    await Promise.all([matchPool?.close(), preparePool?.close()]);
  }

  async function collect(keep: ReadonlySet<string>, collectOptions: { graceMs?: number } = {}) {
    const report = await collectArtifacts(
      options.artifactsDir,
      keep,
      collectOptions.graceMs ?? COLLECT_GRACE_MS,
    );
    // What was collected must be prepared again, not served from memory.
    for (const [key, pending] of prepared) {
      const outcome = await pending.catch(() => null);
      if (outcome?.kind === 'prepared' && !(await readManifest(outcome.prepared.dir))) forget(key, pending);
    }
    if (report.removed > 0) logger.info('collected unused bot artifacts', report);
    return report;
  }

  return {
    check,
    play,
    close,
    collectArtifacts: collect,
    limits,
    pools: () => ({ match: matchPool, prepare: preparePool }),
  };
}
