import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from '../../util/logger.js';
import { FairQueue, ownerCapFor, type WorkTicket } from './fair-queue.js';
import { compiledEntry } from './paths.js';
import type { ParentMessage, WorkerMessage, WorkerSettings } from './process-protocol.js';
import { WorkerOutput } from './worker-output.js';

/**
 * A pool of sandbox worker PROCESSES (one task at a time each), our own rather than Tinypool's
 * (docs/architecture.md says what Tinypool could not do, measured). What it guarantees:
 *
 * - a worker's death, at any moment, is a value, never an exception: a task it held resolves
 *   with a `WorkerLoss` saying why (with the worker's stderr), an idle one is logged, and the
 *   next task gets a fresh process;
 * - deadlines count from when a task reaches a ready worker, never from when it was queued;
 * - with `lookahead`, a busy worker is sent its next task before it finishes, so it never sits
 *   idle while this process is busy elsewhere (storing results, answering Discord): measured in
 *   a 64-bot round robin, a finished match's result waited 1.6 ms on average for this process to
 *   read it, and the worker 4 ms for its next task. An interactive task that finds every worker
 *   busy takes back a background task sent ahead (it must not wait behind two), and a task sent
 *   ahead is never lost with its worker: unstarted, it goes back to the queue;
 * - the next task to run is chosen fairly (fair-queue.ts), by who it is for;
 * - workers' stdout/stderr are captured, bounded and escaped into the log (worker-output.ts);
 * - on request, a task is traced: its last trace line says where the worker was if it died.
 */
export interface ProcessPoolOptions {
  /** For logs: 'match' or 'prepare'. */
  name: string;
  /**
   * The handler module (its default export runs each task): compiled, relative to dist/ (e.g.
   * 'src/sandbox/workers/match-worker.js'), or an absolute path.
   */
  handler: string;
  execArgv: readonly string[];
  /** Most worker processes at once. */
  size: number;
  /** Workers kept running while idle (a warm start for the next task). */
  minIdle: number;
  /** An idle worker beyond `minIdle` exits after this long. */
  idleMs: number;
  /** A worker that is not ready this long after it was started is stopped (counted as a start failure). */
  startupMs: number;
  /** A worker whose heap is larger than this after a task is replaced. */
  retireHeapBytes?: number;
  /** Send a busy worker its next task ahead (untraced tasks only). */
  lookahead?: boolean;
  logger: Logger;
}

export type LossKind = 'deadline' | 'died' | 'start-failed' | 'threw' | 'closed';

export interface WorkerLoss {
  kind: LossKind;
  message: string;
  /** The last trace line the worker wrote (traced tasks only). */
  trace: string | null;
}

export type PoolResult<R> = { ok: true; value: R } | { ok: false; loss: WorkerLoss };

export interface RunOptions {
  ticket: WorkTicket;
  /** Wall-clock limit, from when the task reaches a ready worker. */
  deadlineMs: number;
  trace?: boolean;
}

interface Job {
  id: number;
  task: unknown;
  ticket: WorkTicket;
  deadlineMs: number;
  trace: boolean;
  resolve: (result: PoolResult<unknown>) => void;
  timer?: NodeJS.Timeout;
  /** Sent ahead and asked back ('withdraw'), no answer yet. */
  withdrawing?: boolean;
}

interface Worker {
  child: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  job: Job | null;
  /** Sent while `job` runs, to start when it ends (lookahead); its deadline has not started. */
  ahead: Job | null;
  output: WorkerOutput;
  /** Why we stopped it, when we did. */
  stoppedFor: 'deadline' | 'closed' | 'start-timeout' | 'retired' | 'idle' | null;
  everReady: boolean;
  lastTrace: string | null;
  traceBuffer: string;
  timer?: NodeJS.Timeout;
  exited: Promise<void>;
}

const TRACE_LINE = 200;

export class ProcessPool {
  private readonly queue: FairQueue<Job>;
  private readonly workers = new Set<Worker>();
  private nextId = 1;
  private closing = false;
  private readonly entry: string;
  private readonly handler: string;

  constructor(private readonly options: ProcessPoolOptions) {
    this.queue = new FairQueue<Job>(ownerCapFor(options.size));
    this.entry = compiledEntry('src/sandbox/workers/worker-entry.js');
    this.handler = path.isAbsolute(options.handler) ? options.handler : compiledEntry(options.handler);
  }

  get size(): number {
    return this.options.size;
  }

