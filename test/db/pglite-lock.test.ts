import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { DataDirLockedError, lockDataDir, PID_FILE } from '../../src/db/data-dir-lock.js';
import { createGuildsRepo } from '../../src/db/repos/guilds.js';

const CHILD = fileURLToPath(new URL('../support/open-pglite.ts', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'throwdown-lock-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the child opener under tsx (tests are TypeScript; Node 20 cannot strip types). */
function startChild(dataDir: string, mode: 'try' | 'hold'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before it was ready`)));
  });
}

describe('PGlite data directory lock', () => {
  const dataDir = join(root, 'nested', 'data');

  it('createDatabase(): should refuse a second process on the same directory, naming it and the holder', async () => {
    let started = performance.now();
    const first = await createDatabase({ dataDir });
    console.info(`PGlite first start (initdb + migrations): ${Math.round(performance.now() - started)} ms`);
    try {
      await createGuildsRepo(first.db).upsert({ id: 'g1', name: 'Kept' });

      const child = finished(startChild(dataDir, 'try'));
      const { code, stderr } = await child;
      expect(code).toBe(3);
      expect(stderr).toContain(dataDir);
      expect(stderr).toContain(`process ${process.pid}`);

      // A second opener in this very process is refused too.
      await expect(createDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await first.close();
    }

    started = performance.now();
    const reopened = await createDatabase({ dataDir });
    console.info(`PGlite reopen (no pending migrations): ${Math.round(performance.now() - started)} ms`);
    try {
      expect(await createGuildsRepo(reopened.db).get('g1')).toMatchObject({ name: 'Kept' });
    } finally {
      await reopened.close();
    }
  });

  it('createDatabase(): should take over the directory of a holder that was killed', async () => {
    const holder = startChild(dataDir, 'hold');
    const exited = finished(holder);
    await ready(holder);
    const refused = await createDatabase({ dataDir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).holderPid).toBe(holder.pid);

    holder.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    const after = await createDatabase({ dataDir });
    try {
      expect(await createGuildsRepo(after.db).get('g1')).toMatchObject({ name: 'Kept' });
    } finally {
      await after.close();
    }
  });

  it("lockDataDir('pidfile'): should refuse a live holder, take over a dead one's file, and remove its own", async () => {
    const dir = await mkdtemp(join(root, 'pidfile-'));
    const file = join(dir, PID_FILE);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(file, `${gone.pid}\n`);

    const lock = await lockDataDir(dir, 'pidfile');
    expect((await readFile(file, 'utf8')).trim()).toBe(String(process.pid));
    await expect(lockDataDir(dir, 'pidfile')).rejects.toMatchObject({ holderPid: process.pid, dir });
    await lock.release();
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
