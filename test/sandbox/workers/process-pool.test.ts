import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkTicket } from '../../../src/sandbox/workers/fair-queue.js';
import { ProcessPool, type ProcessPoolOptions } from '../../../src/sandbox/workers/process-pool.js';
import { createLogger } from '../../../src/util/logger.js';

const PROBE = fileURLToPath(new URL('./fixtures/probe-worker.mjs', import.meta.url));
const pools: ProcessPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
}

function pool(options: Partial<ProcessPoolOptions> = {}) {
  const made = new ProcessPool({
    name: 'test',
    handler: PROBE,
    execArgv: [],
    size: 1,
    minIdle: 1,
    idleMs: 60_000,
    startupMs: 60_000,
    logger: capture().logger,
    ...options,
  });
  pools.push(made);
  return made;
}

const me: WorkTicket = { owner: 'me', group: 'g', priority: 'interactive' };
const LONG = 120_000;
const run = (p: ProcessPool, task: unknown, deadlineMs = LONG, ticket = me) =>
  p.run<unknown>(task, { ticket, deadlineMs });

describe('process pool: a worker death is a value, never the service', () => {
  it('an idle worker killed from outside is logged and replaced; the next task runs', async () => {
    const { lines, logger } = capture();
    const p = pool({ logger });
    const first = await run(p, { do: 'pid' });
    expect(first.ok).toBe(true);
    const pid = (first as { value: number }).value;
    await vi.waitFor(() => expect(p.pids().idle).toEqual([pid]));
    process.kill(pid, 'SIGKILL');
    // The warm worker is replaced on its own (no task needed), and tasks go on.
    await vi.waitFor(() => expect(p.pids().idle.filter((x) => x !== pid)).toHaveLength(1), {
      timeout: 30_000,
    });
    const next = await run(p, { do: 'pid' });
    expect(next).toMatchObject({ ok: true });
    expect((next as { value: number }).value).not.toBe(pid);
    expect(lines.some((l) => l.includes('idle sandbox worker exited') && l.includes('SIGKILL'))).toBe(true);
  });

  it('a busy worker that dies resolves its task as lost (with how), and the pool goes on', async () => {
    const p = pool();
    const busy = run(p, { do: 'sleep', ms: 60_000 });
    await vi.waitFor(() => expect(p.pids().busy).toHaveLength(1), { timeout: 30_000 });
    process.kill(p.pids().busy[0]!, 'SIGKILL');
    expect(await busy).toMatchObject({
      ok: false,
      loss: { kind: 'died', message: expect.stringContaining('killed by SIGKILL') },
    });
    expect(await run(p, { do: 'echo', value: 7 })).toEqual({ ok: true, value: 7 });
  });

  it('a worker that exits by itself mid-task, and one that throws, are both values', async () => {
    const p = pool();
    expect(await run(p, { do: 'exit', code: 3 })).toMatchObject({
      ok: false,
      loss: { kind: 'died', message: expect.stringContaining('exit code 3') },
    });
    expect(await run(p, { do: 'nonsense' })).toMatchObject({
      ok: false,
      loss: { kind: 'threw', message: expect.stringContaining('unknown task') },
    });
  });

  it("a traced task's last trace line survives the worker's death", async () => {
    const p = pool();
    const result = await p.run({ do: 'die-traced' }, { ticket: me, deadlineMs: LONG, trace: true });
    expect(result).toMatchObject({ ok: false, loss: { kind: 'died', trace: 'move 1 7' } });
  });

  it('a worker that fails to start says why: its own stderr', async () => {
    const p = pool({ execArgv: ['--no-such-node-flag'] });
    const result = await run(p, { do: 'echo', value: 1 });
    expect(result).toMatchObject({
      ok: false,
      loss: { kind: 'start-failed', message: expect.stringMatching(/bad option: --no-such-node-flag/) },
    });
  });

  it('close() ends running and queued tasks as closed and stops every worker', async () => {
    const p = pool();
    const running = run(p, { do: 'sleep', ms: 60_000 });
    const queued = run(p, { do: 'echo', value: 1 });
    await vi.waitFor(() => expect(p.pids().busy).toHaveLength(1), { timeout: 30_000 });
    const pid = p.pids().busy[0]!;
    await p.close();
    expect(await running).toMatchObject({ ok: false, loss: { kind: 'closed' } });
    expect(await queued).toMatchObject({ ok: false, loss: { kind: 'closed' } });
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await run(p, { do: 'echo', value: 1 })).toMatchObject({ ok: false, loss: { kind: 'closed' } });
  });
});

