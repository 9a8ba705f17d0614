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
});