  /** Pids of the live workers by state (tests kill them). */
  pids(): { idle: number[]; busy: number[]; starting: number[] } {
    const by = { idle: [] as number[], busy: [] as number[], starting: [] as number[] };
    for (const w of this.workers) if (w.state !== 'gone' && w.child.pid) by[w.state].push(w.child.pid);
    return by;
  }

  /** Tasks waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Tasks sent ahead to busy workers, not started yet as far as the pool knows. */
  get sentAhead(): number {
    let n = 0;
    for (const w of this.workers) if (w.ahead) n++;
    return n;
  }

  run<R>(task: unknown, options: RunOptions): Promise<PoolResult<R>> {
    if (this.closing) return Promise.resolve(closedResult());
    return new Promise((resolve) => {
      this.queue.push({
        id: this.nextId++,
        task,
        ticket: options.ticket,
        deadlineMs: options.deadlineMs,
        trace: options.trace ?? false,
        resolve: resolve as Job['resolve'],
      });
      this.pump();
    });
  }

  /** Stops taking tasks, resolves queued and running ones as 'closed', and stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.drain()) job.resolve(closedResult());
    const exits: Promise<void>[] = [];
    for (const worker of this.workers) {
      if (worker.state === 'gone') continue;
      worker.stoppedFor = 'closed';
      // Idle workers are unref'd so they never keep the process alive; while we wait for their
      // exit here they must, or Node could leave with `close()` unsettled (seen as exit code 13,
      // "unsettled top-level await", in one-shot scripts).
      holdsService(worker, true);
      worker.child.kill('SIGKILL');
      exits.push(worker.exited);
    }
    await Promise.all(exits);
  }

  /** Starts queued tasks while there are workers to run them (or to take them ahead). */
  private pump(): void {
    if (this.closing) return;
    for (;;) {
      // Not one being stopped (retired, say): a task sent to it would die with it.
      const idle = [...this.workers].find((w) => w.state === 'idle' && w.stoppedFor === null);
      if (idle || this.workers.size < this.options.size) {
        const job = this.queue.take();
        if (!job) return;
        if (idle) this.dispatch(idle, job);
        else this.spawn(job);
        continue;
      }
      const free = this.options.lookahead ? this.lookaheadSlot() : undefined;
      // A traced task runs alone, so its trace lines are its own.
      const job = free && this.queue.take((j) => !j.trace);
      if (!free || !job) break;
      this.sendAhead(free, job);
    }
    this.withdrawForInteractive();
  }

  /** A busy worker that can take a task ahead: none yet, not retiring or stopping, running untraced work. */
  private lookaheadSlot(): Worker | undefined {
    for (const w of this.workers) {
      if (w.state === 'busy' && !w.ahead && w.stoppedFor === null && !w.job?.trace) return w;
    }
    return undefined;
  }

  private sendAhead(worker: Worker, job: Job): void {
    worker.ahead = job;
    const message: ParentMessage = { type: 'task', id: job.id, task: job.task, trace: false };
    worker.child.send(message, (error) => {
      if (error && worker.ahead === job) this.stop(worker, null);
    });
  }

  /**
   * Interactive tasks waiting while every worker is busy: take back as many background tasks
   * sent ahead, so each interactive task is next in some worker (the worker gives a task back
   * only if it has not started it; see onMessage 'withdrawn').
   */
  private withdrawForInteractive(): void {
    let wanted = this.queue.readyInteractive();
    if (wanted === 0) return;
    for (const w of this.workers) {
      if (w.ahead?.withdrawing && w.state !== 'gone') wanted--;
    }
    for (const w of this.workers) {
      if (wanted <= 0) return;
      const job = w.ahead;
      if (!job || job.withdrawing || job.ticket.priority === 'interactive' || w.state === 'gone') continue;
      job.withdrawing = true;
      wanted--;
      w.child.send({ type: 'withdraw', id: job.id } satisfies ParentMessage, () => {});
    }
  }

  /** A task sent ahead and never started goes back to the queue; it has not used an attempt. */
  private requeue(job: Job): void {
    clearTimeout(job.timer);
    job.withdrawing = false;
    this.queue.finished(job);
    if (this.closing) job.resolve(closedResult());
    else this.queue.push(job);
  }

  private countIdle(): number {
    let n = 0;
    for (const w of this.workers) if (w.state === 'idle' && w.stoppedFor === null) n++;
    return n;
  }