describe('process pool: deadlines count from when a worker starts the task', () => {
  it('a task queued behind a long one still gets its whole deadline', async () => {
    const p = pool();
    const first = run(p, { do: 'sleep', ms: 4_000 });
    await vi.waitFor(() => expect(p.pids().busy).toHaveLength(1), { timeout: 30_000 });
    // Queued now, behind 4 s of work, with a 3.9 s deadline of its own: counted from queueing,
    // it would expire before it ran.
    const second = run(p, { do: 'echo', value: 'on time' }, 3_900);
    expect(p.waiting).toBe(1);
    expect(await first).toEqual({ ok: true, value: 'slept' });
    expect(await second).toEqual({ ok: true, value: 'on time' });
  });

  it('a task past its deadline is stopped with its worker, and the next task gets a fresh one', async () => {
    const p = pool();
    const pid = (await run(p, { do: 'pid' })) as { value: number };
    expect(await run(p, { do: 'sleep', ms: 60_000 }, 300)).toMatchObject({
      ok: false,
      loss: { kind: 'deadline', message: expect.stringContaining('300 ms') },
    });
    const after = (await run(p, { do: 'pid' })) as { value: number };
    expect(after.value).not.toBe(pid.value);
  });
});

describe('process pool: worker output reaches the log as data only', () => {
  it('forged log lines, terminal escapes and line separators stay inside one escaped field', async () => {
    const { lines, logger } = capture();
    const p = pool({ logger });
    const forged = '2026-01-01T00:00:00.000Z INFO  match finished id=1 winner=mallory';
    const result = await run(p, {
      do: 'print',
      stdout: `hello\n${forged}\n\u001b[2J\u001b]0;owned\u0007x\u2028${forged}\r${forged}\n`,
      stderr: 'partial line with no newline',
    });
    expect(result).toEqual({ ok: true, value: 'printed' });
    await vi.waitFor(() => expect(lines.some((l) => l.includes('partial line'))).toBe(true));
    // Every log line is one of ours: our timestamp and level, then our message.
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (WARN |INFO |DEBUG|ERROR) sandbox worker output /);
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    }
    const texts = lines.join('\n');
    expect(texts).toContain('stream=stdout');
    expect(texts).toContain('\\\\u001b[2J');
    expect(texts).toContain('stream=stderr');
    expect(texts).toMatch(/worker=\d+/);
  });

  it('a flood of output is bounded: the rest is counted, not logged', async () => {
    const { lines, logger } = capture();
    const p = pool({ logger });
    const line = `${'x'.repeat(99)}\n`;
    await run(p, { do: 'print', stdout: line.repeat(20_000) });
    // The next task flushes the previous one's accounting at the latest.
    await run(p, { do: 'echo', value: 1 });
    await vi.waitFor(() => expect(lines.some((l) => l.includes('over its budget'))).toBe(true));
    const logged = lines.filter((l) => l.includes('sandbox worker output stream='));
    expect(logged.length).toBeLessThan(200);
    expect(lines.find((l) => l.includes('over its budget'))).toMatch(/droppedBytes=\d{6,}/);
  });
});

describe('process pool: heap growth retires a worker after its task', () => {
  it('a worker whose heap passed its budget is replaced; its task still succeeds', async () => {
    const p = pool({ retireHeapBytes: 32 * 1024 * 1024 });
    const before = (await run(p, { do: 'pid' })) as { value: number };
    expect(await run(p, { do: 'grow', mb: 64 })).toMatchObject({ ok: true });
    const after = (await run(p, { do: 'pid' })) as { value: number };
    expect(after.value).not.toBe(before.value);
  });
  it('a task queued behind the retiring task goes to a fresh worker, not the one being stopped', async () => {
    const p = pool({ retireHeapBytes: 32 * 1024 * 1024 });
    const other: WorkTicket = { owner: 'other', group: 'g', priority: 'interactive' };
    const grow = run(p, { do: 'grow', mb: 64 });
    const queued = run(p, { do: 'echo', value: 'fresh' }, LONG, other);
    expect(await grow).toMatchObject({ ok: true });
    expect(await queued).toEqual({ ok: true, value: 'fresh' });
  });
});

