import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  type ParentMessage,
  TRACE_FD,
  type WorkerHooks,
  type WorkerMessage,
  type WorkerSettings,
} from './process-protocol.js';

/**
 * The first module of every sandbox worker process (match and prepare): it loads the handler
 * named on the command line, tells the pool it is ready, then runs one task at a time as the
 * pool sends them. What it adds around the handler:
 *
 * - the process's lifetime belongs to the pool: SIGINT/SIGTERM (a terminal's Ctrl-C reaches
 *   the whole process group) are ignored, and losing the pool's channel ends the process;
 * - a trace channel on its own pipe, written synchronously, so the last line the pool read
 *   says where the worker was if it dies (see sandbox/worker-loss.ts);
 * - retirement: a worker whose heap has grown past its budget (code loaded with `import()`
 *   can never be unloaded) asks to be replaced once its task is done, and starts no other;
 * - look-ahead: the pool may send one task while another runs; it starts as soon as the running
 *   one is done (no round trip through a busy pool), unless the pool withdraws it first.
 */
const settings = JSON.parse(process.argv[3] ?? '{}') as WorkerSettings;
const handlerFile = process.argv[2];
if (!handlerFile || !process.send) {
  process.stderr.write('worker-entry: started without a handler or without an IPC channel\n');
  process.exit(2);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));

const send = (message: WorkerMessage) => {
  // A send after the pool went away is harmless: 'disconnect' ends the process.
  if (process.connected) process.send?.(message);
};

function writeTrace(line: string): void {
  try {
    writeSync(TRACE_FD, `${line}\n`);
  } catch {
    // The pool closed the trace pipe (it is shutting down): tracing is best effort.
  }
}

const handler = ((await import(pathToFileURL(handlerFile).href)) as { default: unknown }).default;
if (typeof handler !== 'function') {
  process.stderr.write(`worker-entry: ${handlerFile} has no default export function\n`);
  process.exit(2);
}
const run = handler as (task: unknown, hooks: WorkerHooks) => Promise<unknown>;

type Task = Extract<ParentMessage, { type: 'task' }>;
/** Tasks received and not started (sent ahead by the pool while another runs), in order. */
const waiting: Task[] = [];
let running = false;
/** Set once a task asked for this process to be replaced: it starts nothing more. */
let retiring = false;

process.on('message', (message: ParentMessage) => {
  if (message?.type === 'withdraw') {
    // The pool wants a task back that was sent ahead (an interactive one must go first): given
    // back only if it has not started; otherwise its result comes as usual.
    const at = waiting.findIndex((t) => t.id === message.id);
    if (at >= 0) {
      waiting.splice(at, 1);
      send({ type: 'withdrawn', id: message.id });
    }
    return;
  }
  if (message?.type !== 'task') return;
  waiting.push(message);
  startNext();
});

function startNext(): void {
  if (running || retiring) return;
  const message = waiting.shift();
  if (!message) return;
  running = true;
  let retireAsked = false;
  const hooks: WorkerHooks = {
    trace: message.trace ? writeTrace : null,
    retire: () => {
      retireAsked = true;
    },
  };
  void (async () => {
    let reply: WorkerMessage;
    try {
      reply = { type: 'result', id: message.id, ok: true, value: await run(message.task, hooks) };
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      reply = { type: 'result', id: message.id, ok: false, message: text.slice(0, 4000) };
    }
    running = false;
    retiring =
      retireAsked ||
      (settings.retireHeapBytes !== undefined && process.memoryUsage().heapUsed > settings.retireHeapBytes);
    send({ ...reply, retire: retiring } as WorkerMessage);
    // The task sent ahead starts at once, without waiting for the pool to answer this result;
    // after one turn of the event loop, so that a withdrawal already sent reaches us first.
    setImmediate(startNext);
  })();
}

send({ type: 'ready' });