  private spawn(job: Job | null): void {
    const settings: WorkerSettings = { retireHeapBytes: this.options.retireHeapBytes };
    let child: ChildProcess;
    try {
      child = fork(this.entry, [this.handler, JSON.stringify(settings)], {
        execArgv: [...this.options.execArgv],
        env: {},
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
      });
    } catch (error) {
      if (job) this.settle(job, null, loss('start-failed', `could not start a sandbox worker: ${error}`));
      return;
    }
    let exited: () => void = () => {};
    const worker: Worker = {
      child,
      state: 'starting',
      job,
      ahead: null,
      output: new WorkerOutput(this.options.logger, { pool: this.options.name, worker: child.pid }),
      stoppedFor: null,
      everReady: false,
      lastTrace: null,
      traceBuffer: '',
      exited: new Promise((resolve) => {
        exited = resolve;
      }),
    };
    this.workers.add(worker);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => worker.output.write('stdout', chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => worker.output.write('stderr', chunk));
    const trace = child.stdio[4] as Readable | null;
    trace?.setEncoding('utf8').on('data', (chunk: string) => this.onTrace(worker, chunk));
    child.on('message', (message: WorkerMessage) => this.onMessage(worker, message));
    child.on('error', (error) => {
      // Spawning failed (no 'exit' follows) or a signal could not be sent (an exit follows).
      if (child.pid === undefined) this.onExit(worker, null, null, String(error));
      else this.options.logger.warn('sandbox worker error', { pool: this.options.name, error });
    });
    child.on('exit', (code, signal) => {
      // Let the last output and trace arrive before explaining the exit.
      setImmediate(() => this.onExit(worker, code, signal, null));
      exited();
    });
    worker.timer = setTimeout(() => {
      worker.stoppedFor = 'start-timeout';
      child.kill('SIGKILL');
    }, this.options.startupMs);
  }

  private onTrace(worker: Worker, chunk: string): void {
    const text = (worker.traceBuffer + chunk).slice(-TRACE_LINE * 2);
    const lines = text.split('\n');
    worker.traceBuffer = lines.pop() ?? '';
    const last = lines.filter(Boolean).pop();
    if (last !== undefined) worker.lastTrace = last.slice(0, TRACE_LINE);
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (message?.type === 'ready' && worker.state === 'starting') {
      clearTimeout(worker.timer);
      worker.everReady = true;
      const job = worker.job;
      worker.job = null;
      worker.state = 'idle';
      if (job) this.dispatch(worker, job);
      else {
        this.park(worker);
        this.pump();
      }
      return;
    }
    if (message?.type === 'withdrawn') {
      this.onWithdrawn(worker, message.id);
      return;
    }
    if (message?.type !== 'result' || worker.state !== 'busy' || worker.job?.id !== message.id) return;
    const job = worker.job;
    clearTimeout(job.timer);
    worker.job = null;
    worker.state = 'idle';
    worker.output.flush();
    this.settle(
      job,
      worker,
      message.ok ? { ok: true, value: message.value } : loss('threw', message.message, worker.lastTrace),
    );
    const ahead = worker.ahead;
    worker.ahead = null;
    if (message.retire) {
      // A retiring worker starts nothing more (worker-entry.ts): its task ahead runs elsewhere.
      if (ahead) this.requeue(ahead);
      this.stop(worker, 'retired');
    } else if (ahead) this.promote(worker, ahead);
    else this.park(worker);
    this.pump();
  }

  /**
   * `job` is the worker's task from now, and its deadline starts: sent now (dispatch), or sent
   * ahead and started by the worker the moment its previous task ended (it needs no word from us).
   */
  private promote(worker: Worker, job: Job): void {
    worker.state = 'busy';
    worker.job = job;
    worker.lastTrace = null;
    worker.traceBuffer = '';
    clearTimeout(worker.timer);
    job.timer = setTimeout(() => this.stop(worker, 'deadline'), job.deadlineMs);
  }

  /**
   * The worker gave back a task sent ahead, unstarted: before or after it sent the result of the
   * task it was running (so the task may already count as running here).
   */
  private onWithdrawn(worker: Worker, id: number): void {
    if (worker.ahead?.id === id) {
      const job = worker.ahead;
      worker.ahead = null;
      this.requeue(job);
    } else if (worker.state === 'busy' && worker.job?.id === id) {
      const job = worker.job;
      worker.job = null;
      this.requeue(job);
      // A task sent ahead after that one was (we thought) started: the worker runs it now.
      const next = worker.ahead;
      worker.ahead = null;
      if (next) this.promote(worker, next);
      else {
        worker.state = 'idle';
        this.park(worker);
      }
    } else return;
    this.pump();
  }