describe('process pool: look-ahead keeps workers busy without a round trip through the pool', () => {
  const background: WorkTicket = { owner: 'tournament:1', group: 'g', priority: 'background' };
  // Another member: one interactive owner may hold only ceil(size / 2) workers, sent-ahead tasks included.
  const you: WorkTicket = { owner: 'you', group: 'g', priority: 'interactive' };
  const ahead = (options: Partial<ProcessPoolOptions> = {}) => pool({ lookahead: true, ...options });
  const busyWorker = (p: ProcessPool) =>
    vi.waitFor(() => expect(p.pids().busy).toHaveLength(1), { timeout: 30_000 });

  it('a task sent ahead waits without using its deadline: that starts when the one before ends', async () => {
    const p = ahead();
    const first = run(p, { do: 'sleep', ms: 1_500 });
    await busyWorker(p);
    // Behind 1.5 s of work with a 1 s deadline of its own: it must not count while it waits.
    const second = run(p, { do: 'echo', value: 'on time' }, 1_000, you);
    expect(p.waiting).toBe(0);
    expect(p.sentAhead).toBe(1);
    expect(await first).toEqual({ ok: true, value: 'slept' });
    expect(await second).toEqual({ ok: true, value: 'on time' });
  });

  /** Queues a task behind a short one, then keeps this process busy for 3 s; when did it start? */
  async function startedWhileBusy(p: ProcessPool): Promise<{ started: number; blockedUntil: number }> {
    const first = run(p, { do: 'sleep', ms: 300 });
    await busyWorker(p);
    const second = run(p, { do: 'now' }, LONG, you);
    // The first task ends while this process cannot read its result (3 s: ample for a 300 ms
    // task on a loaded machine).
    const blockedUntil = Date.now() + 3_000;
    while (Date.now() < blockedUntil) {}
    expect(await first).toMatchObject({ ok: true });
    const started = (await second) as { ok: true; value: number };
    expect(started.ok).toBe(true);
    return { started: started.value, blockedUntil };
  }

  it('a task sent ahead starts as soon as the one before ends, even while this process is busy', async () => {
    const { started, blockedUntil } = await startedWhileBusy(ahead());
    expect(started).toBeLessThan(blockedUntil);
  });

  it('without look-ahead the next task waits until this process is free (the check above can fail)', async () => {
    const { started, blockedUntil } = await startedWhileBusy(pool());
    expect(started).toBeGreaterThanOrEqual(blockedUntil);
  });

  it('an interactive task takes back a background task sent ahead and runs before it', async () => {
    const p = ahead();
    const order: string[] = [];
    const note = (name: string) => (r: unknown) => {
      order.push(name);
      return r;
    };
    const first = run(p, { do: 'sleep', ms: 1_500 }, LONG, background).then(note('first'));
    await busyWorker(p);
    const queuedAhead = run(p, { do: 'echo', value: 'b' }, LONG, background).then(note('background'));
    expect(p.waiting).toBe(0);
    expect(p.sentAhead).toBe(1);
    const interactive = run(p, { do: 'echo', value: 'i' }).then(note('interactive'));
    expect(await Promise.all([first, queuedAhead, interactive])).toEqual([
      { ok: true, value: 'slept' },
      { ok: true, value: 'b' },
      { ok: true, value: 'i' },
    ]);
    expect(order).toEqual(['first', 'interactive', 'background']);
  });

  it('a task sent ahead is not lost with a worker that dies on the task before it', async () => {
    const p = ahead();
    const doomed = run(p, { do: 'sleep', ms: 60_000 });
    await busyWorker(p);
    const next = run(p, { do: 'echo', value: 'after' }, LONG, you);
    expect(p.waiting).toBe(0);
    expect(p.sentAhead).toBe(1);
    process.kill(p.pids().busy[0]!, 'SIGKILL');
    expect(await doomed).toMatchObject({ ok: false, loss: { kind: 'died' } });
    expect(await next).toEqual({ ok: true, value: 'after' });
  });

  it('a worker that retires after its task passes the task sent ahead to a fresh worker', async () => {
    const p = ahead({ retireHeapBytes: 32 * 1024 * 1024 });
    const before = (await run(p, { do: 'pid' })) as { value: number };
    const grow = run(p, { do: 'grow', mb: 64 });
    const next = run(p, { do: 'pid' }, LONG, you);
    expect(await grow).toMatchObject({ ok: true });
    const after = (await next) as { ok: boolean; value: number };
    expect(after.ok).toBe(true);
    expect(after.value).not.toBe(before.value);
  });

  it("an interactive owner's second task is not sent ahead past the owner's cap", async () => {
    const p = ahead();
    const first = run(p, { do: 'sleep', ms: 300 });
    await busyWorker(p);
    const mine = run(p, { do: 'echo', value: 2 });
    expect(p.waiting).toBe(1);
    expect(await first).toMatchObject({ ok: true });
    expect(await mine).toEqual({ ok: true, value: 2 });
  });

  it('a traced task is never sent ahead (its trace lines must be its own)', async () => {
    const p = ahead();
    const first = run(p, { do: 'sleep', ms: 500 });
    await busyWorker(p);
    const traced = p.run({ do: 'echo', value: 't' }, { ticket: you, deadlineMs: LONG, trace: true });
    expect(p.waiting).toBe(1);
    expect(await first).toMatchObject({ ok: true });
    expect(await traced).toEqual({ ok: true, value: 't' });
  });

  it('close() ends the running task and the one sent ahead as closed', async () => {
    const p = ahead();
    const running = run(p, { do: 'sleep', ms: 60_000 });
    await busyWorker(p);
    const sentAhead = run(p, { do: 'echo', value: 1 }, LONG, you);
    expect(p.waiting).toBe(0);
    expect(p.sentAhead).toBe(1);
    await p.close();
    expect(await running).toMatchObject({ ok: false, loss: { kind: 'closed' } });
    expect(await sentAhead).toMatchObject({ ok: false, loss: { kind: 'closed' } });
  });
});
