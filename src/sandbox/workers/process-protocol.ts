/**
 * Messages between the process pool (process-pool.ts) and its workers (worker-entry.ts). Tasks
 * and results are the handler's own types (protocol.ts); this is the envelope around them.
 */

/** The worker writes trace lines to this file descriptor, a pipe the pool reads. */
export const TRACE_FD = 4;

export interface WorkerSettings {
  /** After a task, a worker whose JavaScript heap is larger asks to be replaced. */
  retireHeapBytes?: number;
}

/** What a handler gets besides its task. */
export interface WorkerHooks {
  /** Set when the pool asked for a trace: writes one line synchronously (it survives a crash). */
  trace: ((line: string) => void) | null;
  /** Ask to be replaced once this task is done (e.g. a bot's call was stopped mid-way). */
  retire(): void;
}

export type ParentMessage =
  | { type: 'task'; id: number; task: unknown; trace: boolean }
  /** Give back a task sent ahead, if it has not started. */
  | { type: 'withdraw'; id: number };

export type WorkerMessage =
  | { type: 'ready' }
  /** A task sent ahead was given back unstarted (answer to 'withdraw'). */
  | { type: 'withdrawn'; id: number }
  | { type: 'result'; id: number; ok: true; value: unknown; retire?: boolean }
  | { type: 'result'; id: number; ok: false; message: string; retire?: boolean };
