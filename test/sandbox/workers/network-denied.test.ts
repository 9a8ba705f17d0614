import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionFlags } from '../../../src/sandbox/workers/node-flags.js';
import {
  matchWorkerFlags,
  type PoolSettings,
  prepareWorkerFlags,
} from '../../../src/sandbox/workers/pools.js';
import { ProcessPool } from '../../../src/sandbox/workers/process-pool.js';
import { silentLogger } from '../../../src/util/logger.js';

// Code running in a sandbox worker process, started with the pool's REAL flags, tries to open
// a connection to a server on this machine. The probe is placed in the artifacts directory,
// where prepared bots live: the one place outside dist/ that match workers may read.
const dir = mkdtempSync(path.join(tmpdir(), 'throwdown-net-'));
const artifactsDir = path.join(dir, 'artifacts');
const settings: PoolSettings = { artifactsDir, matchWorkers: 1, prepareWorkers: 1, maxMemoryPages: 1024 };
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    // The probe's process is killed when its pool closes: a reset here is expected.
    socket.on('error', () => {});
    socket.end('hello\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function poolWith(flags: string[]): ProcessPool {
  mkdirSync(artifactsDir, { recursive: true });
  const probe = path.join(artifactsDir, 'probe-worker.mjs');
  copyFileSync(fileURLToPath(new URL('./fixtures/probe-worker.mjs', import.meta.url)), probe);
  return new ProcessPool({
    name: 'net-test',
    handler: probe,
    execArgv: flags,
    size: 1,
    minIdle: 0,
    idleMs: 1_000,
    startupMs: 60_000,
    logger: silentLogger,
  });
}

const ticket = { owner: 't', group: 't', priority: 'interactive' } as const;

describe.skipIf(!permissionFlags().deniesNetwork)(
  'sandbox workers have no network (Node permission model)',
  () => {
    for (const [name, flags] of [
      ['match', () => matchWorkerFlags(settings)],
      ['prepare', () => prepareWorkerFlags(settings)],
    ] as const) {
      it(`a ${name} worker cannot connect to a server on this machine, by socket or by fetch`, async () => {
        const pool = poolWith(flags());
        try {
          const before = connections;
          const socket = await pool.run({ do: 'connect', port }, { ticket, deadlineMs: 60_000 });
          const fetched = await pool.run({ do: 'fetch', port }, { ticket, deadlineMs: 60_000 });
          expect(socket).toMatchObject({ ok: true, value: expect.stringMatching(/ERR_ACCESS_DENIED/) });
          expect(fetched).toMatchObject({ ok: true, value: expect.stringMatching(/^threw: /) });
          expect(connections).toBe(before);
        } finally {
          await pool.close();
        }
      });
    }

    it('the same probe without the permission model does connect (the test can fail)', async () => {
      const pool = poolWith([]);
      try {
        const socket = await pool.run({ do: 'connect', port }, { ticket, deadlineMs: 60_000 });
        expect(socket).toEqual({ ok: true, value: 'connected' });
      } finally {
        await pool.close();
      }
    });
  },
);
