import { open, readFile, stat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * An exclusive, process-wide lock on a PGlite data directory.
 *
 * Two processes on one PGlite directory raise no error: they silently lose rows (measured, see
 * docs/database.md). So the opener takes this lock first and a second opener fails at once with
 * the directory and the pid that holds it.
 *
 * On Linux the lock is a listening socket in the abstract namespace, named after the directory's
 * device and inode: the kernel makes binding it atomic and frees it the moment the holder dies,
 * so a crash leaves no stale lock, and symlinked or bind-mounted paths to one directory share
 * one lock. The holder answers a connection with its pid, which is how the loser names it.
 * Elsewhere (macOS, Windows) it falls back to a pid file created with O_EXCL; a pid file whose
 * process is gone is taken over, which leaves a narrow race if two processes start at the same
 * instant after a crash.
 */
export interface DataDirLock {
  readonly dir: string;
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dir: string,
    /** The holder's pid, or null when it could not be asked. */
    readonly holderPid: number | null,
  ) {
    const who = holderPid === null ? 'another process' : `process ${holderPid}`;
    super(
      `The data directory ${dir} is in use by ${who}. Only one Throwdown process may use a PGlite ` +
        'data directory at a time; stop the other one, or give this one its own data directory or a DATABASE_URL.',
    );
  }
}

export type LockStrategy = 'socket' | 'pidfile';

export const PID_FILE = 'throwdown.lock';

export async function lockDataDir(
  dir: string,
  strategy: LockStrategy = process.platform === 'linux' ? 'socket' : 'pidfile',
): Promise<DataDirLock> {
  return strategy === 'socket' ? lockWithSocket(dir) : lockWithPidFile(dir);
}

async function lockWithSocket(dir: string): Promise<DataDirLock> {
  const { dev, ino } = await stat(dir);
  // A leading NUL puts the name in Linux's abstract namespace: no file, gone with the process.
  const name = `\0throwdown-data-dir:${dev}:${ino}`;
  const server = createServer((socket) => socket.end(String(process.pid)));
  try {
    await listen(server, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DataDirLockedError(dir, await askHolderPid(name));
    }
    throw error;
  }
  // Holding the lock must not keep the process alive on its own.
  server.unref();
  let released = false;
  return {
    dir,
    release: async () => {
      if (released) return;
      released = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function askHolderPid(name: string): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(name);
    let reply = '';
    const done = (pid: number | null) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(1000, () => done(null));
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('end', () => done(parsePid(reply)));
    socket.on('error', () => done(null));
  });
}

async function lockWithPidFile(dir: string): Promise<DataDirLock> {
  const path = join(dir, PID_FILE);
  // Two tries: the second follows removing a stale file.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return {
        dir,
        release: async () => {
          if (released) return;
          released = true;
          // Remove it only if it is still ours.
          const holder = parsePid(await readFile(path, 'utf8').catch(() => ''));
          if (holder === process.pid) await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parsePid(await readFile(path, 'utf8').catch(() => ''));
    if (holder !== null && isAlive(holder)) throw new DataDirLockedError(dir, holder);
    await unlink(path).catch(() => {});
  }
  throw new DataDirLockedError(dir, null);
}

function parsePid(text: string): number | null {
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