  private dispatch(worker: Worker, job: Job): void {
    // The deadline counts from here: the task has a ready worker of its own.
    this.promote(worker, job);
    holdsService(worker, true);
    const message: ParentMessage = { type: 'task', id: job.id, task: job.task, trace: job.trace };
    worker.child.send(message, (error) => {
      if (error && worker.state === 'busy') this.stop(worker, null);
    });
  }

  /** An idle worker: kept warm, or stopped after a while; it does not keep the service alive. */
  private park(worker: Worker): void {
    holdsService(worker, false);
    clearTimeout(worker.timer);
    if (this.closing) {
      this.stop(worker, 'closed');
      return;
    }
    const warm = this.countIdle() <= this.options.minIdle;
    if (!warm) worker.timer = setTimeout(() => this.stop(worker, 'idle'), this.options.idleMs);
  }

  private stop(worker: Worker, reason: Worker['stoppedFor']): void {
    if (worker.state === 'gone') return;
    worker.stoppedFor ??= reason;
    worker.child.kill('SIGKILL');
  }

  private onExit(
    worker: Worker,
    code: number | null,
    signal: NodeJS.Signals | null,
    spawnError: string | null,
  ): void {
    if (worker.state === 'gone') return;
    const was = worker.state;
    worker.state = 'gone';
    clearTimeout(worker.timer);
    this.workers.delete(worker);
    worker.output.flush();
    const how = spawnError ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
    const stderr = worker.output.stderrTail();
    const said = stderr ? `; it wrote: ${stderr}` : '';
    const job = worker.job;
    worker.job = null;
    // Sent ahead and not started (its worker was still on `job`): not its loss.
    const ahead = worker.ahead;
    worker.ahead = null;
    if (ahead) this.requeue(ahead);
    const fields = { pool: this.options.name, worker: worker.child.pid, how };
    if (job) {
      clearTimeout(job.timer);
      let result: PoolResult<never> & { ok: false };
      if (worker.stoppedFor === 'closed') result = loss('closed', 'the sandbox is shutting down');
      else if (worker.stoppedFor === 'deadline')
        result = loss(
          'deadline',
          `it passed its ${job.deadlineMs} ms wall-clock limit and its sandbox process was stopped`,
          worker.lastTrace,
        );
      else if (was === 'starting')
        result = loss(
          'start-failed',
          worker.stoppedFor === 'start-timeout'
            ? `the sandbox process did not start within ${this.options.startupMs} ms${said}`
            : `the sandbox process failed to start (${how})${said}`,
        );
      else result = loss('died', `the sandbox process running it died (${how})${said}`, worker.lastTrace);
      if (result.loss.kind !== 'closed')
        this.options.logger.warn('sandbox worker lost its task', {
          ...fields,
          loss: result.loss.kind,
          stderr,
        });
      this.settle(job, worker, result);
    } else if (worker.stoppedFor === null && !this.closing) {
      this.options.logger.warn('idle sandbox worker exited; it will be replaced', { ...fields, stderr });
    }
    // Keep the warm workers warm, unless workers cannot start at all (no respawn loop then).
    if (
      !this.closing &&
      worker.everReady &&
      this.countIdle() < this.options.minIdle &&
      this.queue.length === 0
    )
      this.spawn(null);
    this.pump();
  }

  private settle(job: Job, _worker: Worker | null, result: PoolResult<unknown>): void {
    this.queue.finished(job);
    job.resolve(result);
  }
}

function loss(
  kind: LossKind,
  message: string,
  trace: string | null = null,
): PoolResult<never> & { ok: false } {
  return { ok: false, loss: { kind, message, trace } };
}

function closedResult(): PoolResult<never> & { ok: false } {
  return loss('closed', 'the sandbox is shutting down');
}

/** Whether a worker keeps the service's event loop alive: while busy, yes; while idle, no. */
function holdsService(worker: Worker, hold: boolean): void {
  const handles = [worker.child, worker.child.channel, ...worker.child.stdio] as (
    | {
        ref?: () => void;
        unref?: () => void;
      }
    | null
    | undefined
  )[];
  for (const handle of handles) {
    if (hold) handle?.ref?.();
    else handle?.unref?.();
  }
}
